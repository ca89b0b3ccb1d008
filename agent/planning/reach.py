"""Reach forecasts the KPI and target engines share: organic impressions from followers, reach rates and
posts (or the user's own measured impressions per post), follower growth, and the paid lines' mid-points."""

from __future__ import annotations

from collections.abc import Mapping

from agent.analytics.baselines import Baseline
from agent.model.brief import Brief
from agent.model.plan import Budget
from agent.planning.cadence import Cadence
from agent.planning.tables import Tables

WEEKS_PER_MONTH = 4.33
MAX_OWN_GROWTH = 0.10  # a measured monthly follower growth above this is not extrapolated
Own = Mapping[str, Baseline]


def _mid(low: float, high: float) -> float:
    return (low + high) / 2


def paid_totals(budget: Budget) -> tuple[float, float, float, float]:
    """(spend, impressions, clicks, results) mid-points over the paid lines."""
    spend = imps = clicks = results = 0.0
    for line in budget.lines:
        if line.kind == "paid" and line.forecast:
            f = line.forecast
            spend += line.monthly_amount
            imps += _mid(f.impressions.low, f.impressions.high)
            clicks += _mid(f.clicks.low, f.clicks.high)
            results += _mid(f.results.low, f.results.high)
    return spend, imps, clicks, results


def growth_rate(brief: Brief, tables: Tables, own: Baseline | None) -> float:
    """Monthly follower growth: the measured trend (bounded) when the export has one, else the stage assumption."""
    if own is not None and own.follower_growth is not None:
        return min(MAX_OWN_GROWTH, max(0.0, own.follower_growth))
    return tables.kpi.follower_growth_per_month[brief.business.stage]


def per_post(own: Baseline | None) -> float | None:
    return (own.impressions_per_post or own.reach_per_post) if own else None


def organic_impressions(
    brief: Brief, tables: Tables, cadences: list[Cadence], months: float, own: Own | None = None
) -> tuple[float, float]:
    """(current, at horizon end) organic impressions per month: measured impressions (or reach) per post x
    posts from the user's export, else followers x reach rate x posts."""
    now = later = 0.0
    for cadence in cadences:
        mine = (own or {}).get(cadence.platform)
        growth = growth_rate(brief, tables, mine)
        each = per_post(mine)
        if mine is not None and each:
            now += each * (mine.posts_per_week or 0.0) * WEEKS_PER_MONTH
            later += each * (1 + growth) ** months * cadence.posts_per_week * WEEKS_PER_MONTH
            continue
        account = brief.presence_for(cadence.platform)  # type: ignore[arg-type]
        if account is None or account.followers == 0:
            continue
        rate = reach_rate(tables, cadence.platform, account.engagement_rate)
        now += account.followers * rate * account.posts_per_week * WEEKS_PER_MONTH
        later += account.followers * (1 + growth) ** months * rate * cadence.posts_per_week * WEEKS_PER_MONTH
    return round(now, -1), round(later, -1)


def reach_rate(tables: Tables, platform: str, engagement: float | None = None) -> float:
    """Organic reach per post as a share of followers: the benchmark, scaled by how far the account's own
    engagement rate (per follower) stands from the benchmark's, within `reach_scale_cap` either way (people
    engage with what they are shown, so an account with ten times the median engagement is shown to more than
    the median share of its followers); never above every follower."""
    bench = next(e for e in tables.engagement if e.platform.value == platform)
    if not engagement or not bench.rate:
        return bench.reach_rate
    cap = tables.kpi.reach_scale_cap
    return min(1.0, bench.reach_rate * min(cap, max(1 / cap, engagement / bench.rate)))
