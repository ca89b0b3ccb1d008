"""LinkedIn Page content exports (sheet 'All posts' of the .xls/.xlsx workbook) -> PostRecords.

`Created date` has no time of day. The posting time comes from the post link instead: its
`urn:li:activity:<id>` carries the creation time in UTC (the ID's top 41 bits are milliseconds
since 1970). That is widely used but not documented by LinkedIn, so it is trusted only when it
falls within a day of `Created date`; otherwise the post counts for baselines but not for hours.
Sponsored rows are left out: paid delivery, not the posting hour, drives their numbers.
"""

from __future__ import annotations

import datetime as dt

from agent.analytics.model import PostRecord
from agent.analytics.table import Table
from agent.analytics.values import linkedin_activity_time

DATE_FORMATS = ("%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%m/%d/%y", "%d-%m-%Y", "%Y/%m/%d")
ENGAGEMENT_FIELDS = ("reactions", "comments", "shares")


def engagement_columns(table: Table) -> list[str]:
    """The names of the export's columns counted as engagements."""
    return [table.header(f) for f in ENGAGEMENT_FIELDS if table.has(f)]


def parse_linkedin(table: Table) -> list[PostRecord]:
    """Records of a LinkedIn 'All posts' sheet."""
    fmt = table.date_format("created", DATE_FORMATS, "MM/DD/YYYY")
    records, sponsored, untimed = [], 0, 0
    for number, cells in table.rows():
        if table.text(cells, "post_type").casefold() == "sponsored":
            sponsored += 1
            continue
        created = table.moment(number, cells, "created", fmt)
        if created is None:
            table.skipped += 1
            continue
        at = _activity_time(table.text(cells, "link"), created.date())
        untimed += at is None
        records.append(PostRecord(
            platform="linkedin", published_on=created.date(), published_at=at,
            time_source="post link (activity ID)" if at else "date only",
            impressions=table.count(number, cells, "impressions"), reactions=table.count(number, cells, "reactions"),
            comments=table.count(number, cells, "comments"), shares=table.count(number, cells, "shares"),
            clicks=table.count(number, cells, "clicks"), post_id=table.text(cells, "link"),
            source=table.path.name, row=number,
        ))
    if sponsored:
        table.skipped += sponsored
        table.notes.append(f"{sponsored} sponsored post{'s' if sponsored != 1 else ''} left out")
    if untimed:
        table.notes.append(f"{untimed} post{'s have' if untimed != 1 else ' has'} no activity ID in the link, "
                           "so no posting hour")
    return records


def _activity_time(link: str, created: dt.date) -> dt.datetime | None:
    at = linkedin_activity_time(link)
    if at is None or abs((at.date() - created).days) > 1:
        return None
    return at
