"""The archetype eval as tests: each brief in tests/eval/briefs, planned offline, meets its strategist's expectations.

Also checks the cases themselves (valid briefs, a reason for every expectation) and that the checker really
fails a plan that misses an expectation, including plans with missing parts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agent.graph.state import RunContext
from tests.eval.checks import EXPECT_KEYS, Case, case_files, case_problems, failures, load_case, recommended
from tests.eval.scoreboard import Row, plan_case, render

CASE_FILES = case_files()


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_archetype_meets_expectations(path: Path, context: RunContext, graph: object) -> None:
    case = load_case(path)
    plan = plan_case(case, context, graph)  # one compiled graph (tests/conftest.py) for every archetype plan
    failed = failures(case, plan)
    assert not failed, f"{case.name} misses:\n" + "\n".join(f"  {f.key}: {f.message}" for f in failed)


def test_cases_are_valid_and_explained() -> None:
    assert len(CASE_FILES) >= 32, f"only {len(CASE_FILES)} archetype briefs"
    problems = []
    for path in CASE_FILES:
        case = load_case(path)  # raises BriefError naming the bad field
        problems += [f"{path.name}: {p}" for p in case_problems(case)]
        if not case.expect:
            problems.append(f"{path.name}: no expectations")
    assert not problems, "\n".join(problems)


def test_cases_evaluate_both_given_and_detected_categories() -> None:
    cases = [load_case(p) for p in CASE_FILES]
    given = sum(c.brief.business.category is not None for c in cases)
    assert 0.35 <= given / len(cases) <= 0.65, f"{given} of {len(cases)} briefs give the category"
    assert all("category" in c.expect for c in cases if c.brief.business.category is None)


# --- the checker itself, on fabricated plans -------------------------------------------------------------


def _channel(platform: str, role: str, score: float) -> SimpleNamespace:
    return SimpleNamespace(platform=platform, role=role, score=score)


def _plan(**changes: Any) -> SimpleNamespace:
    """A Strategy-shaped plan that meets every expectation of `_case()`."""
    parts: dict[str, Any] = dict(
        channels=[_channel("linkedin", "primary", 0.9), _channel("facebook", "secondary", 0.5),
                  _channel("youtube", "experimental", 0.3), _channel("tiktok", "not_recommended", 0.1)],
        budget=SimpleNamespace(paid_share=0.5),
        kpis=[SimpleNamespace(name="Leads from social per month", goal="leads")],
        category=SimpleNamespace(value="b2b_saas", source="given"),
        target=SimpleNamespace(reachable=False, forecast_mid=40.0, monthly_value=150.0),
    )
    parts.update(changes)
    return SimpleNamespace(**parts)


def _case(**expect: Any) -> Case:
    base = load_case(Path(__file__).parent / "eval" / "briefs" / "b2b-saas-demos.yaml")
    wanted = dict(category="b2b_saas", primary_in=["linkedin"], include=["linkedin", "youtube"],
                  exclude=["tiktok"], paid_share=[0.3, 0.8], goal_kpi=True, target_reachable=False,
                  max_rank={"facebook": 2})
    wanted.update(expect)
    return dataclasses.replace(base, expect=wanted, why={k: "reason" for k in wanted})


def test_checker_passes_a_plan_that_meets_everything() -> None:
    assert failures(_case(), _plan()) == []
    assert recommended(_plan()) == ["linkedin", "facebook", "youtube"]


@pytest.mark.parametrize(("key", "wrong"), [
    ("category", "b2b_services"),
    ("primary_in", ["instagram", "facebook"]),
    ("include", ["pinterest"]),
    ("exclude", ["facebook"]),
    ("paid_share", [0.7, 1.0]),
    ("goal_kpi", False),
    ("target_reachable", True),
    ("max_rank", {"linkedin": 2}),
])
def test_checker_fails_a_wrong_expectation(key: str, wrong: Any) -> None:
    failed = failures(_case(**{key: wrong}), _plan())
    assert [f.key for f in failed] == [key]
    assert failed[0].message


def test_checker_fails_missing_plan_parts_without_crashing() -> None:
    bare = _plan(category=None, target=None, budget=None, kpis=None, channels=None)
    failed = {f.key: f.message for f in failures(_case(), bare)}
    assert set(failed) == set(_case().expect) - {"exclude", "max_rank"}  # nothing recommended: those hold
    assert set(_case().expect) < set(EXPECT_KEYS)
    assert "no category" in failed["category"]
    assert "no target verdict" in failed["target_reachable"]
    broken = _plan(category=SimpleNamespace(), budget=SimpleNamespace(paid_share="n/a"))
    assert {f.key for f in failures(_case(), broken)} == {"category", "paid_share"}


def test_checker_requires_given_category_to_stay_given() -> None:
    detected = _plan(category=SimpleNamespace(value="b2b_saas", source="detected"))
    assert [f.key for f in failures(_case(), detected)] == ["category"]


def test_target_null_passes_only_without_a_stated_target() -> None:
    case = _case(target_reachable=None)
    assert failures(case, _plan(target=SimpleNamespace(reachable=None))) == []
    assert [f.key for f in failures(case, _plan(target=None))] == ["target_reachable"]  # the brief states one
    no_target = dataclasses.replace(case, brief=case.brief.model_copy(
        update={"goals": case.brief.goals.model_copy(update={"target": None})}))
    assert failures(no_target, _plan(target=None)) == []


def test_case_problems_catch_unexplained_or_unknown_expectations() -> None:
    case = dataclasses.replace(_case(), why={"category": "reason"})
    assert "expect.primary_in has no why" in case_problems(case)
    odd = dataclasses.replace(_case(primary_in=["myspace"], colour="red"), why={})
    problems = case_problems(odd)
    assert "unknown expect key 'colour'" in problems
    assert "expect.primary_in: unknown platform 'myspace'" in problems


def test_scoreboard_renders_failures_and_the_count_line() -> None:
    rows = [Row(name="good"), Row(name="bad", failed=failures(_case(goal_kpi=False), _plan()))]
    text = render(rows)
    assert text.splitlines()[-1] == "1 passed, 1 failed"
    assert "FAIL: goal_kpi" in text and "bad: goal_kpi:" in text


def _market_plan() -> SimpleNamespace:
    slot = SimpleNamespace(timezone="Europe/London", day="tue", time="11:00")
    line = SimpleNamespace(kind="paid", platform="facebook",
                           targeting=SimpleNamespace(ages=None, genders=None, interests=["nursing"]))
    market = SimpleNamespace(area=SimpleNamespace(kind="regions"), rules=[SimpleNamespace(id="meta-teens")],
                             languages=["English"], moments=[SimpleNamespace(name="Nurses Week")],
                             prerequisites=["Google Business Profile and reviews: claim it"])
    return _plan(market=market, schedule=[SimpleNamespace(slots=[slot])],
                 budget=SimpleNamespace(paid_share=0.5, lines=[line]))


@pytest.mark.parametrize(("key", "right", "wrong"), [
    ("area", "regions", "radius"), ("rules", ["meta-teens"], ["eu-dsa-minors"]),
    ("meta_no_targeting", ["ages", "genders"], ["interests"]), ("zones_min", 1, 2),
    ("languages", ["English"], ["German"]), ("moments_any", ["Nurses"], ["Diwali"]),
    ("moments_none", ["Diwali"], ["Nurses"]), ("slots_in", {"days": ["tue"], "hours": [10, 12]},
                                               {"days": ["mon", "tue"], "hours": [12, 14]}),
    ("prerequisite", "Google Business Profile", "WhatsApp"),
])
def test_market_checks_pass_the_right_and_catch_the_wrong(key: str, right: Any, wrong: Any) -> None:
    assert failures(_case(**{key: right}), _market_plan()) == []
    assert [f.key for f in failures(_case(**{key: wrong}), _market_plan())] == [key]


def _content_plan() -> SimpleNamespace:
    cinco, day = SimpleNamespace(name="Cinco de Mayo", date=dt.date(2027, 5, 5)), dt.date(2027, 5, 5)
    kpis = [SimpleNamespace(name="Leads from social per month", goal="leads", data_source="The inbox and the phone"),
            SimpleNamespace(name="New Google reviews per month", goal=None, data_source="The Google reviews page")]
    return _plan(market=SimpleNamespace(moments=[cinco, SimpleNamespace(name="Easter", date=dt.date(2027, 3, 28))]),
                 calendar=[SimpleNamespace(date=day, note="Moment: Cinco de Mayo (today)"),
                           SimpleNamespace(date=dt.date(2027, 3, 28), note="")], kpis=kpis,
                 target=SimpleNamespace(reachable=False, forecast_mid=40.0, monthly_value=150.0,
                                        measured_by=["New Google reviews per month"]))


@pytest.mark.parametrize(("key", "right", "wrong"), [
    ("posts_on", ["Cinco de Mayo"], ["Easter"]), ("target_counted_by", ["reviews"], ["rating"]),
    ("kpi_sources_none", ["Web analytics"], ["inbox"]),
])
def test_content_checks_pass_the_right_and_catch_the_wrong(key: str, right: Any, wrong: Any) -> None:
    assert failures(_case(**{key: right}), _content_plan()) == []
    assert [f.key for f in failures(_case(**{key: wrong}), _content_plan())] == [key]
