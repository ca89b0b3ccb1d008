"""X (Twitter) exports -> PostRecords: the legacy tweet activity CSV and the newer content CSV.

Legacy files give `time` as `2019-01-31 23:32 +0000` (UTC). The newer
`account_analytics_content_*.csv` gives only a `Date` ('Tue, Jul 14, 2026'); the posting time then
comes from the `Post id`, a Snowflake ID whose top bits are milliseconds since X's epoch
(1288834974657), trusted when it falls within a day of `Date`. Replies (text starting with '@')
and retweets ('RT @') are left out: they are conversations, not scheduled posts.
"""

from __future__ import annotations

import datetime as dt

from agent.analytics.model import PostRecord
from agent.analytics.reading import Cell
from agent.analytics.table import Table, localise
from agent.analytics.values import snowflake_time

LEGACY_FORMATS = ("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z")
DATE_FORMATS = ("%a, %b %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%Y年%m月%d日", "%d/%m/%Y")


def engagement_columns(table: Table) -> list[str]:
    """The names of the export's columns counted as engagements."""
    fields = ("reactions", "comments", "shares", "dm_shares", "saves")
    return [table.header(f) for f in fields if table.has(f)]


def _conversation(table: Table, cells: list[Cell]) -> bool:
    text = table.text(cells, "text")
    return text.startswith("@") or text.startswith("RT @")


def _record(table: Table, number: int, cells: list[Cell], on: dt.date, at: dt.datetime | None, how: str) -> PostRecord:
    return PostRecord(
        platform="x", published_on=on, published_at=at, time_source=how,
        impressions=table.count(number, cells, "impressions"), reactions=table.count(number, cells, "reactions"),
        comments=table.count(number, cells, "comments"), shares=table.total(number, cells, ("shares", "dm_shares")),
        saves=table.count(number, cells, "saves"), clicks=table.count(number, cells, "clicks"),
        post_id=table.text(cells, "post_id"), source=table.path.name, row=number,
    )


def parse_x_legacy(table: Table) -> list[PostRecord]:
    """Records of a legacy tweet activity export (times in UTC)."""
    fmt = table.date_format("time", LEGACY_FORMATS, "YYYY-MM-DD HH:MM +0000")
    records, replies = [], 0
    for number, cells in table.rows():
        if _conversation(table, cells):
            replies += 1
            continue
        moment = table.moment(number, cells, "time", fmt)
        if moment is None:
            table.skipped += 1
            continue
        at = localise(moment, "UTC")
        records.append(_record(table, number, cells, at.date(), at, "time column (UTC)"))
    _note_replies(table, replies)
    return records


def parse_x_content(table: Table) -> list[PostRecord]:
    """Records of an account_analytics_content export (time from the Post id)."""
    fmt = table.date_format("date", DATE_FORMATS, "Tue, Jul 14, 2026") if table.has("date") else None
    records, replies, untimed = [], 0, 0
    for number, cells in table.rows():
        if _conversation(table, cells):
            replies += 1
            continue
        day = table.moment(number, cells, "date", fmt) if table.has("date") else None
        at = snowflake_time(table.text(cells, "post_id"))
        if at is not None and day is not None and abs((at.date() - day.date()).days) > 1:
            at = None
        if at is None and day is None:
            table.skipped += 1
            continue
        untimed += at is None
        on = day.date() if day is not None else at.date() if at is not None else dt.date.min
        records.append(_record(table, number, cells, on, at, "post id (Snowflake)" if at else "date only"))
    _note_replies(table, replies)
    if untimed:
        table.notes.append(f"{untimed} post{'s' if untimed != 1 else ''} without a readable Post id time")
    return records


def _note_replies(table: Table, replies: int) -> None:
    if replies:
        table.skipped += replies
        table.notes.append(f"{replies} repl{'ies' if replies != 1 else 'y'} and retweets left out")
