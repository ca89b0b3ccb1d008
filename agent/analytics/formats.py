"""Which export a file is: header signatures of the supported formats, matched by column name.

Column names are the ones found in real exports or the vendors' own files (see
shared/research/export-formats.md): a required subset is matched, case-insensitively, with the
aliases the exporters use across versions and interface languages, so added or dropped columns and
column order do not matter. The header may sit in any of the first ten rows (LinkedIn puts a note
above it). A LinkedIn post sheet in another language is recognised by position (its 20 columns in
LinkedIn's order) when its second column holds LinkedIn post links.

Generic CSV (for any other tool): one row per post with the columns
`timestamp` (ISO 8601 with a UTC offset, e.g. 2026-03-02T09:15:00-05:00, or naive with a
`timezone` column holding an IANA name), `platform` (facebook, instagram, linkedin, x, tiktok,
youtube, pinterest, threads), `impressions` and/or `reach`, and at least one of `reactions`,
`comments`, `shares`; optional `saves`, `clicks`, `followers` (account followers when the post was
published), `post_id`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from agent.analytics.model import AnalyticsError
from agent.analytics.reading import Cell, Sheet

HEADER_SCAN_ROWS = 10
Aliases = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Spec:
    """One supported export: its columns (field -> header aliases) and the fields it must have."""

    name: str
    label: str
    columns: Aliases
    required: tuple[tuple[str, ...], ...]
    expected: str


@dataclass(frozen=True)
class Match:
    """A detected export: the sheet, the header row's index in it, and field -> column index / header text."""

    spec: Spec
    sheet: Sheet
    header: int
    columns: dict[str, int]
    names: dict[str, str]


META = Spec("meta", "Meta Business Suite post export", {
    "post_id": ("post id",), "time": ("publish time", "publicatietijdstip"),
    "post_type": ("post type", "berichttype"), "page": ("page id", "page name"),
    "account": ("account id", "account username", "account name"),
    "impressions": ("views", "weergaven", "impressions"), "reach": ("reach", "bereik"),
    "reactions": ("reactions",), "likes": ("likes", "vind-ik-leuks"), "comments": ("comments",),
    "shares": ("shares",), "saves": ("saves",), "combined": ("reactions, comments and shares",),
    "clicks": ("total clicks", "link clicks"), "title": ("title", "titel"), "description": ("description",),
}, (("time",), ("impressions", "reach"), ("reactions", "likes", "comments", "shares", "combined")),
    "Meta Business Suite post export (Facebook or Instagram): Publish time, Views or Reach, "
    "Reactions or Likes, Comments, Shares")  # fmt: skip

LINKEDIN = Spec("linkedin", "LinkedIn Page content export (All posts)", {
    "title": ("post title", "update title"), "link": ("post link", "update link"),
    "post_type": ("post type", "update type"), "created": ("created date",), "impressions": ("impressions",),
    "clicks": ("clicks",), "reactions": ("likes", "reactions"), "comments": ("comments",),
    "shares": ("reposts", "shares"), "follows": ("follows",),
}, (("link",), ("created",), ("impressions",), ("reactions", "comments", "shares")),
    "LinkedIn Page content export, sheet 'All posts': Post link, Created date, Impressions, Likes, "
    "Comments, Reposts")  # fmt: skip

X_LEGACY = Spec("x_legacy", "X (Twitter) tweet activity export", {
    "post_id": ("tweet id",), "link": ("tweet permalink",), "text": ("tweet text",), "time": ("time",),
    "impressions": ("impressions",), "reactions": ("likes",), "comments": ("replies",),
    "shares": ("retweets",), "clicks": ("url clicks",),
}, (("post_id",), ("time",), ("impressions",), ("reactions", "comments", "shares")),
    "X tweet activity export: Tweet id, time, impressions, likes, replies, retweets")  # fmt: skip

X_CONTENT = Spec("x_content", "X post analytics export (account_analytics_content)", {
    "post_id": ("post id", "ポストid"), "date": ("date", "日付"), "text": ("post text", "ポスト本文"),
    "link": ("post link",), "impressions": ("impressions", "インプレッション数"),
    "reactions": ("likes", "いいね"), "comments": ("replies", "返信"), "shares": ("reposts", "リポスト"),
    "dm_shares": ("shares",), "saves": ("bookmarks", "ブックマーク"), "clicks": ("url clicks",),
}, (("post_id",), ("impressions",), ("reactions", "comments", "shares")),
    "X post analytics export: Post id, Date, Impressions, Likes, Replies, Reposts")  # fmt: skip

GENERIC = Spec("generic", "Generic post CSV", {
    "timestamp": ("timestamp",), "timezone": ("timezone", "time zone"), "platform": ("platform",),
    "impressions": ("impressions",), "reach": ("reach",), "reactions": ("reactions",), "comments": ("comments",),
    "shares": ("shares",), "saves": ("saves",), "clicks": ("clicks",), "followers": ("followers",),
    "post_id": ("post_id", "post id"),
}, (("timestamp",), ("platform",), ("impressions", "reach"), ("reactions", "comments", "shares")),
    "generic CSV: timestamp, platform, impressions or reach, reactions, comments, shares "
    "(optional saves, clicks, followers, timezone, post_id)")  # fmt: skip

SPECS: tuple[Spec, ...] = (X_LEGACY, X_CONTENT, LINKEDIN, META, GENERIC)
LINKEDIN_ORDER = (
    "title", "link", "post_type", "campaign", "posted_by", "created", "campaign_start", "campaign_end",
    "audience", "impressions", "views", "offsite_views", "clicks", "ctr", "reactions", "comments", "shares",
    "follows", "engagement_rate", "content_type",
)  # fmt: skip
"""LinkedIn's 'All posts' columns in their exported order, for sheets in another language."""


def norm(value: Cell) -> str:
    """A header cell compared case- and space-insensitively, without BOMs or quotes."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).replace("\ufeff", "")
    return " ".join(text.strip().strip('"').casefold().split())


def match_header(spec: Spec, header: list[Cell]) -> tuple[dict[str, int], dict[str, str]] | None:
    """field -> column index for `spec`, or None when a required field is missing."""
    cells = [norm(c) for c in header]
    columns: dict[str, int] = {}
    for field, aliases in spec.columns.items():
        index = next((cells.index(a) for a in aliases if a in cells), None)
        if index is not None:
            columns[field] = index
    if not all(any(f in columns for f in group) for group in spec.required):
        return None
    return columns, {f: str(header[i]).strip() for f, i in columns.items()}


def detect(path: Path, sheets: list[Sheet]) -> Match:
    """The first sheet and header row that a supported format matches; AnalyticsError otherwise."""
    for sheet in sheets:
        for index, (_, header) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            for spec in SPECS:
                found = match_header(spec, header)
                if found:
                    return Match(spec, sheet, index, *found)
    for sheet in sheets:
        positional = _linkedin_by_position(sheet)
        if positional:
            return positional
    raise AnalyticsError(path, _unknown_message(sheets))


def _linkedin_by_position(sheet: Sheet) -> Match | None:
    for index, (_, header) in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        filled = [c for c in header if c is not None and str(c).strip()]
        following = sheet.rows[index + 1][1] if index + 1 < len(sheet.rows) else []
        link = str(following[1]) if len(following) > 1 else ""
        if len(filled) == len(LINKEDIN_ORDER) and len(header) >= len(LINKEDIN_ORDER) and "urn:li:" in link:
            columns = {f: i for i, f in enumerate(LINKEDIN_ORDER)}
            return Match(LINKEDIN, sheet, index, columns, {f: str(header[i]).strip() for f, i in columns.items()})
    return None


def _unknown_message(sheets: list[Sheet]) -> str:
    known = _known_unsupported(sheets)
    if known:
        return known
    first = next((s for s in sheets if s.rows), None)
    header = [str(c).strip() for c in first.rows[0][1] if c is not None and str(c).strip()] if first else []
    shown = ", ".join(f"'{h}'" for h in header[:12]) + (", ..." if len(header) > 12 else "")
    expected = "; ".join(s.expected for s in SPECS)
    return f"unknown export format (header: {shown or 'none'}); expected one of: {expected}"


def _known_unsupported(sheets: list[Sheet]) -> str | None:
    names = {norm(s.name) for s in sheets}
    if names & {"new followers", "visitor metrics"}:
        return ("a LinkedIn followers or visitors export has no posts; export Content (sheet 'All posts') "
                "from the Page's Analytics instead")
    if "top posts" in names:
        return "a LinkedIn personal (creator) export is not supported; use a LinkedIn Page content export"
    if "metrics" in names and "all posts" not in names:
        return "this LinkedIn workbook has no 'All posts' sheet; export Content with post-level data"
    for _, row in sheets[0].rows[:HEADER_SCAN_ROWS] if sheets else []:
        header = [norm(c) for c in row]
        if header[:2] == ["date", "primary"]:
            return ("this is a Meta page-level daily series (Date, Primary), not posts; export Content "
                    "(post level) from Meta Business Suite insights")
        if "date" in header and "impressions" in header and "post id" not in header:
            return "this is a daily account overview without posts; export the content (post-level) file"
    return None
