"""The generic post CSV (any tool's data, one row per post) -> PostRecords.

Columns are documented in `agent.analytics.formats`. Timestamps must say where they are:
an ISO 8601 UTC offset (`2026-03-02T09:15:00-05:00`, `...Z`) or a `timezone` column with an IANA
name; a bare local time is refused rather than guessed, because a wrong zone moves every slot.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.analytics.model import PostRecord
from agent.analytics.reading import Cell
from agent.analytics.table import Table

PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube", "pinterest", "threads")
PLATFORM_ALIASES = {"twitter": "x", "x (twitter)": "x", "fb": "facebook", "ig": "instagram", "yt": "youtube"}
ENGAGEMENT_FIELDS = ("reactions", "comments", "shares", "saves")


def engagement_columns(table: Table) -> list[str]:
    """The names of the export's columns counted as engagements."""
    return [table.header(f) for f in ENGAGEMENT_FIELDS if table.has(f)]


def parse_generic(table: Table) -> list[PostRecord]:
    """Records of a generic CSV."""
    records = []
    for number, cells in table.rows():
        stamp = table.text(cells, "timestamp")
        platform = table.text(cells, "platform").casefold()
        if not stamp or not platform:
            table.skipped += 1
            continue
        local = _timestamp(table, number, cells, stamp)
        records.append(PostRecord(
            platform=_platform(table, number, platform), published_on=local.date(),
            published_at=local.astimezone(dt.UTC),
            time_source="timestamp", impressions=table.count(number, cells, "impressions"),
            reach=table.count(number, cells, "reach"), reactions=table.count(number, cells, "reactions"),
            comments=table.count(number, cells, "comments"), shares=table.count(number, cells, "shares"),
            saves=table.count(number, cells, "saves"), clicks=table.count(number, cells, "clicks"),
            followers=table.count(number, cells, "followers"), post_id=table.text(cells, "post_id"),
            source=table.path.name, row=number,
        ))
    return records


def _platform(table: Table, number: int, value: str) -> str:
    name = PLATFORM_ALIASES.get(value, value)
    if name not in PLATFORMS:
        raise table.error(number, "platform", f"'{value}' is not one of {', '.join(PLATFORMS)}")
    return name


def _timestamp(table: Table, number: int, cells: list[Cell], stamp: str) -> dt.datetime:
    """The aware timestamp in its own offset or zone."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("z", "Z"))
    except ValueError:
        raise table.error(number, "timestamp", f"'{stamp}' is not an ISO 8601 timestamp "
                          "(e.g. 2026-03-02T09:15:00-05:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(table, number, cells, stamp))
    return moment


def _zone(table: Table, number: int, cells: list[Cell], stamp: str) -> ZoneInfo:
    name = table.text(cells, "timezone")
    if not name:
        raise table.error(number, "timestamp", f"'{stamp}' has no UTC offset; add one "
                          "(2026-03-02T09:15:00-05:00) or a timezone column (e.g. America/New_York)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise table.error(number, "timezone", f"'{name}' is not an IANA time zone (e.g. Europe/Berlin)") from None
