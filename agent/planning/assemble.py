"""Run the engines in order and gather their results into one `PlanCore`.

channels -> frequency (may drop channels that do not fit the hours) -> timing -> budget -> KPIs ->
calendar. Pure: the caller passes `today` (used only when the brief has no start_date) and, with the
user's own exports (`own`, already parsed), the run time `now` that recency weights count from.
Own data changes the slots (scored per slot, shrunk toward the benchmark) and the KPI baselines;
the summary of what it said goes into `PlanCore.analytics`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from agent.analytics.model import OwnData
from agent.analytics.summary import Insight, insight, summarise
from agent.model.brief import Brief, Category
from agent.model.plan import Analytics, Budget, CalendarPost, CategoryChoice, Channel, Kpi, Pillar, ScheduleItem, Target
from agent.planning.budget import ad_accounts, compute_budget
from agent.planning.calendar import build_calendar, end_of_horizon, pillar_rule, pillars_of
from agent.planning.category import category_row, detect_category
from agent.planning.channels import score_channels
from agent.planning.frequency import Cadence, fit_frequency
from agent.planning.geo import audience_country
from agent.planning.kpis import compute_kpis
from agent.planning.tables import Tables
from agent.planning.target import assess_target
from agent.planning.timing import benchmark_grid, timing_for


class PlanCore(BaseModel):
    """Everything the engines compute for one brief."""

    start_date: dt.date
    end_date: dt.date
    country: str | None
    channels: list[Channel]
    schedule: list[ScheduleItem]
    overhead_hours: float
    budget: Budget
    kpis: list[Kpi]
    calendar: list[CalendarPost]
    pillars: list[Pillar]
    pillar_rule: str
    pillar_source: str
    warnings: list[str]
    analytics: Analytics | None = None
    category: CategoryChoice | None = None
    target: Target | None = None

    def cited_ids(self) -> list[str]:
        """Every knowledge id the plan cites, in first-seen order."""
        ids: list[str] = []
        for group in (self.channels, self.schedule, self.kpis):
            for item in group:
                ids.extend(item.citations)
        ids.extend(self.budget.citations)
        for line in self.budget.lines:
            ids.extend(line.forecast.citations if line.forecast else [])
        ids.append(self.pillar_source)
        ids.extend(self.target.citations if self.target else [])
        return list(dict.fromkeys(ids))


def _schedule(
    brief: Brief, tables: Tables, cadences: list[Cadence], start: dt.date, found: Insight | None = None
) -> list[ScheduleItem]:
    items = []
    zone = brief.audience.timezone
    for cadence in cadences:
        own = found.posteriors.get(cadence.platform) if found else None
        timing = timing_for(tables, cadence.platform, cadence.posts_per_week, zone, start, own)
        items.append(ScheduleItem(
            platform=cadence.platform, posts_per_week=cadence.posts_per_week, formats=cadence.formats,
            hours_per_week=cadence.hours, slots=timing.slots, rationale=f"{cadence.rationale} {timing.rationale}",
            citations=list(dict.fromkeys([*cadence.citations, *timing.citations])),
        ))
    return items


def _insight(brief: Brief, tables: Tables, start: dt.date, own: OwnData, now: dt.datetime) -> Insight:
    zone = brief.audience.timezone
    grids = {p: benchmark_grid(tables, p, zone, start) for p in own.platforms()}
    return insight(own, zone, now, grids)


def plan_core(
    brief: Brief, tables: Tables, today: dt.date, own: OwnData | None = None, now: dt.datetime | None = None,
    similarities: dict[Category, float] | None = None,
) -> PlanCore:
    """Compute the whole plan for a brief (with the user's own exports when given; `similarities`:
    embedding similarity of the brief with each category description, for detection)."""
    start = brief.resolved_start(today)
    as_of = now or dt.datetime.combine(today, dt.time(), dt.UTC)
    found = _insight(brief, tables, start, own, as_of) if own is not None and own.posts else None
    category = detect_category(brief, tables, similarities)
    channels = score_channels(brief, tables, category)
    ads = ad_accounts(compute_budget(brief, tables, channels, category.value), tables)
    cadences, channels, overhead = fit_frequency(brief, tables, channels, ads * tables.effort.ads_hours_per_account)
    schedule = _schedule(brief, tables, cadences, start, found)
    budget = compute_budget(brief, tables, channels, category.value)
    row = category_row(tables, category.value)
    country = audience_country(brief)
    rule = pillar_rule(brief, tables)
    warnings = [] if brief.resources.currency in tables.fx_to_usd else [
        f"No exchange rate for {brief.resources.currency}: cost benchmarks are used as if in USD."]
    return PlanCore(
        start_date=start, end_date=end_of_horizon(start, brief.goals.horizon_months), country=country,
        channels=channels, schedule=schedule, overhead_hours=overhead, budget=budget,
        kpis=compute_kpis(brief, tables, cadences, budget, found.baselines if found else None,
                          row.results if row else None),
        category=category, target=assess_target(brief, tables, cadences, budget, channels),
        calendar=build_calendar(brief, tables, schedule, start, country),
        pillars=pillars_of(rule), pillar_rule=f"{rule.name}: {rule.note}".strip(": "),
        pillar_source=rule.source, warnings=warnings,
        analytics=summarise(own, found, schedule, as_of) if own is not None and found is not None else None,
    )
