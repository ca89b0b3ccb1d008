"""A restaurant's plan fits its cuisine and its goal: its own dates (Cinco de Mayo for a US taqueria, no Irish
dishes for it), the restaurant's version of a shared date (a Mother's Day table, not a gift), posts in the late
morning when the goal is weekday lunch, and sales counted at the till."""

from __future__ import annotations

import datetime as dt

import pytest

from agent.knowledge.bundle import Bundle
from agent.model.brief import Brief, Goal
from agent.model.plan import DAYS
from agent.planning.assemble import PlanCore, plan_core
from agent.planning.calendar import DAY_OF, REMINDER
from agent.planning.results import AT_THE_TILL, CONVERT
from agent.render.templating import quantity
from tests.briefs import brief_from
from tests.conftest import example

TODAY = dt.date(2026, 11, 18)
CINCO = dt.date(2027, 5, 5)


def moments_of(core: PlanCore) -> dict[str, dt.date]:
    assert core.market is not None
    return {m.name: m.date for m in core.market.moments}


def slot_hours(core: PlanCore) -> list[tuple[str, int]]:
    return [(slot.day, int(slot.time[:2])) for item in core.schedule for slot in item.slots]


def test_a_us_taqueria_gets_cinco_de_mayo_and_no_st_patricks_day(bundle: Bundle) -> None:
    core = plan_core(example("rosas-taqueria"), bundle.tables, TODAY)
    moments = moments_of(core)
    assert moments.get("Cinco de Mayo") == CINCO and "St Patrick's Day" not in moments
    primary = core.schedule[0].platform
    cinco = [p for p in core.calendar if p.topic.startswith("Cinco de Mayo")]
    assert cinco and all(p.platform == primary and p.date <= CINCO for p in cinco)
    assert not any("Irish" in p.topic for p in core.calendar)


def test_the_second_post_of_a_date_reminds_instead_of_repeating_the_idea(bundle: Bundle) -> None:
    core = plan_core(example("rosas-taqueria"), bundle.tables, TODAY)
    assert core.market is not None
    idea = next(m.idea for m in core.market.moments if m.name == "Cinco de Mayo")
    early, last, day = [p.topic for p in core.calendar if p.topic.startswith("Cinco de Mayo")]
    assert early.endswith(f"early notice: {idea}") and idea not in last and last.endswith(REMINDER)
    assert day.endswith(DAY_OF)
    topics = [p.topic for p in core.calendar if "Moment:" in p.note]
    assert len(topics) == len(set(topics))


def test_a_kitchen_posts_on_its_trading_day_itself_moving_that_weeks_next_post(bundle: Bundle) -> None:
    """Cinco de Mayo is a Wednesday and Rosa's primary channel posts on Tuesdays and Thursdays: the Thursday post
    moves onto the day, so the plan keeps its number of posts and the day itself is not silent."""
    core = plan_core(example("rosas-taqueria"), bundle.tables, TODAY)
    primary = core.schedule[0]
    days = {DAYS.index(slot.day) for slot in primary.slots}
    assert CINCO.weekday() not in days
    horizon = [core.start_date + dt.timedelta(days=i) for i in range((core.end_date - core.start_date).days + 1)]
    posts = [p for p in core.calendar if p.platform == primary.platform]
    assert len(posts) == sum(1 for d in horizon if d.weekday() in days)
    on_the_day = [p for p in posts if p.date == CINCO]
    assert len(on_the_day) == 1 and on_the_day[0].topic.endswith(DAY_OF)
    assert "moved from Thu 06 May" in on_the_day[0].note and not any(p.date == CINCO + dt.timedelta(1) for p in posts)
    assert core.calendar == sorted(core.calendar, key=lambda p: (p.date, p.time, p.platform.value))


@pytest.mark.parametrize(("category", "on_the_day"), [("local_food_drink", True), ("local_retail", False)])
def test_a_restaurant_trades_on_mothers_day_itself_and_a_shop_before_it(bundle: Bundle, category: str,
                                                                      on_the_day: bool) -> None:
    core = plan_core(brief_from("rosas-taqueria", business={"category": category}), bundle.tables, TODAY)
    assert core.market is not None
    mothers = next(m for m in core.market.moments if m.name.startswith("Mother's Day"))
    assert mothers.on_the_day is on_the_day
    assert any(p.date == mothers.date for p in core.calendar if "Moment: Mother's Day" in p.note) is on_the_day


@pytest.mark.parametrize(("description", "patricks", "cinco"), [
    ("Irish pub with live music and a beer garden", True, False),
    ("Neighbourhood bakery with sourdough and cupcakes", True, False),
    ("Family-run Tex-Mex cantina with margaritas", False, True),
])
def test_each_kitchen_gets_the_dates_of_its_own_cuisine(bundle: Bundle, description: str, patricks: bool,
                                                        cinco: bool) -> None:
    brief = brief_from("rosas-taqueria", business={"description": description})
    moments = moments_of(plan_core(brief, bundle.tables, TODAY))
    assert ("St Patrick's Day" in moments, "Cinco de Mayo" in moments) == (patricks, cinco)


def test_a_mexican_restaurant_outside_the_us_gets_no_cinco_de_mayo(bundle: Bundle) -> None:
    brief = brief_from("rosas-taqueria", business={"locations": ["GB"]}, audience={"timezone": "Europe/London"})
    assert "Cinco de Mayo" not in moments_of(plan_core(brief, bundle.tables, TODAY))


def test_a_restaurant_gets_its_own_idea_for_a_shared_date_and_a_shop_the_general_one(bundle: Bundle) -> None:
    row = next(m for m in bundle.tables.moments if m.name == "Mother's Day (second Sunday of May)")
    own = next(idea for category, idea in row.idea_for.items() if category.value == "local_food_drink")
    assert own != row.idea
    restaurant = plan_core(example("rosas-taqueria"), bundle.tables, TODAY)
    shop = plan_core(brief_from("rosas-taqueria", business={
        "name": "Corner Gifts", "industry": "Gift shop", "description": "Independent gift shop with cards and candles",
    }), bundle.tables, TODAY)
    assert restaurant.category is not None and restaurant.category.value.value == "local_food_drink"
    assert shop.category is not None and shop.category.value.value == "local_retail"
    for core, idea in ((restaurant, own), (shop, row.idea)):
        assert core.market is not None
        assert [m.idea for m in core.market.moments if m.name == row.name] == [idea]


def test_a_weekday_lunch_goal_puts_every_post_in_the_weekday_late_morning(bundle: Bundle) -> None:
    lunch = plan_core(example("rosas-taqueria"), bundle.tables, TODAY)
    assert lunch.schedule and all(day in DAYS[:5] and 10 <= hour < 12 for day, hour in slot_hours(lunch))
    assert lunch.market is not None and any("lunch" in text for text in lunch.market.routines)


def test_without_a_lunch_goal_a_restaurant_posts_when_weekend_plans_are_made(bundle: Bundle) -> None:
    dinner = plan_core(brief_from("rosas-taqueria", goals={"target": "30 more Saturday dinner tables a month"}),
                       bundle.tables, TODAY)
    hours = slot_hours(dinner)
    assert hours and all((day in ("thu", "fri", "sat") and 16 <= hour < 20) or (day == "sun" and 10 <= hour < 13)
                         for day, hour in hours)


def test_a_lunch_goal_outranks_the_evening_routine_even_with_more_posts(bundle: Bundle) -> None:
    busy = brief_from("rosas-taqueria", resources={"team_hours_per_week": 20})
    hours = slot_hours(plan_core(busy, bundle.tables, TODAY))
    late_morning = [(d, h) for d, h in hours if d in DAYS[:5] and 10 <= h < 12]
    assert len(hours) > 5 and len(late_morning) >= min(len(hours), 5)


def sales_kpi(brief: Brief, bundle: Bundle) -> tuple[str, str]:
    core = plan_core(brief, bundle.tables, TODAY)
    kpi = next(k for k in core.kpis if k.goal == Goal.sales and k.stage == "conversion")
    return kpi.data_source, kpi.formula


def test_a_local_business_counts_its_sales_at_the_till_and_a_web_business_by_utm(bundle: Bundle) -> None:
    source, formula = sales_kpi(example("rosas-taqueria"), bundle)
    assert source == AT_THE_TILL and "till" in formula and "UTM" in formula
    web = brief_from("northwind-skincare", goals={"primary": "sales", "secondary": []})
    assert sales_kpi(web, bundle)[0] == CONVERT[Goal.sales][2]


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1, "orders or visits", "1 order or visit"), (2, "orders or visits", "2 orders or visits"),
    (1, "booking or quote requests", "1 booking or quote request"), (1, "hours", "1 hour"),
    (1, "table bookings", "1 table booking"), (1, "sessions", "1 sessions"), (1, "glass", "1 glass"),
])
def test_a_unit_of_one_reads_in_the_singular(value: float, unit: str, expected: str) -> None:
    assert quantity(value, unit) == expected


def test_awareness_days_for_everyone_are_listed_but_take_no_post(bundle: Bundle) -> None:
    core = plan_core(example("rosas-taqueria"), bundle.tables, TODAY)
    moments = moments_of(core)
    assert {"International Women's Day", "Earth Day"} <= set(moments)
    noted = " ".join(p.note for p in core.calendar)
    assert "Moment: International Women's Day" not in noted and "Moment: Earth Day" not in noted
    assert "Moment: Cinco de Mayo" in noted
