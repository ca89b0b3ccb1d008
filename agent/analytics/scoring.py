"""Score weekday x hour slots from the user's own posts, shrunk toward the benchmark (empirical Bayes).

Pure: records and numbers in, numbers out; the caller passes the run time `now` and the zone.

- Post score: the post's engagements (see `agent.analytics.model`) divided by the median
  engagements of the platform's recent posts, so 1.0 is a typical post. Scores are capped at
  `SCORE_CAP` so one viral post cannot claim a slot on its own. Counting engagements per post,
  not per impression, keeps the timing effect on reach in the score.
- Slot: weekday and hour in the audience's zone, the posting time rounded to the nearest hour.
- Recency weight: 1 for posts up to `WINDOW_WEEKS` (16) weeks before the run; older posts halve
  every `HALF_LIFE_WEEKS` (8) weeks; posts older than a year, or younger than two days (their
  totals are still growing), get 0.
- Prior mean of a slot: c * (1 - TILT * (1 - b)), where c is the user's typical slot (the median of
  the slot means, weighted by posts, so one strong slot does not raise it) and b the benchmark grid
  scaled to 0..1 (1 = the studies' best hour). An untried benchmark peak is expected to do as well
  as the user's typical slot; an hour no study names, `TILT` (20%) worse.
- Posterior: (n * ybar + k * prior) / (n + k), with n the slot's weighted post count and ybar its
  weighted mean score. k, the prior strength in posts, is estimated from the data by the method
  of moments: k = sigma2 / tau2, where sigma2 is the post-to-post variance within slots and tau2
  the variance of true slot means around the prior (the spread of the slot means minus what
  sigma2 explains). Noisy data with small slot differences gives a large k (trust the benchmark);
  clear, consistent differences give a small k. k is kept within [K_MIN, K_MAX] = [3, 20]: three
  posts' worth of benchmark at least, so one or two lucky posts cannot override it, and at most
  twenty, so a slot with many posts is not held back forever.
- A slot is `own_data` when n >= k (the user's posts weigh at least as much as the benchmark);
  its confidence is n / (n + k). A platform needs `MIN_POSTS` (10) weighted posts with a known
  hour before its own data is used for slots at all.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agent.analytics.model import PostRecord

Grid = list[list[float]]
WINDOW_WEEKS = 16
HALF_LIFE_WEEKS = 8
MAX_AGE_WEEKS = 52
MIN_AGE = dt.timedelta(hours=48)
SCORE_CAP = 4.0
TILT = 0.2
K_MIN, K_MAX = 3.0, 20.0
MIN_POSTS = 10.0
OWN_SHARE = 0.5


def zeros() -> Grid:
    """A 7 x 24 grid of zeros (Monday first, hour 0 first)."""
    return [[0.0] * 24 for _ in range(7)]


def recency_weight(published: dt.datetime | dt.date, now: dt.datetime) -> float:
    """Weight of a post published at `published` for a plan run at `now`."""
    moment = published if isinstance(published, dt.datetime) else dt.datetime.combine(published, dt.time(12), dt.UTC)
    age = now - moment
    if age < MIN_AGE or age > dt.timedelta(weeks=MAX_AGE_WEEKS):
        return 0.0
    extra = age.total_seconds() / 604800 - WINDOW_WEEKS
    return 1.0 if extra <= 0 else 0.5 ** (extra / HALF_LIFE_WEEKS)


def slot_of(moment: dt.datetime, zone: str) -> tuple[int, int]:
    """(weekday, hour) of a posting time in `zone`, rounded to the nearest hour."""
    local = (moment + dt.timedelta(minutes=30)).astimezone(ZoneInfo(zone))
    return local.weekday(), local.hour


def typical(posts: list[PostRecord], now: dt.datetime) -> float | None:
    """The engagements of a typical recent post: the median (the mean when the median is 0)."""
    values = [p.engagements for p in posts if recency_weight(p.published_at or p.published_on, now) > 0]
    if not values:
        return None
    middle = statistics.median(values) or statistics.fmean(values)
    return middle or None


@dataclass(frozen=True)
class Evidence:
    """Recency-weighted slot sums of one platform's post scores."""

    sums: Grid
    weights: Grid
    squares: Grid
    posts: int

    @property
    def total(self) -> float:
        """Weighted number of posts with a known hour."""
        return sum(map(sum, self.weights))

    @property
    def mean(self) -> float:
        """Weighted mean post score."""
        return sum(map(sum, self.sums)) / self.total if self.total else 0.0

    @property
    def centre(self) -> float:
        """The typical slot: the median of slot means, weighted by their posts."""
        cells = sorted((s / w, w) for rs, rw in zip(self.sums, self.weights, strict=True)
                       for s, w in zip(rs, rw, strict=True) if w > 0)
        half, seen = self.total / 2, 0.0
        for value, weight in cells:
            seen += weight
            if seen >= half:
                return value
        return self.mean

    def usable(self) -> bool:
        """True when there are enough timed posts to score slots."""
        return self.total >= MIN_POSTS


def evidence(posts: list[PostRecord], zone: str, now: dt.datetime) -> Evidence | None:
    """Slot evidence from one platform's posts (None when no recent post had engagements)."""
    base = typical(posts, now)
    if base is None:
        return None
    sums, weights, squares, count = zeros(), zeros(), zeros(), 0
    for post in posts:
        weight = recency_weight(post.published_at, now) if post.published_at else 0.0
        if weight <= 0 or post.published_at is None:
            continue
        day, hour = slot_of(post.published_at, zone)
        score = min(SCORE_CAP, post.engagements / base)
        sums[day][hour] += weight * score
        weights[day][hour] += weight
        squares[day][hour] += weight * score * score
        count += 1
    return Evidence(sums, weights, squares, count)


@dataclass(frozen=True)
class Posterior:
    """Shrunk slot scores, the share of each that comes from the user's data, and the fit."""

    scores: Grid
    data_share: Grid
    weights: Grid
    k: float
    sigma2: float
    tau2: float


def prior_means(centre: float, benchmark: Grid) -> Grid:
    """Prior expected score per slot from the benchmark grid (see the module docstring)."""
    top = max(max(row) for row in benchmark) or 1.0
    return [[centre * (1 - TILT * (1 - value / top)) for value in row] for row in benchmark]


def within_variance(ev: Evidence) -> float:
    """Pooled within-slot variance of post scores (sigma2); the total variance when slots hold one post each."""
    cells = [(ev.sums[d][h], ev.weights[d][h], ev.squares[d][h]) for d in range(7) for h in range(24)]
    occupied = [c for c in cells if c[1] > 0]
    within = sum(sq - s * s / w for s, w, sq in occupied)
    df = ev.total - len(occupied)
    if df >= 1:
        return max(within / df, 1e-4)
    total_sq = sum(sq for _, _, sq in occupied)
    return max((total_sq - ev.total * ev.mean**2) / max(ev.total - 1, 1.0), 1e-4)


def shrink(ev: Evidence, benchmark: Grid) -> Posterior:
    """Empirical-Bayes slot scores: the user's slot means pulled toward the benchmark prior."""
    prior = prior_means(ev.centre, benchmark)
    sigma2 = within_variance(ev)
    gaps = [
        (ev.sums[d][h] / w - prior[d][h]) ** 2 - sigma2 / w
        for d in range(7) for h in range(24) if (w := ev.weights[d][h]) > 0
    ]  # fmt: skip
    tau2 = max(0.0, statistics.fmean(gaps)) if gaps else 0.0
    k = min(K_MAX, max(K_MIN, sigma2 / tau2)) if tau2 > 0 else K_MAX
    scores, share = zeros(), zeros()
    for d in range(7):
        for h in range(24):
            n = ev.weights[d][h]
            scores[d][h] = (ev.sums[d][h] + k * prior[d][h]) / (n + k)
            share[d][h] = n / (n + k)
    return Posterior(scores, share, ev.weights, k, sigma2, tau2)
