"""Meta Business Suite post exports (Facebook Page and Instagram 'Content' CSVs) -> PostRecords.

`Publish time` is `MM/DD/YYYY HH:MM` with no zone. Meta does not say which zone; practitioners
read it as US Pacific (Meta's default for new ad accounts), so that is the default, always stated,
with one post shown in the audience's time so the user can check it. Facebook vs Instagram: 'Page
ID' / 'Page name' columns mean Facebook, 'Account ID' / 'Account username' mean Instagram, and so
does a `Title` column (only Facebook exports have one, e.g. Dutch 'Titel'); otherwise the `Post type`
values decide ('IG image', 'IG reel', ... are Instagram).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from agent.analytics.model import AnalyticsError, PostRecord
from agent.analytics.table import Table, localise
from agent.analytics.values import clean_id

DEFAULT_ZONE = "America/Los_Angeles"
TIME_FORMATS = (
    "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y %H:%M", "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M %p",
)  # fmt: skip
FACEBOOK_TYPES = frozenset({"photos", "videos", "reels", "links", "status", "text", "albums", "live"})


def platform_of(table: Table) -> str:
    """'facebook' or 'instagram' for a Meta export."""
    if table.has("page"):
        return "facebook"
    if table.has("account"):
        return "instagram"
    if table.has("title"):
        return "facebook"  # only Facebook post exports have a Title column
    types = {table.text(row, "post_type").casefold() for _, row in table.rows()} - {""}
    if types and all(t.startswith("ig ") for t in types):
        return "instagram"
    if types and types <= FACEBOOK_TYPES:
        return "facebook"
    raise AnalyticsError(table.path, "cannot tell whether this Meta export is Facebook or Instagram: it has no "
                         "'Page ID' or 'Account ID' column; export it again with the default columns")


def engagement_columns(table: Table, platform: str) -> list[str]:
    """The names of the export's columns counted as engagements."""
    fields = _engagement_fields(table, platform)
    return [table.header(f) for f in fields]


def _engagement_fields(table: Table, platform: str) -> list[str]:
    reaction = "reactions" if platform == "facebook" and table.has("reactions") else "likes"
    fields = [f for f in (reaction, "comments", "shares", "saves") if table.has(f)]
    return fields or (["combined"] if table.has("combined") else [])


def parse_meta(table: Table, zone: str) -> tuple[str, list[PostRecord]]:
    """(platform, records) of a Meta post export, `Publish time` read in `zone`."""
    platform = platform_of(table)
    fmt = table.date_format("time", TIME_FORMATS, "MM/DD/YYYY HH:MM")
    reaction = "reactions" if platform == "facebook" and table.has("reactions") else "likes"
    single = any(table.has(f) for f in (reaction, "comments", "shares", "saves"))
    records = []
    for number, cells in table.rows():
        moment = table.moment(number, cells, "time", fmt)
        if moment is None:
            table.skipped += 1
            continue
        at = localise(moment, zone)
        records.append(PostRecord(
            platform=platform, published_on=moment.date(), published_at=at,
            time_source=f"Publish time (read as {zone})",
            impressions=table.count(number, cells, "impressions"), reach=table.count(number, cells, "reach"),
            reactions=table.count(number, cells, reaction if single else "combined"),
            comments=table.count(number, cells, "comments") if single else None,
            shares=table.count(number, cells, "shares") if single else None,
            saves=table.count(number, cells, "saves") if single else None,
            clicks=table.count(number, cells, "clicks"), post_id=clean_id(table.raw(cells, "post_id")),
            source=table.path.name, row=number,
        ))
    return platform, records


def check_post(table: Table, records: list[PostRecord], zone: str, audience_zone: str) -> str | None:
    """A sentence showing one post's time as read, so the user can confirm the zone."""
    if not records:
        return None
    first = records[0]
    cells = next(c for n, c in table.rows() if n == first.row)
    title = (table.text(cells, "title") or table.text(cells, "description")).replace("\n", " ")
    named = f" ('{title[:40]}{'...' if len(title) > 40 else ''}')" if title else ""
    shown = first.published_at.astimezone(ZoneInfo(audience_zone)) if first.published_at else None
    when = shown.strftime("%a %Y-%m-%d %H:%M") if shown else "?"
    return (f"{table.path.name}: Meta does not state the time zone of 'Publish time'; it was read as {zone}. "
            f"Check: the post in row {first.row}{named}, published {table.text(cells, 'time')}, counts as "
            f"{when} {audience_zone} time. If Business Suite shows another hour, give the zone it uses.")
