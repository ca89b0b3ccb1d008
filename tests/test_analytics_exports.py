"""Synthetic exports in every supported format (with the exporters' quirks), and how each is read.

The writers here build files the way the exporters do (see shared/research/export-formats.md):
Meta's UTF-8-with-BOM CSV with `MM/DD/YYYY HH:MM` times in Pacific time, quoted thousands and
multi-line captions; LinkedIn's workbook with a note row above the header; X's fully quoted legacy
CSV with float counts and '-' cells; X's newer CSV with `"Tue, Jul 14, 2026"` dates and Snowflake
IDs; the generic CSV with UTC offsets. Other analytics tests import them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from agent.analytics import load_exports
from agent.analytics.values import X_EPOCH_MS

NOW = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)
ZONE = "America/New_York"
DATA = Path(__file__).parent / "data" / "analytics"
WEEK_SLOTS = (("mon", 9, 5), ("tue", 11, -7), ("wed", 10, 12), ("thu", 14, 3), ("sat", 19, 4))
PEAK = ("sat", "19:00")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

META_FACEBOOK = (
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Caption type",
    "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
    "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Total clicks", "Other Clicks", "Matched Audience Targeting Consumption (Photo Click)",
)  # fmt: skip
META_INSTAGRAM = (
    "Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)", "Publish time",
    "Permalink", "Post type", "Data comment", "Date", "Views", "Likes", "Shares", "Comments", "Saves", "Reach",
    "Follows",
)  # fmt: skip
LINKEDIN_POSTS = (
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Campaign start date",
    "Campaign end date", "Audience", "Impressions", "Views (excluding off-site video views)", "Off-site views",
    "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows", "Engagement rate",
    "Content Type",
)  # fmt: skip
X_LEGACY = (
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate", "retweets",
    "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands", "permalink clicks",
    "app opens", "app installs", "follows", "email tweet", "dial phone", "media views", "media engagements",
    "promoted impressions", "promoted engagements", "promoted engagement rate", "promoted retweets",
)  # fmt: skip
X_CONTENT = (
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares",
    "New follows", "Replies", "Reposts", "Profile visits", "Detail Expands", "URL Clicks", "Hashtag Clicks",
    "Permalink Clicks",
)  # fmt: skip
GENERIC = ("timestamp", "platform", "impressions", "reach", "reactions", "comments", "shares", "clicks", "followers")


@dataclass(frozen=True)
class Post:
    """One synthetic post: when (aware), and its counts."""

    at: dt.datetime
    reactions: int
    comments: int
    shares: int
    impressions: int
    reach: int
    followers: int


def synthetic_posts(
    weeks: int = 16, peak_factor: float = 3.0, seed: int = 7, zone: str = ZONE, noise: float = 0.3
) -> list[Post]:
    """Five posts a week at fixed local slots (minutes off the hour) ending three days before NOW; Sat 19:00 peaks."""
    rng = random.Random(seed)
    last_monday = (NOW.astimezone(ZoneInfo(zone)) - dt.timedelta(days=10)).date()
    last_monday -= dt.timedelta(days=last_monday.weekday())
    posts = []
    for week in range(weeks):
        monday = last_monday - dt.timedelta(weeks=week)
        for day, hour, minutes in WEEK_SLOTS:
            local = dt.datetime.combine(monday + dt.timedelta(days=DAYS.index(day)), dt.time(hour), ZoneInfo(zone))
            at = (local + dt.timedelta(minutes=minutes)).astimezone(dt.UTC)
            base = 40 * rng.lognormvariate(0, noise) * (peak_factor if (day, hour) == (PEAK[0], 19) else 1.0)
            impressions = int(2000 * rng.lognormvariate(0, 0.2))
            posts.append(Post(at, int(base * 0.7), int(base * 0.2), int(base * 0.1), impressions,
                              int(impressions * 0.7), 1500 + 10 * (weeks - week)))
    return sorted(posts, key=lambda p: p.at)


def csv_text(header: tuple[str, ...] | list[str], rows: list[list[object]], quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def thousands(value: int) -> str:
    return f"{value:,}"


def write_meta_facebook(path: Path, posts: list[Post], zone: str = "America/Los_Angeles") -> Path:
    """Facebook post export: UTF-8 BOM, Pacific `Publish time`, quoted thousands, a multi-line caption, a blank row."""
    rows: list[list[object]] = []
    for i, p in enumerate(posts):
        local = p.at.astimezone(ZoneInfo(zone))
        post_id = "1.22158E+17" if i == 1 else str(122158000000000000 + i)
        title = 'Spring "launch"\nday two' if i == 0 else f"Post {i}"
        total = p.reactions + p.comments + p.shares
        rows.append([post_id, "61571000000000", "Example Page", title, "", "", local.strftime("%m/%d/%Y %H:%M"),
                     "N/A", f"https://www.facebook.com/61571/posts/pfbid{i}", "No", "No", "Photos", "", "", "", "",
                     "Lifetime", thousands(p.impressions), thousands(p.reach), total, p.reactions, p.comments,
                     p.shares, 12, 3, 0])
        if i == 2:
            rows.append([""] * len(META_FACEBOOK))
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(META_FACEBOOK, rows).encode("utf-8"))
    return path


def write_meta_instagram(path: Path, posts: list[Post], zone: str = "America/Los_Angeles") -> Path:
    """Instagram post export (Reach after Saves, as one public sample has it)."""
    rows = [
        [str(179000 + i), "17841400000000000", "example", "Example", f"Caption {i}", "",
         p.at.astimezone(ZoneInfo(zone)).strftime("%m/%d/%Y %H:%M"), f"https://www.instagram.com/p/X{i}/",
         "IG reel" if i % 2 else "IG image", "", "Lifetime", p.impressions, p.reactions, p.shares, p.comments, 2,
         p.reach, 1]
        for i, p in enumerate(posts)
    ]
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(META_INSTAGRAM, rows).encode("utf-8"))
    return path


def activity_link(at: dt.datetime, low: int) -> str:
    """A LinkedIn post link whose activity ID encodes `at` (milliseconds in the top 41 bits)."""
    ms = int(at.timestamp() * 1000)
    return f"https://www.linkedin.com/feed/update/urn:li:activity:{(ms << 22) | low}"


def linkedin_rows(posts: list[Post], sponsored: bool = True) -> list[list[object]]:
    """'All posts' rows; the second post is sponsored when `sponsored`."""
    rows: list[list[object]] = []
    for i, p in enumerate(posts):
        created = p.at.astimezone(ZoneInfo("America/Chicago")).replace(tzinfo=None, hour=0, minute=0)
        kind = "Sponsored" if sponsored and i == 1 else "Organic"
        rows.append([f"Update {i}", activity_link(p.at, 1000 + i), kind, "", "Jane Doe", created, "", "", "All",
                     p.impressions if i % 3 else thousands(p.impressions), "", "", 25, 0.0125, p.reactions,
                     p.comments, p.shares, 1, 0.03, "Image"])
    return rows


def write_linkedin_xlsx(path: Path, posts: list[Post], header: tuple[str, ...] = LINKEDIN_POSTS) -> Path:
    """LinkedIn content workbook: 'Metrics' and 'All posts', each with a note row above the header."""
    book = openpyxl.Workbook()
    metrics = book.active
    metrics.title = "Metrics"
    metrics.append(["Aggregated metrics for your page's content"])
    metrics.append(["Date", "Impressions (organic)", "Impressions (total)", "Clicks (total)"])
    metrics.append([dt.datetime(2026, 11, 1), 120, 140, -1])
    sheet = book.create_sheet("All posts")
    sheet.append(["All posts: individual post metrics. Data is updated daily."])
    sheet.append(list(header))
    for row in linkedin_rows(posts):
        sheet.append(row)
    book.save(path)
    return path


def snowflake(at: dt.datetime, low: int) -> str:
    """An X post ID created at `at`."""
    return str(((int(at.timestamp() * 1000) - X_EPOCH_MS) << 22) | low)


def write_x_legacy(path: Path, posts: list[Post]) -> Path:
    """Legacy tweet activity CSV: all quoted, float counts, '-' promoted cells, one reply (left out)."""
    rows: list[list[object]] = []
    for i, p in enumerate(posts):
        tid = snowflake(p.at, i)
        engagements = p.reactions + p.comments + p.shares
        text = "@someone thanks!" if i == 3 else f"Post {i} &amp; more\nsecond line"
        rate = f"{engagements / p.impressions:.15E}".replace("E-0", "E-")
        rows.append([tid, f"https://twitter.com/example/status/{tid}", text, p.at.strftime("%Y-%m-%d %H:%M +0000"),
                     f"{p.impressions}.0", f"{engagements}.0", rate,
                     f"{p.shares}.0", f"{p.comments}.0", f"{p.reactions}.0", "1.0", "2.0", "0.0", "3.0", "0.0",
                     "0", "0", "0", "0", "0", "0", "0", "-", "-", "-", "-"])
    path.write_text(csv_text(X_LEGACY, rows, quote_all=True), encoding="utf-8")
    return path


def write_x_content(path: Path, posts: list[Post], header: tuple[str, ...] = X_CONTENT) -> Path:
    """New X content CSV: quoted `Tue, Jul 14, 2026` dates, Snowflake ids, a quoted thousands count."""
    rows: list[list[object]] = []
    for i, p in enumerate(posts):
        pid = snowflake(p.at, i)
        rows.append([pid, p.at.strftime("%a, %b %d, %Y"), f"Post {i}", f"https://x.com/example/status/{pid}",
                     thousands(p.impressions), p.reactions, p.reactions + p.comments + p.shares, 1, 0, 0,
                     p.comments, p.shares, 2, 4, 1, 0, 0])
    path.write_text(csv_text(header, rows), encoding="utf-8")
    return path


def write_generic(path: Path, posts: list[Post], platform: str = "linkedin") -> Path:
    """The documented generic CSV, timestamps with UTC offsets (some 'Z')."""
    rows: list[list[object]] = []
    for i, p in enumerate(posts):
        local = p.at.astimezone(ZoneInfo(ZONE))
        stamp = p.at.strftime("%Y-%m-%dT%H:%M:%SZ") if i % 2 else local.isoformat()
        rows.append([stamp, platform, p.impressions, p.reach, p.reactions, p.comments, p.shares, 9, p.followers])
    path.write_text(csv_text(GENERIC, rows), encoding="utf-8")
    return path


WRITERS = {
    "meta_facebook": (write_meta_facebook, "facebook", "meta"),
    "meta_instagram": (write_meta_instagram, "instagram", "meta"),
    "linkedin_xlsx": (write_linkedin_xlsx, "linkedin", "linkedin"),
    "x_legacy": (write_x_legacy, "x", "x_legacy"),
    "x_content": (write_x_content, "x", "x_content"),
    "generic": (write_generic, "linkedin", "generic"),
}
SUFFIX = {"linkedin_xlsx": ".xlsx"}


def export_file(tmp_path: Path, kind: str, posts: list[Post] | None = None) -> Path:
    """A synthetic export of `kind` (a key of WRITERS) in `tmp_path`."""
    writer, _, _ = WRITERS[kind]
    return writer(tmp_path / f"{kind}{SUFFIX.get(kind, '.csv')}", posts if posts is not None else synthetic_posts())


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_format_is_detected_and_read(tmp_path: Path, kind: str) -> None:
    posts = synthetic_posts()
    own = load_exports([export_file(tmp_path, kind, posts)], ZONE)
    _, platform, fmt = WRITERS[kind]
    assert [f.format for f in own.files] == [fmt]
    assert own.platforms() == [platform]
    expected = len(posts) - (1 if kind in ("linkedin_xlsx", "x_legacy") else 0)  # sponsored row / reply
    assert len(own.posts) == expected
    assert all(p.published_at is not None for p in own.posts)


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_times_and_counts_survive_the_quirks(tmp_path: Path, kind: str) -> None:
    posts = synthetic_posts()
    own = load_exports([export_file(tmp_path, kind, posts)], ZONE)
    by_time = {p.at.replace(second=0): p for p in posts}
    for record in own.posts:
        assert record.published_at is not None
        source = by_time[record.published_at.replace(second=0, microsecond=0)]
        assert record.engagements >= source.reactions + source.comments + source.shares
        assert record.audience == source.impressions
