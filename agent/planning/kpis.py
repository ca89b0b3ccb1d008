"""KPI engine: funnel-stage KPIs with formula, baseline, target over the horizon, source, cadence.

Baselines come from the brief's presence where it has one, else from a cited benchmark (marked as
such). Targets are computed from the other engines' figures (schedule, paid forecasts) and the stated
assumptions in knowledge/data/kpis.yaml; every KPI says which.
"""

from __future__ import annotations

from agent.brief import PLATFORM_NAMES, Brief, Goal
from agent.plan import Budget, Kpi
from agent.planning.budget import article
from agent.planning.frequency import Cadence
from agent.planning.tables import Tables

WEEKS_PER_MONTH = 4.33
MIN_SESSIONS = 10  # below this a monthly sessions target is noise
INSIGHTS = {
    "facebook": "Meta Business Suite insights", "instagram": "Meta Business Suite insights",
    "linkedin": "LinkedIn Page analytics", "x": "X analytics", "tiktok": "TikTok analytics",
    "youtube": "YouTube Studio analytics", "pinterest": "Pinterest analytics", "threads": "Threads insights",
}
WEB = "Web analytics (e.g. GA4) on UTM-tagged links: utm_source=<platform>, utm_medium=social or paid_social"
CONVERT = {
    Goal.leads: ("Leads from social", "leads", "CRM or form tool, with the UTM source stored on each lead"),
    Goal.sales: ("Purchases from social", "purchases", "Shop or checkout analytics with UTM attribution"),
    Goal.app_installs: ("App installs from social", "installs", "App store consoles and the ad platforms' SDK"),
    Goal.recruiting: ("Job applications from social", "applications", "Applicant tracking system (source field)"),
    Goal.community: ("New community members", "members", "Group or community platform admin stats"),
}


def _mid(low: float, high: float) -> float:
    return (low + high) / 2


def _paid_totals(budget: Budget) -> tuple[float, float, float, float]:
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


def organic_impressions(brief: Brief, tables: Tables, cadences: list[Cadence], months: float) -> tuple[float, float]:
    """(current, at horizon end) organic impressions per month from followers x reach rate x posts."""
    growth = tables.kpi.follower_growth_per_month[brief.business.stage]
    now = later = 0.0
    for cadence in cadences:
        account = brief.presence_for(cadence.platform)  # type: ignore[arg-type]
        if account is None or account.followers == 0:
            continue
        rate = next(e.reach_rate for e in tables.engagement if e.platform.value == cadence.platform)
        now += account.followers * rate * account.posts_per_week * WEEKS_PER_MONTH
        later += account.followers * (1 + growth) ** months * rate * cadence.posts_per_week * WEEKS_PER_MONTH
    return round(now, -1), round(later, -1)


def _engagement_kpis(brief: Brief, tables: Tables, cadences: list[Cadence]) -> list[Kpi]:
    months = brief.goals.horizon_months
    uplift = min(tables.kpi.engagement_uplift_cap, tables.kpi.engagement_uplift_per_quarter * months / 3)
    out = []
    for cadence in cadences:
        bench = next(e for e in tables.engagement if e.platform.value == cadence.platform)
        account = brief.presence_for(cadence.platform)  # type: ignore[arg-type]
        own = account.engagement_rate if account and account.engagement_rate is not None else None
        base = own if own is not None else bench.rate
        out.append(Kpi(
            name=f"Engagement rate per post ({PLATFORM_NAMES[cadence.platform]})", stage="consideration",
            formula="engagements on a post / followers x 100, averaged over posts", platform=cadence.platform,
            baseline=round(base * 100, 3), baseline_source="presence" if own is not None else "benchmark",
            target=round(base * (1 + uplift) * 100, 3), unit="%", data_source=INSIGHTS[cadence.platform],
            cadence="monthly",
            rationale=(f"{'own current rate' if own is not None else f'benchmark median ({bench.source}, {bench.year})'}"
                       f"; +{uplift:.0%} over {months} months from a steady cadence and fast replies (assumption)"),
            citations=[bench.source, "engagement-rate-definitions", tables.kpi.source],
        ))
    return out


def _follower_kpis(brief: Brief, tables: Tables, cadences: list[Cadence]) -> list[Kpi]:
    growth = tables.kpi.follower_growth_per_month[brief.business.stage]
    out = []
    for cadence in cadences:
        account = brief.presence_for(cadence.platform)  # type: ignore[arg-type]
        if account is None or account.followers == 0:
            continue
        target = round(account.followers * (1 + growth) ** brief.goals.horizon_months)
        out.append(Kpi(
            name=f"Followers ({PLATFORM_NAMES[cadence.platform]})", stage="awareness",
            formula="followers at period end; growth rate = net new followers / followers x 100",
            platform=cadence.platform, baseline=float(account.followers), baseline_source="presence",
            target=float(target), unit="followers", data_source=INSIGHTS[cadence.platform], cadence="monthly",
            rationale=(f"{growth:.1%} net growth a month for {article(brief.business.stage)} "
                       f"{brief.business.stage}-stage account (assumption)"),
            citations=["kpi-funnel-mapping", tables.kpi.source],
        ))
    return out


def _reach_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget) -> list[Kpi]:
    now, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months)
    _, paid_imps, _, _ = _paid_totals(budget)
    target = round(later + paid_imps, -2)
    if target <= 0:
        return []
    return [Kpi(
        name="Impressions per month (organic + paid)", stage="awareness",
        formula="sum of post and ad impressions in the month", platform=None,
        baseline=now or None, baseline_source="presence" if now else "none", target=target, unit="impressions",
        data_source="Platform insights and ads managers", cadence="monthly",
        rationale=(f"organic: followers x reach rate x posts ({later:,.0f}); paid: forecast mid-point "
                   f"({paid_imps:,.0f})"),
        citations=["organic-reach-decline", "paid-media-formulas"],
    )]


def _traffic_and_results(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget) -> list[Kpi]:
    _, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months)
    spend, paid_imps, paid_clicks, paid_results = _paid_totals(budget)
    organic_clicks = later * tables.kpi.organic_link_ctr
    sessions = round(paid_clicks + organic_clicks)
    out: list[Kpi] = []
    goals = [brief.goals.primary, *brief.goals.secondary]
    if sessions >= MIN_SESSIONS and any(g in goals for g in (Goal.traffic, *CONVERT)):
        out.append(Kpi(
            name="Website sessions from social per month", stage="consideration",
            formula="sessions with utm_medium=social or paid_social", platform=None, baseline=None,
            target=float(sessions), unit="sessions", data_source=WEB, cadence="weekly",
            rationale=(f"paid clicks mid-point ({paid_clicks:,.0f}) + organic impressions x "
                       f"{tables.kpi.organic_link_ctr:.1%} link CTR (assumption)"),
            citations=["utm-tagging-discipline", "paid-media-formulas", tables.kpi.source],
        ))
    for goal in dict.fromkeys(g for g in goals if g in CONVERT):
        name, unit, source = CONVERT[goal]
        paid_part = paid_results if goal == brief.goals.primary else 0.0
        organic_part = organic_clicks * tables.kpi.site_conversion.get(goal, 0.0)
        target = round(paid_part + organic_part, 1)
        if target < 1:
            continue
        out.append(Kpi(
            name=f"{name} per month", stage="conversion", formula=f"{unit} attributed to social (UTM) in the month",
            platform=None, baseline=None, target=target, unit=unit, data_source=source, cadence="weekly",
            rationale=(f"paid forecast mid-point ({paid_part:,.1f}) + organic visits x "
                       f"{tables.kpi.site_conversion.get(goal, 0.0):.0%} site conversion (assumption)"),
            citations=["kpi-funnel-mapping", "paid-media-formulas", tables.kpi.source],
        ))
    return out + _paid_efficiency(brief, spend, paid_imps, paid_clicks, paid_results)


def _paid_efficiency(brief: Brief, spend: float, imps: float, clicks: float, results: float) -> list[Kpi]:
    if spend <= 0 or imps <= 0:
        return []
    out = [Kpi(
        name="Paid click-through rate", stage="consideration", formula="clicks / impressions x 100",
        platform=None, baseline=None, target=round(clicks / imps * 100, 2), unit="%",
        data_source="Ads Manager / Campaign Manager", cadence="weekly",
        rationale="forecast clicks / forecast impressions (mid-points)", citations=["paid-media-formulas"],
    )]
    if results > 0:
        out.append(Kpi(
            name="Cost per result (paid)", stage="conversion", formula="spend / results",
            platform=None, baseline=None, target=round(spend / results, 2), unit=brief.resources.currency,
            data_source="Ads Manager / Campaign Manager", cadence="weekly",
            rationale="monthly paid spend / forecast results (mid-point); a ceiling to manage against",
            citations=["paid-media-formulas"],
        ))
    return out


def _loyalty(tables: Tables) -> Kpi:
    hours = tables.kpi.response_time_hours
    return Kpi(
        name="Median first-reply time to comments and messages", stage="loyalty",
        formula="median of (first reply time - message time) in staffed hours", platform=None,
        baseline=None, target=hours, unit="hours", data_source="Platform inboxes or a social inbox tool",
        cadence="weekly", rationale="consumers expect replies within about an hour; answer every complaint",
        citations=["response-time-expectations", "community-management-ugc"],
    )


def compute_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget) -> list[Kpi]:
    """KPIs for the plan, in funnel order."""
    kpis = (
        _reach_kpis(brief, tables, cadences, budget)
        + _follower_kpis(brief, tables, cadences)
        + _engagement_kpis(brief, tables, cadences)
        + _traffic_and_results(brief, tables, cadences, budget)
        + [_loyalty(tables)]
    )
    order = ["awareness", "consideration", "conversion", "loyalty"]
    return sorted(kpis, key=lambda k: order.index(k.stage))
