"""Read the user's export files into `OwnData`: detect each format, parse it, merge the posts.

The same post can come from several files (overlapping monthly exports, a re-export). Counts are
lifetime totals at export time, so they only grow: the copy with the larger totals is the later
export and is kept; nothing is added up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.analytics import generic, linkedin, meta, x
from agent.analytics.formats import detect
from agent.analytics.model import AnalyticsError, ExportFile, OwnData, PostRecord
from agent.analytics.reading import read_sheets
from agent.analytics.table import Table


def load_exports(paths: Sequence[Path | str], zone: str, *, export_zone: str | None = None) -> OwnData:
    """Every post in `paths`. `zone`: the audience's IANA zone (used to show times back to the user);
    `export_zone`: the zone Meta's zone-less `Publish time` is read in (default America/Los_Angeles)."""
    meta_zone = export_zone or meta.DEFAULT_ZONE
    for name in (zone, meta_zone):
        _check_zone(name)
    files: list[ExportFile] = []
    posts: list[PostRecord] = []
    warnings: list[str] = []
    for path in paths:
        export, records, check = read_export(Path(path), zone, meta_zone)
        files.append(export)
        posts.extend(records)
        if check and not export_zone:
            warnings.append(check)
    kept, dropped = dedupe(posts)
    if dropped:
        warnings.append(f"{dropped} post{'s' if dropped != 1 else ''} appeared in more than one file; "
                        "the copy with the larger lifetime totals (the later export) was kept.")
    return OwnData(files=tuple(files), posts=tuple(kept), warnings=tuple(warnings))


def read_export(path: Path, zone: str, meta_zone: str) -> tuple[ExportFile, list[PostRecord], str | None]:
    """(what the file is, its posts, a time-zone check sentence for Meta files)."""
    match = detect(path, read_sheets(path))
    table = Table(path, match)
    check, platforms = None, []
    name = match.spec.name
    if name == "meta":
        platform, records = meta.parse_meta(table, meta_zone)
        columns, platforms = meta.engagement_columns(table, platform), [platform]
        check = meta.check_post(table, records, meta_zone, zone)
    elif name == "linkedin":
        records, columns = linkedin.parse_linkedin(table), linkedin.engagement_columns(table)
    elif name == "x_legacy":
        records, columns = x.parse_x_legacy(table), x.engagement_columns(table)
    elif name == "x_content":
        records, columns = x.parse_x_content(table), x.engagement_columns(table)
    else:
        records, columns = generic.parse_generic(table), generic.engagement_columns(table)
    if not records:
        raise AnalyticsError(path, f"no posts: the {match.spec.label} has a header but no usable rows")
    platforms = platforms or list(dict.fromkeys(r.platform for r in records))
    export = ExportFile(
        path=str(path), format=name, label=_label(match.spec.label, platforms), platforms=tuple(platforms),
        rows=len(match.sheet.rows) - match.header - 1, posts=len(records), skipped=table.skipped,
        engagement_columns=tuple(columns), denominator=_denominator(table), notes=tuple(table.notes),
    )
    return export, records, check


def _label(label: str, platforms: list[str]) -> str:
    if label.startswith("Meta"):
        return f"{label} ({'Facebook' if platforms == ['facebook'] else 'Instagram'})"
    return label


def _denominator(table: Table) -> str:
    for name in ("impressions", "reach"):
        if table.has(name):
            return table.header(name)
    return "impressions"


def dedupe(posts: list[PostRecord]) -> tuple[list[PostRecord], int]:
    """One record per post (the one with the larger totals), in first-seen order; and how many were dropped."""
    best: dict[tuple[str, str], PostRecord] = {}
    for post in posts:
        key = (post.platform, post.post_id or _fallback_key(post))
        current = best.get(key)
        if current is None or _size(post) > _size(current):
            best[key] = post
    return list(best.values()), len(posts) - len(best)


def _fallback_key(post: PostRecord) -> str:
    if post.published_at is not None:
        return post.published_at.isoformat()
    return f"{post.published_on}#{post.source}#{post.row}"


def _size(post: PostRecord) -> tuple[float, float]:
    return (post.audience or 0.0, post.engagements)


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AnalyticsError("time zone", f"'{name}' is not an IANA time zone (e.g. Europe/Berlin)") from None
