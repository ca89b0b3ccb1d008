"""A target about reputation is counted, not forecast, and a business with no website is measured where its
customers reach it: reviews, rating, replies and referrals for "be the groomer everyone recommends"; profile taps
and bookings by message for a groomer with no site; none of the website advice it could not follow."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from agent.knowledge.bundle import Bundle
from agent.model.brief import Brief, Goal
from agent.planning.assemble import PlanCore, plan_core
from agent.planning.reputation import about_reputation
from agent.planning.results import BY_MESSAGE, CONVERT, TAPS, WEB
from agent.render.onepage import headline_kpis
from tests.briefs import archetype, planned_markdown
from tests.test_charts import FIXED_NOW, strategy_of

TODAY = FIXED_NOW.date()


def groomer(**sections: Any) -> Brief:
    """The eval archetype's mobile dog groomer (no website), with sections changed."""
    return archetype("dog-groomer", **sections)


def kpis_of(core: PlanCore) -> dict[str, object]:
    return {k.name: k for k in core.kpis}


@pytest.mark.parametrize(("text", "about"), [
    ("be the groomer everyone in north Leeds recommends", True),
    ("the most trusted plumber in Leeds", True),
    ("more five-star reviews than any salon in town", True),
    ("word of mouth across the valley", True),
    ("20 recommended bookings a month", False),  # counts bookings: the forecast judges it
    ("150 demo requests per month", False),
    ("grow sales", False),
    ("", False),
])
def test_a_target_is_about_reputation_when_it_speaks_of_recommendations_and_counts_nothing_forecast(
        bundle: Bundle, text: str, about: bool) -> None:
    assert about_reputation(text, bundle.tables) is about


def test_a_reputation_target_is_counted_by_reviews_rating_replies_and_referrals(bundle: Bundle) -> None:
    core = plan_core(groomer(), bundle.tables, TODAY)
    rep = bundle.tables.reputation
    assert core.target is not None and rep is not None
    assert core.target.reachable is None and core.target.value is None and core.target.forecast_mid is None
    named = kpis_of(core)
    assert core.target.measured_by == ["New Google reviews per month", "Average Google rating",
                                       f"Reviews answered within {rep.reply_days} days",
                                       "New clients asked how they heard of you"]
    counting = [named[name] for name in core.target.measured_by]
    assert [k.target for k in counting] == [math.ceil(rep.recent_reviews / 3), rep.rating, 100.0, 100.0]
    assert all(k.stage == "loyalty" and k.baseline is None and k.citations == [rep.source] for k in counting)
    assert f"{math.ceil(rep.recent_reviews / 3)} new Google reviews a month" in core.target.note
    assert core.target.citations == [rep.source]


@pytest.mark.parametrize(("months", "reviews"), [(1, 10), (3, 4), (6, 2), (12, 1)])
def test_new_reviews_a_month_spread_the_recent_reviews_over_the_horizon_at_least_one_a_month(
        bundle: Bundle, months: int, reviews: int) -> None:
    core = plan_core(groomer(goals={"horizon_months": months}), bundle.tables, TODAY)
    assert kpis_of(core)["New Google reviews per month"].target == reviews  # type: ignore[attr-defined]


@pytest.mark.parametrize(("changes", "site"), [
    ({}, "Google"),
    ({"business": {"category": None, "model": "b2b", "industry": "HR software",
                   "description": "Payroll software for accountancy firms"}}, "G2 or Capterra"),
    ({"business": {"category": "ecommerce_beauty", "description": "Vegan lipsticks sold online"}},
     "Trustpilot or the shop's product pages"),
])
def test_reviews_are_read_where_the_buyers_read_them(bundle: Bundle, changes: dict[str, Any],
                                                     site: str) -> None:
    core = plan_core(groomer(**changes), bundle.tables, TODAY)
    assert core.target is not None and f"New {site} reviews per month" in core.target.measured_by


def test_a_business_with_no_website_is_measured_by_profile_taps_and_bookings_by_message(bundle: Bundle) -> None:
    without = plan_core(groomer(), bundle.tables, TODAY)
    with_site = plan_core(groomer(business={"website": "https://suds.example"}), bundle.tables, TODAY)
    taps = kpis_of(without)["Profile taps to message, call or find you per month"]
    sessions = kpis_of(with_site)["Website sessions from social per month"]
    assert taps.data_source == TAPS and sessions.data_source == WEB  # type: ignore[attr-defined]
    assert taps.target == sessions.target > 0  # type: ignore[attr-defined]
    assert "Website sessions from social per month" not in kpis_of(without)
    booked = {k.goal: k for k in without.kpis if k.stage == "conversion"}
    online = {k.goal: k for k in with_site.kpis if k.stage == "conversion"}
    assert booked[Goal.leads].data_source == BY_MESSAGE and "by message" in booked[Goal.leads].formula
    assert online[Goal.leads].data_source == CONVERT[Goal.leads][2]


def test_the_page_shows_a_target_kpi_and_no_website_advice_to_a_business_without_one(
        bundle: Bundle, tmp_path: Path) -> None:
    assert "New Google reviews per month" in [k.name for k in headline_kpis(strategy_of(groomer(), bundle))]
    text = planned_markdown(tmp_path, groomer())
    site = planned_markdown(tmp_path, groomer(business={"website": "https://suds.example"}))
    for advice in ("UTM-tag every link posted on social", "Web analytics (for example Google Analytics 4)",
                   "prior consent for ad pixels"):
        assert advice not in text and advice in site, advice
    assert "has no website yet" in text and "has no website yet" not in site
    assert "to the website exactly" not in text
    assert "today's figures for the KPIs that count your target (new Google reviews per month" in text


def test_a_secondary_community_with_no_group_of_its_kind_is_counted_in_followers(bundle: Bundle) -> None:
    """The groomer's and the taproom's plans counted '1 new community member' from 'group admin stats' for a group
    that does not exist; a kind of business whose community has a name (a game's players, a course's members)
    keeps the KPI."""
    names = [k.name for k in plan_core(groomer(), bundle.tables, TODAY).kpis]
    assert not any("community members" in n for n in names) and "Followers (Instagram)" in names
    kpis = plan_core(archetype("mobile-game-30k", goals={"secondary": ["community"]}), bundle.tables, TODAY).kpis
    assert any(k.goal == Goal.community and "community members" in k.name for k in kpis)
