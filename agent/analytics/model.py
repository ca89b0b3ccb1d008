"""Typed data of the user's own analytics: one `PostRecord` per exported post, gathered in `OwnData`.

Parsers produce these from export files; the planning engines receive them and never see a file.
Only the standard library is imported here.

Engagements (one definition for every export): reactions (Facebook reactions, likes elsewhere)
+ comments (replies on X) + shares (shares, reposts, retweets) + saves (Instagram saves, X
bookmarks), counting each column the export has. Clicks are kept but not counted: only some
exports have them and their meaning differs (Facebook's total clicks include photo views, X splits
them by kind, Instagram has none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


class AnalyticsError(ValueError):
    """An export that cannot be read; `str()` is '<file>: <what is wrong>'."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class PostRecord:
    """One post as an export reports it; counts are lifetime totals at export time (None: not in the file)."""

    platform: str
    published_on: dt.date
    published_at: dt.datetime | None
    time_source: str
    impressions: float | None = None
    reach: float | None = None
    reactions: float | None = None
    comments: float | None = None
    shares: float | None = None
    saves: float | None = None
    clicks: float | None = None
    followers: float | None = None
    post_id: str = ""
    source: str = ""
    row: int = 0

    @property
    def engagements(self) -> float:
        """Reactions + comments + shares + saves, over the columns the export has."""
        parts = (self.reactions, self.comments, self.shares, self.saves)
        return float(sum(p for p in parts if p is not None))

    @property
    def audience(self) -> float | None:
        """The engagement-rate denominator: impressions (views), else reach."""
        return self.impressions if self.impressions is not None else self.reach


@dataclass(frozen=True)
class ExportFile:
    """What was read from one file."""

    path: str
    format: str
    label: str
    platforms: tuple[str, ...]
    rows: int
    posts: int
    skipped: int = 0
    engagement_columns: tuple[str, ...] = ()
    denominator: str = "impressions"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OwnData:
    """Every post read from the user's exports, de-duplicated, with what each file contributed."""

    files: tuple[ExportFile, ...]
    posts: tuple[PostRecord, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def platforms(self) -> list[str]:
        """Platforms with at least one post, in first-seen order."""
        return list(dict.fromkeys(p.platform for p in self.posts))

    def for_platform(self, platform: str) -> list[PostRecord]:
        """The posts of one platform."""
        return [p for p in self.posts if p.platform == platform]

    def denominator(self, platform: str) -> str:
        """How the files of `platform` name the engagement-rate denominator."""
        names = {f.denominator.casefold(): f.denominator for f in self.files if platform in f.platforms}
        return " / ".join(names.values()) or "impressions"

    def engagement_columns(self, platform: str) -> list[str]:
        """The export columns counted as engagements for `platform`."""
        cols = [c for f in self.files if platform in f.platforms for c in f.engagement_columns]
        return list(dict.fromkeys(cols))
