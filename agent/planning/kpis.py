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
from agent.planning.tables import Tables
from agent.planning.units import read_unit

WEEKS_PER_MONTH = 4.33
MIN_SESSIONS = 10  # below this a monthly sessions target is noise
MAX_OWN_GROWTH = 0.10  # a measured monthly follower growth above this is not extrapolated
Own = Mapping[str, Baseline]
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
AT_THE_TILL = ("In person: a social-only offer or code and 'how did you hear of us?' at the till or the booking, "
               "plus online orders and bookings with UTM")
"""Where a local business (most of whose sales and visits never touch a website) counts its results."""
IN_PERSON_FORMULA = "{unit} credited to social in the month (offer code, question at the till or booking, UTM online)"


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


def growth_rate(brief: Brief, tables: Tables, own: Baseline | None) -> float:
    """Monthly follower growth: the measured trend (bounded) when the export has one, else the stage assumption."""
    if own is not None and own.follower_growth is not None:
        return min(MAX_OWN_GROWTH, max(0.0, own.follower_growth))
    return tables.kpi.follower_growth_per_month[brief.business.stage]


def _per_post(own: Baseline | None) -> float | None:
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
        per_post = _per_post(mine)
        if mine is not None and per_post:
            now += per_post * (mine.posts_per_week or 0.0) * WEEKS_PER_MONTH
            later += per_post * (1 + growth) ** months * cadence.posts_per_week * WEEKS_PER_MONTH
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
        per_post = _per_post(mine)
        if mine is None or not per_post:
            continue
        kind = "Impressions" if mine.impressions_per_post else "Reach"
        growth = growth_rate(brief, tables, mine)
        out.append(Kpi(
            name=f"{kind} per post ({PLATFORM_NAMES[cadence.platform]})", stage="awareness",
            formula=f"{'impressions (views)' if kind == 'Impressions' else 'people reached'} per organic post, "
                    "averaged over the month's posts",
            platform=cadence.platform, baseline=float(round(per_post)), baseline_source="own_data",
            target=float(round(per_post * (1 + growth) ** brief.goals.horizon_months)),
            unit="impressions" if kind == "Impressions" else "people", data_source=INSIGHTS[cadence.platform],
            cadence="monthly",
            rationale=f"{_measured(mine)}; grows with followers at {growth:.1%} a month",
            citations=["organic-reach-decline"],
        ))
    return out


def _reach_kpis(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, own: Own) -> list[Kpi]:
    now, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months, own)
    _, paid_imps, _, _ = _paid_totals(budget)
    target = round(later + paid_imps, -2)
    if target <= 0 and brief.goals.primary == Goal.awareness:
        posts = sum(c.posts_per_week for c in cadences) * WEEKS_PER_MONTH
        later = target = round(posts * tables.kpi.new_account_reach_per_post, -2)
    if target <= 0:
        return []
    measured = any(_per_post(own.get(c.platform)) for c in cadences)
    source = "own_data" if measured and now else "presence" if now else "none"
    scaled = any((a := brief.presence_for(c.platform)) is not None and a.engagement_rate  # type: ignore[arg-type]
                 for c in cadences)
    how = ("measured impressions per post x planned posts" if measured else
           "followers x reach rate (scaled by the account's own engagement rate) x posts" if scaled else
           "followers x reach rate x posts")
    return [Kpi(
        name="Impressions per month (organic + paid)", stage="awareness",
        formula="sum of post and ad impressions in the month", platform=None,
        baseline=now or None, baseline_source=source, target=target, unit="impressions",  # type: ignore[arg-type]
        data_source="Platform insights and ads managers", cadence="monthly",
        rationale=f"organic: {how} ({later:,.0f}); paid: forecast mid-point ({paid_imps:,.0f})",
        citations=["organic-reach-decline", "paid-media-formulas"],
        goal=Goal.awareness if brief.goals.primary == Goal.awareness else None,
    )]


def _traffic_and_results(
    brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, own: Own, results: Mapping[Goal, str],
    local: bool = False,
) -> list[Kpi]:
    _, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months, own)
    spend, paid_imps, paid_clicks, paid_results = _paid_totals(budget)
    organic_clicks = later * tables.kpi.organic_link_ctr
    sessions = round(paid_clicks + organic_clicks)
    out: list[Kpi] = []
    goals = [brief.goals.primary, *brief.goals.secondary]
    if (sessions >= MIN_SESSIONS and any(g in goals for g in (Goal.traffic, *CONVERT))) or \
            brief.goals.primary == Goal.traffic:
        out.append(Kpi(
            name="Website sessions from social per month", stage="consideration",
            formula="sessions with utm_medium=social or paid_social", platform=None, baseline=None,
            target=float(max(1, sessions)), unit="sessions", data_source=WEB, cadence="weekly",
            rationale=(f"paid clicks mid-point ({paid_clicks:,.0f}) + organic impressions x "
                       f"{tables.kpi.organic_link_ctr:.1%} link CTR (assumption)"),
            citations=["utm-tagging-discipline", "paid-media-formulas", tables.kpi.source],
        ))
    if out and brief.goals.primary == Goal.traffic:
        out[0] = out[0].model_copy(update={"goal": Goal.traffic})
    for goal in dict.fromkeys(g for g in goals if g in CONVERT):
        kpi = _result_kpi(brief, tables, goal, paid_results if goal == brief.goals.primary else 0.0, organic_clicks,
                          results, local and goal == Goal.sales)
        if kpi is not None:
            out.append(kpi)
    return out + _paid_efficiency(brief, spend, paid_imps, paid_clicks, paid_results)


def _result_kpi(
    brief: Brief, tables: Tables, goal: Goal, paid_part: float, organic_clicks: float, results: Mapping[Goal, str],
    in_person: bool = False,
) -> Kpi | None:
    """Results of a conversion goal per month; the primary goal always gets one, in whole numbers; `in_person`:
    counted where the customer pays or books, not only online."""
    name, unit, source = CONVERT[goal]
    step = 1.0
    if goal in results:
        unit = results[goal]
        name = f"{unit[:1].upper()}{unit[1:]} from social"
        named = read_unit(unit, tables)
        step = named.per_result if named is not None and named.goal == goal else 1.0
    organic_part = organic_clicks * tables.kpi.site_conversion.get(goal, 0.0)
    forecast = (paid_part + organic_part) * step
    if round(forecast) < 1 and goal != brief.goals.primary:
        return None
    why = (f"paid forecast mid-point ({paid_part:,.0f}) + organic visits x "
           f"{tables.kpi.site_conversion.get(goal, 0.0):.0%} site conversion (assumption)")
    if step != 1:
        why += f", x {step:g} {unit} per {goal.value.replace('_', ' ')} result (assumption)"
    if round(forecast) < 1:
        why += ("; under one a month is forecast at this scale, so the first target is the first one: count every "
                "one (ask each new customer how they found you, or use a code or a form field) to set a baseline")
    formula = IN_PERSON_FORMULA.format(unit=unit) if in_person else f"{unit} attributed to social (UTM) in the month"
    return Kpi(
        name=f"{name} per month", stage="conversion", formula=formula,
        platform=None, baseline=None, target=float(max(1, round(forecast))), unit=unit,
        data_source=AT_THE_TILL if in_person else source,
        cadence="weekly", rationale=why, goal=goal,
        citations=["kpi-funnel-mapping", "paid-media-formulas", tables.kpi.source],
    )


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
        per, name, formula = 1.0, "Cost per result (paid)", "spend / results"
        if brief.goals.primary == Goal.awareness:
            per, name, formula = 1000.0, "Cost per 1,000 people reached (paid)", "spend / people reached x 1,000"
        out.append(Kpi(
            name=name, stage="conversion", formula=formula,
            platform=None, baseline=None, target=round(spend / results * per, 2), unit=brief.resources.currency,
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
        + _traffic_and_results(brief, tables, cadences, budget, mine, results or {}, local)
        + [_loyalty(tables)]
    )
    order = ["awareness", "consideration", "conversion", "loyalty"]
    return sorted(kpis, key=lambda k: order.index(k.stage))
