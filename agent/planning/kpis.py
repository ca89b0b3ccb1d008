"""KPI engine: funnel-stage KPIs with formula, baseline, target over the horizon, source, cadence.

Baselines come from the user's own exports where given (`own_data`: engagement rate, reach or
impressions per post, followers and their growth, measured over recent posts), else from the brief's
presence, else from a cited benchmark (marked as such). Targets are computed from the other engines'
figures (schedule, paid forecasts) and the stated assumptions in knowledge/data/kpis.yaml; every KPI
says which. A measured follower trend replaces the stage assumption (bounded to 0-10% a month).
"""

from __future__ import annotations

from collections.abc import Mapping

from agent.analytics.baselines import Baseline
from agent.model.brief import PLATFORM_NAMES, Brief, Goal
from agent.model.plan import Budget, Kpi
from agent.planning.budget import article
from agent.planning.cadence import Cadence
from agent.planning.reach import (
    WEEKS_PER_MONTH,
    Own,
    growth_rate,
    organic_impressions,
    paid_totals,
    per_post,
)
from agent.planning.reputation import about_reputation, reputation_kpis
from agent.planning.results import result_kpis
from agent.planning.tables import Tables

INSIGHTS = {
    "facebook": "Meta Business Suite insights", "instagram": "Meta Business Suite insights",
    "linkedin": "LinkedIn Page analytics", "x": "X analytics", "tiktok": "TikTok analytics",
    "youtube": "YouTube Studio analytics", "pinterest": "Pinterest analytics", "threads": "Threads insights",
}
def _engagement_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], own: Own) -> list[Kpi]:
    months = brief.goals.horizon_months
    uplift = min(tables.kpi.engagement_uplift_cap, tables.kpi.engagement_uplift_per_quarter * months / 3)
    out = []
    for cadence in cadences:
        bench = next(e for e in tables.engagement if e.platform.value == cadence.platform)
        mine = own.get(cadence.platform)
        if mine is not None and mine.engagement_rate is not None:
            out.append(_own_engagement_kpi(cadence.platform, mine, uplift, months))
            continue
        account = brief.presence_for(cadence.platform)  # type: ignore[arg-type]
        stated = account.engagement_rate if account and account.engagement_rate is not None else None
        base = stated if stated is not None else bench.rate
        origin = "own current rate" if stated is not None else f"benchmark median ({bench.source}, {bench.year})"
        out.append(Kpi(
            name=f"Engagement rate per post ({PLATFORM_NAMES[cadence.platform]})", stage="consideration",
            formula="engagements on a post / followers x 100, averaged over posts", platform=cadence.platform,
            baseline=round(base * 100, 3), baseline_source="presence" if stated is not None else "benchmark",
            target=round(base * (1 + uplift) * 100, 3), unit="%", data_source=INSIGHTS[cadence.platform],
            cadence="monthly",
            rationale=f"{origin}; +{uplift:.0%} over {months} months from a steady cadence and fast replies "
                      "(assumption)",
            citations=[bench.source, "engagement-rate-definitions", tables.kpi.source],
        ))
    if brief.goals.primary == Goal.engagement:
        return [k.model_copy(update={"goal": Goal.engagement}) for k in out]
    return out


def _measured(mine: Baseline) -> str:
    return f"measured in the export: {mine.posts} recent posts, {mine.first} to {mine.last}"


def _own_engagement_kpi(platform: str, mine: Baseline, uplift: float, months: int) -> Kpi:
    rate = mine.engagement_rate or 0.0
    return Kpi(
        name=f"Engagement rate per post ({PLATFORM_NAMES[platform]})", stage="consideration",
        formula=(f"engagements (reactions + comments + shares + saves) / {mine.denominator.lower()} x 100, "
                 "summed over the month's posts"),
        platform=platform, baseline=round(rate * 100, 3), baseline_source="own_data",  # type: ignore[arg-type]
        target=round(rate * (1 + uplift) * 100, 3), unit="%", data_source=INSIGHTS[platform], cadence="monthly",
        rationale=(f"{_measured(mine)}; +{uplift:.0%} over {months} months from a steady cadence and fast "
                   "replies (assumption)"),
        citations=["engagement-rate-definitions"],
    )


def _follower_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], own: Own) -> list[Kpi]:
    out = []
    for cadence in cadences:
        mine = own.get(cadence.platform)
        account = brief.presence_for(cadence.platform)  # type: ignore[arg-type]
        measured = mine.followers if mine is not None and mine.followers else None
        followers = measured or (account.followers if account is not None else 0)
        if not followers:
            continue
        growth = growth_rate(brief, tables, mine)
        trend = mine is not None and mine.follower_growth is not None
        why = (f"measured net growth {mine.follower_growth:.1%} a month ({_measured(mine)}), continued within 0-10%"
               if trend and mine is not None else
               f"{growth:.1%} net growth a month for {article(brief.business.stage)} {brief.business.stage}-stage "
               "account (assumption)")
        out.append(Kpi(
            name=f"Followers ({PLATFORM_NAMES[cadence.platform]})", stage="awareness",
            formula="followers at period end; growth rate = net new followers / followers x 100",
            platform=cadence.platform, baseline=float(followers),
            baseline_source="own_data" if measured else "presence",
            target=float(round(followers * (1 + growth) ** brief.goals.horizon_months)), unit="followers",
            data_source=INSIGHTS[cadence.platform], cadence="monthly", rationale=why,
            citations=["kpi-funnel-mapping", tables.kpi.source],
        ))
    return out


def _per_post_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], own: Own) -> list[Kpi]:
    out = []
    for cadence in cadences:
        mine = own.get(cadence.platform)
        each = per_post(mine)
        if mine is None or not each:
            continue
        kind = "Impressions" if mine.impressions_per_post else "Reach"
        growth = growth_rate(brief, tables, mine)
        out.append(Kpi(
            name=f"{kind} per post ({PLATFORM_NAMES[cadence.platform]})", stage="awareness",
            formula=f"{'impressions (views)' if kind == 'Impressions' else 'people reached'} per organic post, "
                    "averaged over the month's posts",
            platform=cadence.platform, baseline=float(round(each)), baseline_source="own_data",
            target=float(round(each * (1 + growth) ** brief.goals.horizon_months)),
            unit="impressions" if kind == "Impressions" else "people", data_source=INSIGHTS[cadence.platform],
            cadence="monthly",
            rationale=f"{_measured(mine)}; grows with followers at {growth:.1%} a month",
            citations=["organic-reach-decline"],
        ))
    return out


def _reach_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, own: Own) -> list[Kpi]:
    """Organic impressions a month, now and at the horizon by one formula, and the paid lines' impressions apart:
    summed, a client read '740 -> 50,400' as a promise of organic growth that was mostly ad money."""
    now, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months, own)
    _, paid_imps, _, _ = paid_totals(budget)
    awareness = Goal.awareness if brief.goals.primary == Goal.awareness else None
    if later <= 0 and paid_imps <= 0 and awareness:
        posts = sum(c.posts_per_week for c in cadences) * WEEKS_PER_MONTH
        later = round(posts * tables.kpi.new_account_reach_per_post, -1)
    out = []
    if later > 0:
        measured = any(per_post(own.get(c.platform)) for c in cadences)
        source = "own_data" if measured and now else "presence" if now else "none"
        scaled = any((a := brief.presence_for(c.platform)) is not None and a.engagement_rate  # type: ignore[arg-type]
                     for c in cadences)
        how = ("measured impressions per post x planned posts" if measured else
               "followers x reach rate (scaled by the account's own engagement rate) x posts" if scaled else
               "followers x reach rate x posts")
        out.append(Kpi(
            name="Organic impressions per month", stage="awareness", formula="sum of organic post impressions in "
            "the month", platform=None, baseline=now or None, baseline_source=source,  # type: ignore[arg-type]
            target=later, unit="impressions", data_source="Platform insights", cadence="monthly",
            rationale=f"{how}, today's posts for the baseline and the plan's for the target, with followers grown "
                      "to the horizon", citations=["organic-reach-decline"], goal=awareness,
        ))
    if round(paid_imps, -2) > 0:
        out.append(Kpi(
            name="Paid impressions per month", stage="awareness", formula="sum of ad impressions in the month",
            platform=None, baseline=None, target=round(paid_imps, -2), unit="impressions",
            data_source="Ads managers", cadence="monthly", rationale="paid lines' forecast mid-points",
            citations=["paid-media-formulas"], goal=awareness,
        ))
    return out


def _loyalty(tables: Tables) -> Kpi:
    hours = tables.kpi.response_time_hours
    return Kpi(
        name="Median first-reply time to comments and messages", stage="loyalty",
        formula="median of (first reply time - message time) in staffed hours", platform=None,
        baseline=None, target=hours, unit="hours", data_source="Platform inboxes or a social inbox tool",
        cadence="weekly", rationale="people who message a business on social expect a reply within about an hour; "
                                    "answer every complaint",
        citations=["response-time-expectations", "community-management-ugc"],
    )


def compute_kpis(
    brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, own: Own | None = None,
    results: Mapping[Goal, str] | None = None, local: bool = False,
) -> list[Kpi]:
    """KPIs for the plan, in funnel order; `own`: baselines measured in the user's exports, by platform;
    `results`: what a result is called for this kind of business, by goal; `local`: a business people visit,
    whose results are counted at the till."""
    mine = own or {}
    kpis = (
        _reach_kpis(brief, tables, cadences, budget, mine)
        + _follower_kpis(brief, tables, cadences, mine)
        + _per_post_kpis(brief, tables, cadences, mine)
        + _engagement_kpis(brief, tables, cadences, mine)
        + result_kpis(brief, tables, cadences, budget, mine, results or {}, local)
        + [_loyalty(tables)]
        + (reputation_kpis(brief, tables, local) if about_reputation(brief.goals.target, tables) else [])
    )
    order = ["awareness", "consideration", "conversion", "loyalty"]
    return sorted(kpis, key=lambda k: order.index(k.stage))
