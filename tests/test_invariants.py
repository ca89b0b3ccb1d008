"""Plan invariants over generated valid briefs (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from agent.knowledge.bundle import Bundle, load_bundle
from agent.model.brief import Brief, Format, Goal, Platform
from agent.model.settings import PROJECT_ROOT
from agent.planning.assemble import plan_core
from agent.planning.channels import is_active
from agent.planning.errors import PlanningError
from agent.planning.rotation import assets, mean_pieces

ZONES = ["America/Chicago", "America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/London",
         "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Auckland"]
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "INR", "XYZ"]
BUNDLE: Bundle = load_bundle(PROJECT_ROOT / "knowledge")


@st.composite
def briefs(draw: st.DrawFn) -> Brief:
    age_min = draw(st.integers(13, 90))
    platforms = st.sampled_from(list(Platform))
    presence = draw(st.lists(st.builds(
        dict, platform=platforms.map(lambda p: p.value), followers=st.integers(0, 2_000_000),
        posts_per_week=st.floats(0, 21), engagement_rate=st.none() | st.floats(0, 0.3),
    ), max_size=4, unique_by=lambda p: p["platform"]))
    return Brief.model_validate({
        "business": {"name": draw(st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1,
                                          max_size=30).filter(str.strip)), "description": "d",
                     "industry": "i", "model": draw(st.sampled_from(["b2b", "b2c", "both"])),
                     "stage": draw(st.sampled_from(["idea", "early", "growth", "established"])),
                     "locations": draw(st.lists(st.sampled_from(["US", "Germany", "Japan", "Narnia"]), max_size=2))},
        "audience": {"description": "people", "age_min": age_min, "age_max": draw(st.integers(age_min, 100)),
                     "gender": draw(st.sampled_from(["any", "mostly_female", "mostly_male"])),
                     "timezone": draw(st.sampled_from(ZONES))},
        "goals": {"primary": draw(st.sampled_from(list(Goal))).value,
                  "secondary": [g.value for g in draw(st.lists(st.sampled_from(list(Goal)), max_size=3))],
                  "horizon_months": draw(st.integers(1, 24))},
        "resources": {"monthly_budget": draw(st.sampled_from([0, 50, 500, 3000, 25000]) | st.floats(0, 1e6)),
                      "currency": draw(st.sampled_from(CURRENCIES)),
                      "team_hours_per_week": draw(st.floats(0.5, 80)),
                      "formats": [f.value for f in draw(st.lists(st.sampled_from(list(Format)), min_size=1,
                                                                 unique=True))]},
        "presence": presence,
        "exclude_platforms": [p.value for p in draw(st.lists(platforms, max_size=4, unique=True))],
        "start_date": draw(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31))).isoformat(),
    })


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(briefs())
def test_plan_invariants(brief: Brief) -> None:
    try:
        core = plan_core(brief, BUNDLE.tables, dt.date(2026, 11, 18))
    except PlanningError:
        assume(False)
        return
    budget = core.budget
    assert abs(budget.organic_share + budget.paid_share - 1) < 1e-9
    assert abs(sum(line.monthly_amount for line in budget.lines) - budget.monthly_total) < 0.005
    paid = [line for line in budget.lines if line.kind == "paid"]
    if budget.monthly_total == 0:
        assert not paid
    roles = {c.platform: c.role for c in core.channels}
    assert all(roles[line.platform] != "not_recommended" for line in paid)
    assert all(line.forecast is not None for line in paid)
    scheduled = {s.platform for s in core.schedule}
    assert scheduled == {p for p, r in roles.items() if r != "not_recommended"}
    assert not scheduled & set(brief.exclude_platforms)
    assert sum(1 for r in roles.values() if r == "primary") == 1
    for item in core.schedule:
        assert len(item.slots) == item.posts_per_week
        zones = {brief.audience.timezone} | {m.zone for m in (core.market.markets if core.market else [])}
        assert all(s.timezone in zones for s in item.slots)
        assert item.citations
    hours = sum(s.hours_per_week for s in core.schedule) + core.overhead_hours
    assert hours <= brief.resources.team_hours_per_week + 1e-6
    first, *others = core.schedule
    if "trimmed from" in first.rationale:  # hours ran short: the primary is not cut below a page adapting its assets
        followers = [o for o in others if "adapted from" in o.rationale and not is_active(brief, o.platform)]
        feeds = assets(first.posts_per_week, mean_pieces(BUNDLE.tables, first.formats))  # a long video: clips
        assert all(feeds >= o.posts_per_week for o in followers)
    assert all(core.start_date <= p.date <= core.end_date for p in core.calendar)
    assert all(0 <= c.score <= 1 and c.citations for c in core.channels)
    assert all(k.citations for k in core.kpis) and budget.citations
    assert set(core.cited_ids()) <= set(BUNDLE.entries), set(core.cited_ids()) - set(BUNDLE.entries)
