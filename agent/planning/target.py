"""Target engine: the client's own target, read from the brief and set against the forecast.

`goals.target` is free text ("150 demo requests per month", "50k installs a quarter"). The number,
the unit (knowledge/data/targets.yaml: which goal's result it follows and how many units one result
makes, a labelled assumption) and the period are read; the forecast for that goal (paid forecast
ranges plus organic visits x site conversion) is converted into the target's unit and period. When
the mid forecast falls short, the budget that would close the gap is computed from the plan's own
cost per result (or, with no paid line, from the best recommended platform's costs), together with
the conversion-rate lift that would do the same. Nothing is guessed: what cannot be read is null
with the reason in `note`.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from agent.model.brief import PLATFORM_NAMES, Brief, Goal
from agent.model.plan import Budget, Channel, Target
from agent.planning.allocation import candidates
from agent.planning.budget import fx_rate, target_paid_share
from agent.planning.cadence import Cadence
from agent.planning.forecast import forecast_line
from agent.planning.reach import organic_impressions
from agent.planning.reputation import about_reputation, reputation_target
from agent.planning.tables import Tables
from agent.planning.target_rows import TargetUnit
from agent.planning.units import read_number, read_period, read_unit

PER_MONTH = {"month": 1.0, "quarter": 3.0, "year": 12.0}
CONVERSIONS = {Goal.leads, Goal.sales, Goal.app_installs, Goal.recruiting}
"""A target in one conversion's unit under another conversion goal is read as the plan's own result."""
LEVEL_GOALS = {Goal.community}
"""Targets for these goals are levels reached by the end of the horizon (e.g. followers), not rates."""


def _paid(budget: Budget, goal: Goal, primary: Goal) -> tuple[float, float, float, float]:
    """(spend, results low, mid, high) of the paid lines, counted only for the goal they buy."""
    spend = low = high = 0.0
    for line in budget.lines:
        if line.kind == "paid" and line.forecast and goal == primary:
            spend += line.monthly_amount
            low, high = low + line.forecast.results.low, high + line.forecast.results.high
    return spend, low, (low + high) / 2, high


def _organic(brief: Brief, tables: Tables, cadences: list[Cadence], goal: Goal) -> float:
    """Monthly results of the goal from organic posts at the horizon's end."""
    _, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months)
    if goal == Goal.awareness:
        return later / tables.kpi.ad_frequency
    clicks = later * tables.kpi.organic_link_ctr
    if goal in (Goal.traffic, Goal.engagement):
        return clicks
    return clicks * tables.kpi.site_conversion.get(goal, 0.0)


def _forecast(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, goal: Goal,
              scale: float) -> tuple[float, float, float]:
    """(low, mid, high) results of `goal` a month, paid plus organic, times `scale` (the target's units)."""
    _, low, mid, high = _paid(budget, goal, brief.goals.primary)
    organic = _organic(brief, tables, cadences, goal)
    return (low + organic) * scale, (mid + organic) * scale, (high + organic) * scale


def _cost_per_result(brief: Brief, tables: Tables, budget: Budget, channels: list[Channel]) -> tuple[float, str]:
    """Mid cost of one more result of the primary goal, in the brief's currency, and where it comes from."""
    spend, _, mid, _ = _paid(budget, brief.goals.primary, brief.goals.primary)
    if spend > 0 and mid > 0:
        return spend / mid, "at the plan's own cost per result"
    ranked = [c for c in candidates(brief.goals.primary, channels, tables) if c.value > 0]
    if not ranked:
        return math.inf, ""
    rate, reference = fx_rate(brief, tables), 1000.0
    forecast = forecast_line(reference, ranked[0].paid, brief.goals.primary, rate, tables.kpi)
    results = (forecast.results.low + forecast.results.high) / 2
    name = PLATFORM_NAMES[ranked[0].lead.platform.value]
    return (reference / results if results else math.inf), f"with {name} ads at benchmark costs"


def _required(brief: Brief, tables: Tables, budget: Budget, channels: list[Channel], gap_results: float) -> tuple[
        float | None, str]:
    """The monthly budget that closes the gap at this plan's split, and how it reads: the extra ad money,
    then the whole budget that keeps the organic share."""
    cost, how = _cost_per_result(brief, tables, budget, channels)
    if not math.isfinite(cost) or gap_results <= 0:
        return None, ""
    extra = gap_results * cost
    share = budget.paid_share or target_paid_share(brief, tables)[0]
    total = float(math.ceil((budget.monthly_total + extra / (share or 1.0)) / 100) * 100)
    cur = brief.resources.currency
    return total, (f"about {math.ceil(extra / 10) * 10:,.0f} {cur} more a month in ads {how} (a floor: costs per "
                   f"result usually rise with spend); at this plan's {share:.0%} paid share that is a budget of "
                   f"about {total:,.0f} {cur}")


Period = Literal["month", "quarter", "year", "horizon"]


def _levels(value: float, unit: TargetUnit, period: str | None, months: int) -> tuple[float, Period]:
    """The target per month (or as a level), and the period it was read in."""
    if unit.goal in LEVEL_GOALS and period is None:
        return value, "horizon"
    if period in ("quarter", "year"):
        return value / PER_MONTH[period], "quarter" if period == "quarter" else "year"
    return value, "month"


def assess_target(
    brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, channels: list[Channel],
    local: bool = False,
) -> Target | None:
    """The brief's target against the forecast; None when the brief states no target; a target about
    reputation is counted by KPIs instead (`local`: a business people visit, read on Google)."""
    text = (brief.goals.target or "").strip()
    if not text:
        return None
    if about_reputation(text, tables):
        return reputation_target(brief, tables, local)
    value, unit = read_number(text), read_unit(text, tables)
    if re.search(r"\d\s*(%|per ?cent\b)", text.lower()):
        return _percent(brief, tables, cadences, budget, channels, text, value, unit)
    if value is None or unit is None:
        why = "has no number" if value is None else "does not say what is counted"
        return Target(text=text, value=value, note=f"The target {why}, so it cannot be set against the forecast: "
                      "give it as a count and a period, e.g. '20 new bookings a month'.")
    monthly, period = _levels(value, unit, read_period(text), brief.goals.horizon_months)
    if unit.goal != brief.goals.primary and {unit.goal, brief.goals.primary} <= CONVERSIONS:
        unit = unit.model_copy(update={"goal": brief.goals.primary, "per_result": 1.0})
    return _compare(brief, tables, cadences, budget, channels, unit, value, monthly, period, text)


ASK_COUNT = "state it as a count (e.g. '120 lunch covers a week') or add the current number to the brief"


def _percent(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, channels: list[Channel],
             text: str, value: float | None, unit: TargetUnit | None) -> Target:
    """A change in per cent cannot be judged without today's figure, but the forecast still bounds it: the
    plan adds `mid` a month, which is that many per cent only of a figure up to mid / per cent."""
    head = "The target is a change in per cent, so it cannot be set against a forecast without today's figure"
    if unit is None or not value or unit.goal != brief.goals.primary:
        return Target(text=text, value=value, note=f"{head}: {ASK_COUNT}.")
    f_low, f_mid, f_high = _forecast(brief, tables, cadences, budget, unit.goal, unit.per_result)
    cost, how = _cost_per_result(brief, tables, budget, channels)
    price = (f" Each further one from ads would cost about {cost / unit.per_result:,.0f} {brief.resources.currency} "
             f"{how}." if math.isfinite(cost) and cost > 0 else "")
    digits = 1 if f_high < 10 else 0
    low_text, high_text = f"{f_low:,.{digits}f}", f"{f_high:,.{digits}f}"
    span = f"{f_mid:,.{digits}f} {unit.unit} a month from social"
    span += f" ({low_text}–{high_text})" if low_text != high_text else ""
    if f_mid < 1:
        verdict = f"so this plan alone cannot add {value:g}% to any real figure"
    else:
        verdict = f"which is {value:g}% more only where today's figure is under {f_mid / (value / 100):,.0f} a month"
    note = (f"{head}, but the forecast bounds it: about {span}, {verdict}.{price} To see what closing the gap "
            f"would take, {ASK_COUNT}.")
    return Target(text=text, value=value, unit=unit.unit, period="month", forecast_low=float(round(f_low)),
                  forecast_mid=float(round(f_mid)), forecast_high=float(round(f_high)), note=note,
                  citations=[unit.source])


def _compare(brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, channels: list[Channel],
             unit: TargetUnit, value: float, monthly: float, period: Period, text: str) -> Target:
    goal, months = unit.goal, brief.goals.horizon_months
    scale = unit.per_result * (months if period == "horizon" else 1)
    f_low, f_mid, f_high = _forecast(brief, tables, cadences, budget, goal, scale)
    reachable = round(f_mid) >= monthly
    required, how = (None, "")
    if not reachable and goal == brief.goals.primary:
        required, how = _required(brief, tables, budget, channels, (monthly - f_mid) / scale)
    note = _note(brief, unit, monthly, period, (f_low, f_mid, f_high), reachable, required, how)
    return Target(
        text=text, value=value, unit=unit.unit, period=period, monthly_value=round(monthly, 2),
        forecast_low=float(round(f_low)), forecast_mid=float(round(f_mid)), forecast_high=float(round(f_high)),
        reachable=reachable, required_monthly_budget=required, note=note, citations=[unit.source],
    )


def _note(brief: Brief, unit: TargetUnit, monthly: float, period: str, forecast: tuple[float, float, float],
          reachable: bool, required: float | None, how: str) -> str:
    low, mid, high = forecast
    per = "by the end of the plan" if period == "horizon" else "a month"
    span = f"{low:,.0f}–{high:,.0f} {unit.unit} {per} (mid {mid:,.0f})"
    step = "" if unit.per_result == 1 else (
        f" Assumes {unit.per_result:g} {unit.unit} per {unit.goal.value.replace('_', ' ')} result (assumption).")
    if reachable:
        return f"Within reach: the forecast is {span} against a target of {monthly:,.0f}.{step}"
    lift = monthly / mid if mid else math.inf
    levers = []
    if required:
        levers.append(how)
    if math.isfinite(lift) and lift < 10:
        levers.append(f"converting {lift:.1f}x as many of the visitors")
    gap = f" Closing the gap would take {' or '.join(levers)}." if levers else ""
    return f"Out of reach as planned: the forecast is {span} against {monthly:,.0f}.{gap}{step}"
