"""What the planning engines learn from `OwnData`, and the `Analytics` summary the plan carries.

Pure: `insight()` turns records into slot evidence, shrunk slot scores and baselines per platform
for a plan run at `now`; `summarise()` writes them into the plan's `Analytics` model, with the
definitions in words a client can follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from agent.analytics.baselines import Baseline, baseline
from agent.analytics.model import OwnData, PostRecord
from agent.analytics.scoring import (
    HALF_LIFE_WEEKS,
    K_MAX,
    K_MIN,
    MIN_POSTS,
    WINDOW_WEEKS,
    Evidence,
    Grid,
    Posterior,
    evidence,
    recency_weight,
    shrink,
)
from agent.model.brief import Platform
from agent.model.plan import Analytics, AnalyticsFile, OwnPlatform, ScheduleItem

ENGAGEMENT_DEFINITION = (
    "Engagements = reactions (likes) + comments (replies) + shares (reposts, retweets) + saves (bookmarks), "
    "counting the columns each export has; clicks are not counted because only some exports have them and "
    "they mean different things. Engagement rate = engagements / impressions (views, where the export calls "
    "them so; reach where it has no impressions), summed over the recent posts. A post's score = its "
    "engagements / the engagements of the platform's median recent post, so 1.0 is a typical post."
)
SLOT_METHOD = (
    f"Each weekday-hour slot (audience time, posting time rounded to the hour) gets an expected score that "
    f"blends the average score of your posts published in it with what the benchmark studies expect there "
    f"(an untried studies' best hour: as good as your typical slot; an hour no study names: 20% below it). The "
    f"benchmark counts as k posts in every slot. k is estimated from your own data: it is how much single "
    f"posts vary within a slot divided by how much the slots really differ, so noisy results lean on the "
    f"benchmark and clear, repeated differences lean on your data (k is kept between {K_MIN:g} and "
    f"{K_MAX:g}). Posts from the last {WINDOW_WEEKS} weeks count fully, older ones half as much for every "
    f"further {HALF_LIFE_WEEKS} weeks, nothing older than a year, and nothing under two days old (its totals "
    f"are still growing). A slot is marked own data when your posts in it weigh at least as much as the "
    f"benchmark; its confidence is their share of the estimate. Platforms with fewer than {MIN_POSTS:g} "
    f"recent posts with a known hour keep benchmark slots."
)


@dataclass(frozen=True)
class Insight:
    """Per platform: slot evidence, shrunk slot scores (when there is enough evidence) and baselines."""

    evidence: dict[str, Evidence | None]
    posteriors: dict[str, Posterior]
    baselines: dict[str, Baseline]


def insight(own: OwnData, zone: str, now: dt.datetime, benchmarks: dict[str, Grid]) -> Insight:
    """Everything the engines use from the user's posts, for a plan run at `now` in `zone`."""
    found: dict[str, Evidence | None] = {}
    posteriors: dict[str, Posterior] = {}
    baselines: dict[str, Baseline] = {}
    for platform in own.platforms():
        posts = own.for_platform(platform)
        found[platform] = ev = evidence(posts, zone, now)
        if ev is not None and ev.usable():
            posteriors[platform] = shrink(ev, benchmarks[platform])
        baselines[platform] = baseline(platform, posts, now, own.denominator(platform))
    return Insight(found, posteriors, baselines)


def summarise(own: OwnData, found: Insight, schedule: list[ScheduleItem], now: dt.datetime) -> Analytics:
    """The plan's own-analytics summary."""
    scheduled = {item.platform.value for item in schedule if any(s.source == "own_data" for s in item.slots)}
    files = [
        AnalyticsFile(name=Path(f.path).name, format=f.format, label=f.label,
                      platforms=[Platform(p) for p in f.platforms], rows=f.rows, posts=f.posts, skipped=f.skipped,
                      notes=list(f.notes))
        for f in own.files
    ]
    platforms = [_platform(own, found, p, p in scheduled, now) for p in own.platforms()]
    return Analytics(as_of=now, files=files, platforms=platforms, engagement_definition=ENGAGEMENT_DEFINITION,
                     slot_method=SLOT_METHOD, warnings=list(own.warnings))


def _platform(own: OwnData, found: Insight, platform: str, used: bool, now: dt.datetime) -> OwnPlatform:
    posts = own.for_platform(platform)
    base = found.baselines[platform]
    post = found.posteriors.get(platform)
    ev = found.evidence.get(platform)
    return OwnPlatform(
        platform=Platform(platform), posts=len(posts),
        posts_recent=sum(recency_weight(p.published_at or p.published_on, now) > 0 for p in posts),
        posts_timed=ev.posts if ev else 0, first_post=base.first, last_post=base.last,
        time_source=", ".join(dict.fromkeys(p.time_source for p in posts)),
        engagement_columns=own.engagement_columns(platform), denominator=base.denominator,
        engagement_rate=_round(base.engagement_rate, 5), impressions_per_post=_round(base.impressions_per_post, 1),
        reach_per_post=_round(base.reach_per_post, 1), posts_per_week=_round(base.posts_per_week, 2),
        followers=base.followers, follower_growth_per_month=_round(base.follower_growth, 4),
        slots_from_data=used, prior_strength=_round(post.k if post else None, 2),
        within_slot_variance=_round(post.sigma2 if post else None, 4),
        between_slot_variance=_round(post.tau2 if post else None, 4), note=_note(posts, ev, post),
        scores=[[round(v, 3) for v in row] for row in post.scores] if post else [],
        posts_per_slot=[[round(v, 2) for v in row] for row in ev.weights] if ev else [],
    )


def _note(posts: list[PostRecord], ev: Evidence | None, post: Posterior | None) -> str:
    if post is not None:
        return ""
    if not any(p.published_at for p in posts):
        return "The export gives dates but no posting hours, so it informs the baselines only."
    if ev is None:
        return "No post from the last year has engagements, so the export informs nothing."
    return (f"Only {ev.total:.0f} recent posts with a known posting hour ({MIN_POSTS:g} needed): "
            "the slots stay on the benchmark.")


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
