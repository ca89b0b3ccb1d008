"""Paid forecasts: what a monthly amount buys on one platform, as low-high ranges.

impressions = spend / CPM x 1000; clicks = spend / CPC; results depend on the goal: spend / a
published cost per result where the tables hold one (cost per install, cost per lead), else people
reached at the assumed ad frequency, clicks, or clicks x conversion rate x the goal's result factor.
Low ends use the expensive end of each cost range; counts are whole numbers.
"""

from __future__ import annotations

from agent.model.brief import Goal
from agent.model.plan import Forecast, Range
from agent.planning.tables import KpiAssumptions, Paid

RESULT_NAMES = {
    Goal.awareness: "people reached",
    Goal.engagement: "engagement clicks",
    Goal.traffic: "landing-page clicks",
    Goal.leads: "leads",
    Goal.sales: "purchases",
    Goal.community: "new followers or members",
    Goal.recruiting: "job applications",
    Goal.app_installs: "app installs",
}
CLICK_RESULTS = {Goal.engagement, Goal.traffic}


def _range(low: float, high: float, digits: int = 0) -> Range:
    return Range(low=round(min(low, high), digits), high=round(max(low, high), digits))


def results_range(
    goal: Goal, impressions: Range, clicks: Range, paid: Paid, kpi: KpiAssumptions,
    spend: float = 0.0, rate: float = 1.0,
) -> Range:
    """Results for the goal: from a published cost per result when there is one, else impressions and clicks."""
    if goal in paid.cost_per_result and spend > 0:
        low_cost, high_cost = paid.cost_per_result[goal]
        return _range(spend / (high_cost * rate), spend / (low_cost * rate))
    if goal == Goal.awareness:
        return _range(impressions.low / kpi.ad_frequency, impressions.high / kpi.ad_frequency)
    if goal in CLICK_RESULTS:
        return clicks
    factor = kpi.result_factor.get(goal, 1.0)
    low_rate, high_rate = paid.conversion_rate
    return _range(clicks.low * low_rate * factor, clicks.high * high_rate * factor)


def forecast_line(amount: float, paid: Paid, goal: Goal, rate: float, kpi: KpiAssumptions) -> Forecast:
    """Forecast for `amount` (in the brief's currency; `rate` units per USD) on one platform."""
    cpm = _range(paid.cpm[0] * rate, paid.cpm[1] * rate, 2)
    cpc = _range(paid.cpc[0] * rate, paid.cpc[1] * rate, 2)
    impressions = _range(amount / cpm.high * 1000, amount / cpm.low * 1000, -2)
    clicks = _range(amount / cpc.high, amount / cpc.low)
    results = results_range(goal, impressions, clicks, paid, kpi, amount, rate)
    cpa = _range(amount / results.high if results.high else 0, amount / results.low if results.low else 0, 2)
    source = f"{paid.source} ({paid.year}{', uncertain' if paid.uncertain else ''})"
    if paid.market:
        source += f"; {paid.market}"
    return Forecast(
        impressions=impressions,
        clicks=clicks,
        results=results,
        result_name=RESULT_NAMES[goal],
        cpm=cpm,
        cpc=cpc,
        cpa=cpa,
        source=source,
        citations=[
            paid.source,
            *([paid.cost_source] if goal in paid.cost_per_result and paid.cost_source else []),
            *paid.market_sources,
            "paid-media-formulas",
            *(["frequency-caps-ad-fatigue"] if goal == Goal.awareness else []),
        ],
    )
