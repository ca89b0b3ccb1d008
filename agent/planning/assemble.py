"""Run the engines in order and gather their results into one `PlanCore`.

channels -> frequency (may drop channels that do not fit the hours) -> timing -> budget -> KPIs ->
calendar, inside the market fit (markets and their costs, rules, routines, moments). Pure: the
caller passes `today` (used only when the brief has no start_date) and, with the user's own exports
(`own`, already parsed), the run time `now` that recency weights count from. Own data changes the
slots (scored per slot, shrunk toward the benchmark) and the KPI baselines; the summary of what it
said goes into `PlanCore.analytics`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from agent.analytics.model import OwnData
from agent.analytics.summary import Insight, insight, summarise
from agent.model.brief import Brief, Category
from agent.model.market import MarketFit, MarketInfo
from agent.model.plan import Analytics, Budget, CalendarPost, CategoryChoice, Channel, Kpi, Pillar, ScheduleItem, Target
from agent.planning.budget import ad_accounts, compute_budget
from agent.planning.cadence import Cadence
from agent.planning.calendar import build_calendar, end_of_horizon
from agent.planning.captions import ASKING, with_captions
from agent.planning.category import category_row, detect_category
from agent.planning.channels import score_channels
from agent.planning.fit import market_fit, market_slots, merge_slots, routines_for, timing_note, with_targeting
from agent.planning.frequency import fit_frequency
from agent.planning.geo import audience_country
from agent.planning.kpis import compute_kpis
from agent.planning.market import market_infos, market_rows, market_tables, unknown_markets, zone_groups
from agent.planning.moments import plan_moments
from agent.planning.pillars import PlanPillar, plan_pillars
from agent.planning.products import business_products, place_of
from agent.planning.rules import applicable_rules, banned_platforms, signed_off, target_area
from agent.planning.tables import CategoryRow, Market, Routine, Rule, Tables
from agent.planning.target import assess_target
from agent.planning.timing import benchmark_grid, timing_for
from agent.planning.topics import TopicSource, topic_source


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
    market: MarketFit | None = None

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
        ids.extend(self.market.citations if self.market else [])
        return list(dict.fromkeys(ids))


@dataclass
class Setting:
    """What every step of one plan shares: the brief, the market-priced tables and the market picture."""

    brief: Brief
    tables: Tables
    start: dt.date
    category: CategoryChoice
    row: CategoryRow | None
    markets: list[Market]
    infos: list[MarketInfo]
    routines: list[Routine]


def _schedule(setting: Setting, cadences: list[Cadence], found: Insight | None = None) -> tuple[
        list[ScheduleItem], str]:
    items, counts = [], {}
    zone, tables, start = setting.brief.audience.timezone, setting.tables, setting.start
    for cadence in cadences:
        own = found.posteriors.get(cadence.platform) if found else None
        split = market_slots(setting.infos, start, cadence.posts_per_week) if own is None else []
        parts = split or [(zone, cadence.posts_per_week)]
        timings = [timing_for(tables, cadence.platform, n, z, start, own, setting.routines) for z, n in parts if n]
        counts[cadence.platform.value] = [n for _, n in parts]
        items.append(ScheduleItem(
            platform=cadence.platform, posts_per_week=cadence.posts_per_week, formats=cadence.formats,
            stories_per_week=cadence.stories,
            hours_per_week=cadence.hours, slots=merge_slots([t.slots for t in timings]),
            rationale=f"{cadence.rationale} {timings[0].rationale}",
            citations=list(dict.fromkeys([*cadence.citations, *(c for t in timings for c in t.citations)])),
        ))
    groups = zone_groups(setting.infos, start)
    return items, timing_note(groups, counts)


def _insight(brief: Brief, tables: Tables, start: dt.date, own: OwnData, now: dt.datetime) -> Insight:
    zone = brief.audience.timezone
    grids = {p: benchmark_grid(tables, p, zone, start) for p in own.platforms()}
    return insight(own, zone, now, grids)


def _setting(brief: Brief, tables: Tables, today: dt.date, similarities: dict[Category, float] | None) -> Setting:
    category = detect_category(brief, tables, similarities)
    markets = market_rows(brief, tables)
    return Setting(brief=brief, tables=market_tables(tables, markets), start=brief.resolved_start(today),
                   category=category, row=category_row(tables, category.value), markets=markets,
                   infos=market_infos(brief, markets), routines=routines_for(brief, tables, category.value))


def _channels(setting: Setting) -> tuple[list[Channel], list[Cadence], float, list[Rule]]:
    brief, tables, category = setting.brief, setting.tables, setting.category
    rules = applicable_rules(brief, tables, setting.markets, category.value.value)
    banned = {p: f"{rule.name}: {rule.says}" for p, rule in banned_platforms(rules).items()}
    channels = score_channels(brief, tables, category, banned)
    ads = ad_accounts(compute_budget(brief, tables, channels, category.value), tables)
    cadences, channels, overhead = fit_frequency(brief, signed_off(tables, rules), channels,
                                                 ads * tables.effort.ads_hours_per_account)
    live = {c.platform.value for c in channels if c.role != "not_recommended"}
    binding = applicable_rules(brief, tables, setting.markets, category.value.value, live)
    seen = {r.id for r in binding}
    for rule in banned_platforms(rules).values():
        if rule.id not in seen:
            binding.append(rule)
            seen.add(rule.id)
    return channels, cadences, overhead, binding


def _warnings(setting: Setting) -> list[str]:
    brief, tables = setting.brief, setting.tables
    out = [] if brief.resources.currency in tables.fx_to_usd else [
        f"No exchange rate for {brief.resources.currency}: cost benchmarks are used as if in USD."]
    unknown = unknown_markets(brief, tables)
    if unknown:
        out.append(f"No market figures for {', '.join(unknown)}: costs, languages and rules there are not planned.")
    return out


def _topics(setting: Setting, pillars: list[PlanPillar], country: str | None) -> TopicSource:
    """What the calendar's topics are made of: the category's bank and the business's own nouns and place."""
    brief, tables = setting.brief, setting.tables
    countries = {m.country.lower() for m in tables.markets} | {m.name.lower() for m in tables.markets}
    nouns = (business_products(brief), place_of(brief, countries))
    return topic_source(brief, tables, setting.category.value, setting.row, pillars, nouns, country)


def plan_core(
    brief: Brief, tables: Tables, today: dt.date, own: OwnData | None = None, now: dt.datetime | None = None,
    similarities: dict[Category, float] | None = None,
) -> PlanCore:
    """Compute the whole plan for a brief (with the user's own exports when given; `similarities`:
    embedding similarity of the brief with each category description, for detection)."""
    setting = _setting(brief, tables, today, similarities)
    start, priced, end = setting.start, setting.tables, end_of_horizon(setting.start, brief.goals.horizon_months)
    as_of = now or dt.datetime.combine(today, dt.time(), dt.UTC)
    found = _insight(brief, priced, start, own, as_of) if own is not None and own.posts else None
    channels, cadences, overhead, rules = _channels(setting)
    schedule, timing = _schedule(setting, cadences, found)
    area = target_area(brief, setting.row, setting.markets)
    budget = with_targeting(brief, compute_budget(brief, priced, channels, setting.category.value), area, rules)
    country = audience_country(brief)
    kinds = [c.value for c in (setting.category.value, setting.category.industry) if c is not None]
    moments = plan_moments(brief, priced, [m.country for m in setting.markets] or [country or ""], kinds, start, end)
    mix = plan_pillars(brief, priced, setting.row)
    topics = _topics(setting, mix.pillars, country)
    local = setting.row is not None and setting.row.local
    return PlanCore(
        start_date=start, end_date=end, country=country, channels=channels, schedule=schedule,
        overhead_hours=overhead, budget=budget,
        kpis=compute_kpis(brief, priced, cadences, budget, found.baselines if found else None,
                          setting.row.results if setting.row else None, local),
        category=setting.category, target=assess_target(brief, priced, cadences, budget, channels, local),
        calendar=with_captions(build_calendar(brief, priced, schedule, start, country, mix.pillars, topics, moments),
                               brief, priced, setting.category.value, business_products(brief),
                               {p.name for p in mix.pillars if p.kind in ASKING}),
        pillars=[p.model() for p in mix.pillars], pillar_rule=mix.rule_text,
        pillar_source=mix.source, warnings=_warnings(setting),
        analytics=summarise(own, found, schedule, as_of) if own is not None and found is not None else None,
        market=market_fit(brief, priced, setting.infos, setting.markets, area, rules, moments, setting.row,
                          (timing, setting.routines)),
    )
