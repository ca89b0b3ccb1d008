"""KPI baselines from the user's own posts: engagement rate, reach or impressions per post, posting
rate and follower growth. Pure: records and the run time in, numbers out.

- Engagement rate = sum of engagements / sum of impressions over recent posts (recency-weighted
  as in `agent.analytics.scoring`), so large posts count in proportion; impressions are the
  export's impressions or views column, else reach, and the denominator is named with the figure.
- Reach per post and impressions per post: weighted means over recent posts that report them.
- Posts per week: posts published in the last 16 weeks / the weeks they span (at least one).
- Followers and monthly follower growth: from a `followers` column (generic CSV) when the posts
  with one span at least four weeks: (last / first) ** (30.44 / days) - 1.
A baseline needs `MIN_POSTS` recent posts with a denominator; otherwise the benchmark stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from agent.analytics.model import PostRecord
from agent.analytics.scoring import WINDOW_WEEKS, recency_weight

MIN_POSTS = 5
DAYS_PER_MONTH = 30.44
MIN_GROWTH_DAYS = 28


@dataclass(frozen=True)
class Baseline:
    """Measured figures for one platform (None where the export cannot say)."""

    platform: str
    posts: int
    engagement_rate: float | None
    denominator: str
    impressions_per_post: float | None
    reach_per_post: float | None
    posts_per_week: float | None
    followers: float | None
    follower_growth: float | None
    first: dt.date | None
    last: dt.date | None


def _weighted_mean(pairs: list[tuple[float, float | None]]) -> float | None:
    used = [(w, v) for w, v in pairs if v is not None and w > 0]
    total = sum(w for w, _ in used)
    return sum(w * v for w, v in used) / total if total else None


def engagement_rate(posts: list[PostRecord], now: dt.datetime) -> tuple[float | None, int]:
    """(sum of engagements / sum of audience over recent posts, posts used)."""
    used = [(recency_weight(p.published_at or p.published_on, now), p) for p in posts if p.audience]
    used = [(w, p) for w, p in used if w > 0]
    audience = sum(w * (p.audience or 0.0) for w, p in used)
    if len(used) < MIN_POSTS or audience <= 0:
        return None, len(used)
    return sum(w * p.engagements for w, p in used) / audience, len(used)


def posts_per_week(posts: list[PostRecord], now: dt.datetime) -> float | None:
    """Recent posting rate: posts in the last 16 weeks over the weeks they span."""
    start = now - dt.timedelta(weeks=WINDOW_WEEKS)
    times = [p.published_at or dt.datetime.combine(p.published_on, dt.time(12), dt.UTC) for p in posts]
    recent = [t for t in times if start <= t <= now]
    if len(recent) < MIN_POSTS:
        return None
    weeks = max(1.0, (now - min(recent)).total_seconds() / 604800)
    return len(recent) / weeks


def follower_trend(posts: list[PostRecord]) -> tuple[float | None, float | None]:
    """(latest followers, net monthly growth rate) from posts that report followers."""
    points = sorted((p.published_at, p.followers) for p in posts if p.followers and p.published_at)
    if not points:
        return None, None
    (first_at, first), (last_at, last) = points[0], points[-1]
    days = (last_at - first_at).total_seconds() / 86400
    if days < MIN_GROWTH_DAYS or not first:
        return last, None
    return last, (last / first) ** (DAYS_PER_MONTH / days) - 1


def baseline(platform: str, posts: list[PostRecord], now: dt.datetime, denominator: str) -> Baseline:
    """Every baseline the posts of one platform support."""
    rate, used = engagement_rate(posts, now)
    weighted = [(recency_weight(p.published_at or p.published_on, now), p) for p in posts]
    enough = used >= MIN_POSTS
    impressions = _weighted_mean([(w, p.impressions) for w, p in weighted]) if enough else None
    reach = _weighted_mean([(w, p.reach) for w, p in weighted]) if enough else None
    followers, growth = follower_trend(posts)
    days = [p.published_on for p in posts]
    return Baseline(
        platform=platform, posts=used, engagement_rate=rate, denominator=denominator,
        impressions_per_post=impressions, reach_per_post=reach, posts_per_week=posts_per_week(posts, now),
        followers=followers, follower_growth=growth, first=min(days, default=None), last=max(days, default=None),
    )
