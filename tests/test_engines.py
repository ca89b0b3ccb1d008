"""Engines, with figures: channels, timing, frequency, budget, KPIs, calendar."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agent.knowledge.bundle import Bundle
from agent.model.brief import Brief, Goal, Platform
from agent.planning.assemble import PlanCore, plan_core
from agent.planning.budget import compute_budget
from agent.planning.cadence import Cadence
from agent.planning.calendar import end_of_horizon, public_holidays
from agent.planning.channels import channel_capacity, score_channels
from agent.planning.errors import PlanningError
from agent.planning.forecast import forecast_line
from agent.planning.frequency import fit_frequency
from agent.planning.pillars import goal_rule
from agent.planning.reach import organic_impressions, reach_rate
from agent.planning.tables import TimeWindow
from agent.planning.timing import build_grid, pick_slots
from tests.conftest import example

TODAY = dt.date(2026, 11, 18)


def brief_with(base: Brief, **changes: dict) -> Brief:
    data = base.model_dump(mode="json")
    for section, values in changes.items():
        if isinstance(values, dict):
            data[section].update(values)
        else:
            data[section] = values
    return Brief.model_validate(data)


def roles(channels: list) -> dict[str, str]:
    return {c.platform.value: c.role for c in channels}


def scores(channels: list) -> dict[str, float]:
    return {c.platform.value: c.score for c in channels}


def test_older_audience_ranks_facebook_above_tiktok(bundle: Bundle) -> None:
    brief = brief_with(example("rosas-taqueria"), audience={"age_min": 55, "age_max": 75})
    s = scores(score_channels(brief, bundle.tables))
    assert s["facebook"] > s["tiktok"]
    assert s["facebook"] > s["instagram"]


def test_teen_audience_prefers_video_platforms(bundle: Bundle) -> None:
    brief = brief_with(example("northwind-skincare"), audience={"age_min": 13, "age_max": 17, "gender": "any"})
    channels = score_channels(brief, bundle.tables)
    s, r = scores(channels), roles(channels)
    assert min(s["tiktok"], s["instagram"]) > max(s["facebook"], s["linkedin"])
    assert r["facebook"] == r["linkedin"] == "not_recommended" and "recommended" != r["tiktok"] != "not_recommended"
    assert "only about" in next(c for c in channels if c.platform == Platform.facebook).rationale


def test_b2b_leads_puts_linkedin_first(bundle: Bundle) -> None:
    channels = score_channels(example("acme-analytics"), bundle.tables)
    assert channels[0].platform == Platform.linkedin and channels[0].role == "primary"
    assert roles(channels)["tiktok"] == "not_recommended"
    assert "excluded by the brief" in next(c for c in channels if c.platform == Platform.tiktok).rationale


def test_video_first_needs_video(bundle: Bundle) -> None:
    brief = brief_with(example("northwind-skincare"), resources={"formats": ["images", "carousels"]})
    channels = score_channels(brief, bundle.tables)
    for platform in ("tiktok", "youtube"):
        channel = next(c for c in channels if c.platform.value == platform)
        assert channel.role == "not_recommended" and "video-first-platforms" in channel.citations


@pytest.mark.parametrize(("hours", "most"), [(2, 1), (6, 2), (12, 3), (20, 4), (40, 5)])
def test_small_teams_get_fewer_channels(bundle: Bundle, hours: float, most: int) -> None:
    assert channel_capacity(hours) == most
    brief = brief_with(example("northwind-skincare"), resources={"team_hours_per_week": hours})
    chosen = [c for c in score_channels(brief, bundle.tables) if c.role != "not_recommended"]
    assert 1 <= len(chosen) <= most
    cut = [c for c in score_channels(brief, bundle.tables) if "focus beats spread" in c.rationale]
    assert all("focus-over-spread" in c.citations for c in cut)


def test_non_us_audience_rationale_says_proxy(bundle: Bundle) -> None:
    japan = brief_with(example("northwind-skincare"), business={"locations": ["Japan"]},
                       audience={"timezone": "Asia/Tokyo"})
    assert all("proxy for Japan" in c.rationale for c in score_channels(japan, bundle.tables))
    assert not any("proxy" in c.rationale for c in score_channels(example("acme-analytics"), bundle.tables))


def test_surveyed_country_uses_its_survey_and_says_proxy_only_for_the_rest(bundle: Bundle) -> None:
    channels = {c.platform.value: c for c in score_channels(example("northwind-skincare"), bundle.tables)}
    germany = next(r for r in bundle.tables.country_usage if r.country == "DE")
    instagram = next(f for f in channels["instagram"].factors if f.name == "audience reach")
    assert "in DE" in instagram.note and germany.source in channels["instagram"].citations
    missing = [p for p in channels if p not in germany.shares]
    assert missing and all(p in channels["linkedin"].rationale for p in missing)


def test_banned_platform_is_never_recommended(bundle: Bundle) -> None:
    india = brief_with(example("northwind-skincare"), business={"locations": ["India"]},
                       audience={"timezone": "Asia/Kolkata", "age_min": 16, "age_max": 24})
    tiktok = next(c for c in score_channels(india, bundle.tables) if c.platform == Platform.tiktok)
    assert tiktok.role == "not_recommended" and "not available" in tiktok.rationale


def _window(zone: str, start: int, end: int, days: list[str]) -> TimeWindow:
    return TimeWindow(platform="linkedin", study="t", days=days, start=start, end=end, zone=zone, weight=1.0,
                      source="x", year=2023)


def test_local_windows_stay_on_the_audience_clock() -> None:
    grid = build_grid([_window("local", 10, 11, ["tue"])], "Asia/Tokyo", dt.date(2027, 1, 4))
    assert grid[1][10] == 1.0 and sum(map(sum, grid)) == 1.0


def test_fixed_zone_windows_convert_for_american_audiences() -> None:
    # 9:00 PST on a Monday is 12:00 in New York (winter) and 10:00 in Denver.
    start = dt.date(2027, 1, 4)
    assert build_grid([_window("America/Los_Angeles", 9, 10, ["mon"])], "America/New_York", start)[0][12] == 1.0
    assert build_grid([_window("America/Los_Angeles", 9, 10, ["mon"])], "America/Denver", start)[0][10] == 1.0
    # 23:00 ET Sunday is Monday 04:00 UTC-equivalent in Sao Paulo? No: Sao Paulo is outside -10..-4, read as local.
    foreign = build_grid([_window("America/New_York", 23, 24, ["sun"])], "Europe/Berlin", start)
    assert foreign[6][23] == pytest.approx(0.6)


def test_utc_windows_convert_everywhere() -> None:
    grid = build_grid([_window("UTC", 19, 20, ["sun"])], "Europe/Berlin", dt.date(2027, 1, 4))
    assert grid[6][20] == 1.0


def test_slots_spread_over_distinct_days() -> None:
    grid = [[0.0] * 24 for _ in range(7)]
    for day in range(5):
        grid[day][10] = 5 - day
    picks = pick_slots(grid, 3)
    assert picks == [(0, 10), (1, 10), (2, 10)]
    assert len({d for d, _ in pick_slots(grid, 9)}) == 7


def _fitted(bundle: Bundle, brief: Brief) -> tuple[list, list, float]:
    return fit_frequency(brief, bundle.tables, score_channels(brief, bundle.tables))


@pytest.mark.parametrize("hours", [1.5, 3, 5, 8, 12, 25, 60])
def test_frequency_fits_team_hours(bundle: Bundle, hours: float) -> None:
    brief = brief_with(example("northwind-skincare"), resources={"team_hours_per_week": hours})
    cadences, channels, overhead = _fitted(bundle, brief)
    assert sum(c.hours for c in cadences) + overhead <= hours + 1e-9
    assert all(c.posts_per_week >= 1 for c in cadences)
    recommended = {c.platform.value for c in channels if c.role != "not_recommended"}
    assert recommended == {c.platform for c in cadences}


def test_frequency_too_few_hours_is_an_input_error(bundle: Bundle) -> None:
    brief = brief_with(example("acme-analytics"), resources={"team_hours_per_week": 0.2})
    with pytest.raises(PlanningError, match="resources.team_hours_per_week"):
        _fitted(bundle, brief)


def test_primary_gets_recommended_frequency_when_time_allows(bundle: Bundle) -> None:
    brief = brief_with(example("acme-analytics"), resources={"team_hours_per_week": 40})
    cadences, _, _ = _fitted(bundle, brief)
    guide = next(f for f in bundle.tables.frequency if f.platform == Platform.linkedin)
    assert cadences[0].platform == "linkedin" and cadences[0].posts_per_week == guide.recommended


def _budget(bundle: Bundle, brief: Brief):
    _, channels, _ = _fitted(bundle, brief)
    return compute_budget(brief, bundle.tables, channels), channels


def test_zero_budget_is_all_organic(bundle: Bundle) -> None:
    budget, _ = _budget(bundle, example("rosas-taqueria"))
    assert budget.paid_share == 0 and budget.organic_share == 1
    assert not [line for line in budget.lines if line.kind == "paid"]
    assert sum(line.monthly_amount for line in budget.lines) == 0


def test_budget_lines_sum_and_paid_only_on_recommended(bundle: Bundle) -> None:
    budget, channels = _budget(bundle, example("acme-analytics"))
    assert sum(line.monthly_amount for line in budget.lines) == pytest.approx(4000, abs=1e-6)
    assert budget.organic_share + budget.paid_share == pytest.approx(1.0)
    recommended = {c.platform for c in channels if c.role != "not_recommended"}
    paid = [line for line in budget.lines if line.kind == "paid"]
    assert paid and all(line.platform in recommended and line.forecast for line in paid)


def test_paid_is_not_spread_thin(bundle: Bundle) -> None:
    budget, _ = _budget(bundle, example("acme-analytics"))
    fx = bundle.tables.fx_to_usd["USD"]
    for line in (x for x in budget.lines if x.kind == "paid"):
        row = next(p for p in bundle.tables.paid if p.platform == line.platform)
        assert line.monthly_amount >= row.min_monthly_useful * fx


def test_tiny_budget_below_minimum_goes_organic(bundle: Bundle) -> None:
    brief = brief_with(example("acme-analytics"), resources={"monthly_budget": 150})
    budget, _ = _budget(bundle, brief)
    assert budget.paid_share == 0 and "smallest useful ad spend" in budget.rationale


def test_forecast_arithmetic(bundle: Bundle) -> None:
    row = next(p for p in bundle.tables.paid if p.platform == Platform.facebook)
    f = forecast_line(1000.0, row, example("northwind-skincare").goals.primary, 1.0, bundle.tables.kpi)
    assert f.impressions.high == pytest.approx(round(1000 / row.cpm[0] * 1000, -2))
    assert f.impressions.low == pytest.approx(round(1000 / row.cpm[1] * 1000, -2))
    assert f.clicks.high == pytest.approx(round(1000 / row.cpc[0]))
    assert f.results.low <= f.results.high and f.cpa.low <= f.cpa.high


def test_stage_and_horizon_move_the_split(bundle: Bundle) -> None:
    base = brief_with(example("northwind-skincare"), resources={"monthly_budget": 20000})
    idea = brief_with(base, business={"stage": "idea"})
    growth = brief_with(base, business={"stage": "growth"})
    assert _budget(bundle, idea)[0].paid_share < _budget(bundle, growth)[0].paid_share


def test_kpis_baselines_and_citations(bundle: Bundle) -> None:
    core = plan_core(example("acme-analytics"), bundle.tables, TODAY)
    linkedin = next(k for k in core.kpis if k.name == "Engagement rate per post (LinkedIn)")
    assert linkedin.baseline == pytest.approx(2.1) and linkedin.baseline_source == "presence"
    assert linkedin.target > linkedin.baseline
    others = [k for k in core.kpis if k.name.startswith("Engagement rate") and k.platform != "linkedin"]
    assert all(k.baseline_source == "benchmark" for k in others)
    assert all(k.citations for k in core.kpis)
    stages = [k.stage for k in core.kpis]
    assert stages == sorted(stages, key=["awareness", "consideration", "conversion", "loyalty"].index)
    goal = next(k for k in core.kpis if k.goal == "leads")
    assert goal.name == "Demo requests from social per month" and goal.unit == "demo requests"
    assert goal.target == int(goal.target) > 0 and "0.6 demo requests per leads result" in goal.rationale


def test_end_of_horizon() -> None:
    assert end_of_horizon(dt.date(2027, 1, 4), 3) == dt.date(2027, 4, 3)
    assert end_of_horizon(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert end_of_horizon(dt.date(2027, 11, 1), 2) == dt.date(2027, 12, 31)


def test_calendar_in_horizon_and_matches_schedule(bundle: Bundle) -> None:
    core = plan_core(example("acme-analytics"), bundle.tables, TODAY)
    assert all(core.start_date <= p.date <= core.end_date for p in core.calendar)
    weeks = ((core.end_date - core.start_date).days + 1) / 7
    per_week = sum(s.posts_per_week for s in core.schedule)
    assert abs(len(core.calendar) - per_week * weeks) <= per_week
    assert all(p.timezone == "America/Chicago" for p in core.calendar)
    pillars = {p.name for p in core.pillars}
    assert {p.pillar for p in core.calendar} <= pillars


def test_holidays_noted(bundle: Bundle) -> None:
    days = public_holidays("US", dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert days[dt.date(2027, 1, 18)].startswith("Martin Luther King")
    core = plan_core(example("acme-analytics"), bundle.tables, TODAY)
    noted = [p for p in core.calendar if p.note.startswith("Public holiday")]
    assert noted and all(p.date in public_holidays("US", core.start_date, core.end_date) for p in noted)
    moments = [p for p in core.calendar if "Moment:" in p.note]
    assert core.market is not None and len(moments) <= 2 * len(core.market.moments)  # lead-up and reminder
    for post in moments:
        moment = next(m for m in core.market.moments if f"Moment: {m.name} (" in post.note)
        assert post.date <= moment.date and post.topic.startswith(moment.name)


def test_trimming_never_starves_the_primary_below_a_secondary(bundle: Bundle) -> None:
    # Instagram's minimum (2) is below Facebook's (3): trimming must not leave the primary at 2 and Facebook at 3.
    brief = brief_with(
        example("northwind-skincare"), business={"stage": "early", "locations": ["UK"]},
        audience={"age_min": 25, "age_max": 45, "gender": "any", "timezone": "Europe/London"},
        goals={"secondary": []}, resources={"monthly_budget": 2500, "currency": "GBP", "team_hours_per_week": 10,
                                            "formats": ["images", "short_video", "stories"]},
        presence=[{"platform": "instagram", "followers": 2400}],
    )
    cadences, _, overhead = _fitted(bundle, brief)
    assert cadences[0].platform.value == "instagram"
    assert all(c.posts_per_week <= cadences[0].posts_per_week for c in cadences[1:])
    assert sum(c.hours for c in cadences) + overhead <= 10


def test_awareness_cost_kpi_is_per_thousand_reached(bundle: Bundle) -> None:
    brief = brief_with(example("acme-analytics"), goals={"primary": "awareness", "secondary": []})
    core = plan_core(brief, bundle.tables, TODAY)
    names = {k.name: k for k in core.kpis}
    assert "Cost per result (paid)" not in names
    cost = names["Cost per 1,000 people reached (paid)"]
    spend = sum(line.monthly_amount for line in core.budget.lines if line.kind == "paid")
    reached = sum((line.forecast.results.low + line.forecast.results.high) / 2
                  for line in core.budget.lines if line.forecast)
    assert cost.target == pytest.approx(round(spend / reached * 1000, 2))


def test_an_account_engaging_far_above_the_median_is_shown_to_more_of_its_followers(bundle: Bundle) -> None:
    bench = next(e for e in bundle.tables.engagement if e.platform == Platform.instagram)
    cap = bundle.tables.kpi.reach_scale_cap
    assert reach_rate(bundle.tables, "instagram") == bench.reach_rate
    assert reach_rate(bundle.tables, "instagram", bench.rate * 4) == pytest.approx(bench.reach_rate * 4)
    assert reach_rate(bundle.tables, "instagram", bench.rate / 100) == pytest.approx(bench.reach_rate / cap)
    assert reach_rate(bundle.tables, "instagram", 0.9) == min(1.0, bench.reach_rate * cap)
    account = {"platform": "instagram", "followers": 2400, "posts_per_week": 5}
    plain = brief_with(example("rosas-taqueria"), presence=[account])
    engaged = brief_with(plain, presence=[{**account, "engagement_rate": 0.045}])
    for brief, rate in ((plain, bench.reach_rate), (engaged, reach_rate(bundle.tables, "instagram", 0.045))):
        impressions = next(k for k in plan_core(brief, bundle.tables, TODAY).kpis
                           if k.name == "Organic impressions per month")
        assert impressions.baseline == round(2400 * rate * 5 * 4.33, -1)
    assert reach_rate(bundle.tables, "instagram", 0.045) * 2400 > 0.045 * 2400  # shown to more than engage


@pytest.mark.parametrize(("budget", "whole"), [(150, False), (60, True)])
def test_an_all_organic_budget_says_in_figures_why_no_ad_runs(bundle: Bundle, budget: int, whole: bool) -> None:
    brief = brief_with(example("rosas-taqueria"), business={"locations": ["PT"]},
                       audience={"timezone": "Europe/Lisbon"}, resources={"monthly_budget": budget, "currency": "EUR"})
    core = plan_core(brief, bundle.tables, TODAY)
    assert core.budget.paid_share == 0 and core.budget.monthly_total == budget
    stated = [float(x) for x in re.findall(r"\((\d+) EUR", core.budget.rationale)]
    assert ("even the whole budget" in core.budget.rationale) == whole
    if whole:
        assert stated[0] == budget < stated[1]
    else:
        assert stated[0] == round(budget * 0.6) < stated[1] <= budget


@pytest.mark.parametrize(("name", "model", "rule"), [
    ("acme-analytics", "b2b", "rule-70-20-10"), ("rosas-taqueria", "b2c", "rule-80-20"),
])
def test_a_leads_plan_follows_the_content_mix_rule_written_for_its_buyers(bundle: Bundle, name: str, model: str,
                                                                        rule: str) -> None:
    brief = brief_with(example(name), business={"model": model}, goals={"primary": "leads", "secondary": []})
    chosen = goal_rule(brief, bundle.tables)
    assert chosen.id == rule and model in (chosen.models or [model])
    promote = next(r for r in bundle.tables.pillars if r.id == rule).pillars["Promote"]
    core = plan_core(brief, bundle.tables, TODAY)
    assert core.category is not None
    row = next(r for r in bundle.tables.categories if r.id == core.category.value)
    promoting = {p.name for p in row.pillars if p.kind == "promote"}
    assert sum(p.share for p in core.pillars if p.name in promoting) == pytest.approx(promote, abs=0.011)


def cadences_of(core: PlanCore) -> list[Cadence]:
    """The schedule's posts a week as cadences (all the reach forecast reads of them)."""
    return [Cadence(platform=s.platform, role="secondary", posts_per_week=s.posts_per_week, minimum=1,
                    formats=s.formats, hours_per_post=0.0, community_hours=0.0, rationale="", citations=[])
            for s in core.schedule]


@pytest.mark.parametrize("goal", ["leads", "awareness"])
def test_organic_and_paid_impressions_are_separate_kpis_each_on_one_formula(bundle: Bundle, goal: str) -> None:
    """The salon read '740 -> 50,400 impressions': an organic baseline against a target that was mostly ads."""
    brief = brief_with(example("acme-analytics"), goals={"primary": goal, "secondary": []},
                       presence=[{"platform": "linkedin", "followers": 1200, "posts_per_week": 2}])
    core = plan_core(brief, bundle.tables, TODAY)
    named = {k.name: k for k in core.kpis}
    organic, paid = named["Organic impressions per month"], named["Paid impressions per month"]
    now, later = organic_impressions(brief, bundle.tables, cadences_of(core), brief.goals.horizon_months)
    assert (organic.baseline, organic.target) == (now, later) and paid.baseline is None
    mid = sum((line.forecast.impressions.low + line.forecast.impressions.high) / 2
              for line in core.budget.lines if line.forecast)
    assert paid.target == round(mid, -2) > 0
    assert {organic.goal, paid.goal} == ({Goal.awareness} if goal == "awareness" else {None})
    assert not any("organic + paid" in k.name for k in core.kpis)
