"""What the plan's charts show: for each, a `Spec` (name, title, alt text) and the `Drawing` of it.

`agent.render.charts` writes specs as SVG and PNG. Chart text comes from enums, numbers and the engines' own
labels through the templating filters and is escaped when written, so a `$` is a dollar sign and markup is text.
Nothing is told by colour alone: paid bars are hatched, every bar carries its figure, and each channel in the
posting grid has its own marker shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.model.plan import BudgetLine, Strategy
from agent.render.drawing import ASCENT, INK, MIDDLE, Drawing, Line, Rect, Text, marker
from agent.render.plot import (
    GREY,
    RULE,
    WIDTH,
    Bars,
    Frame,
    bar_chart,
    bar_height,
    left_margin,
    legend,
    nice_ticks,
    tick_name,
    x_axis,
    y_axis,
)
from agent.render.templating import label, money, number, percent, platform_name, quantity

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
OTHERS = ("#d55e00", "#009e73", "#cc79a7", "#e69f00", "#0072b2", "#56b4e9", "#6b6b6b")
"""Okabe-Ito colours for the channels after the first (which takes the main colour)."""


@dataclass(frozen=True)
class Palette:
    """The main series colour and its light tint."""

    main: str
    tint: str


@dataclass(frozen=True)
class Spec:
    """One chart: what it is called, its caption, its data in words and its drawing."""

    name: str
    title: str
    alt: str
    drawing: Drawing


def palette(colour: str) -> Palette:
    """`colour` (#RRGGBB) and the same colour mixed half with white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return Palette(main=colour.lower(), tint="#" + "".join(f"{(c + 255) // 2:02x}" for c in rgb))


def short_item(item: str) -> str:
    """A budget line's item without its detail: 'Meta ads (Instagram ...): sales campaigns' -> 'Meta ads'."""
    head = re.split(r" \(|:", item, maxsplit=1)[0].strip()
    return head or item


def _line_labels(lines: Sequence[BudgetLine]) -> list[str]:
    labels = [short_item(line.item) for line in lines]
    return labels if len(set(labels)) == len(labels) else [line.item for line in lines]


def budget_spec(strategy: Strategy, colours: Palette) -> Spec | None:
    """Horizontal bars of the monthly amount per budget line, paid hatched (None when nothing is spent)."""
    budget, lines = strategy.budget, strategy.budget.lines
    total = sum(line.monthly_amount for line in lines)
    if budget.monthly_total <= 0 or total <= 0:
        return None
    names = _line_labels(lines)
    figures = [f"{money(round(line.monthly_amount), budget.currency)} ({percent(line.monthly_amount / total)})"
               for line in lines]
    alt = (f"Monthly budget {money(round(total), budget.currency)}: "
           + "; ".join(f"{n} ({line.kind}) {f}" for n, line, f in zip(names, lines, figures, strict=True)) + ".")
    paid = [line.kind == "paid" for line in lines]
    bars = Bars(names, [line.monthly_amount for line in lines], figures,
                [colours.tint if p else colours.main for p in paid], hatches=paid)
    drawing = bar_chart(bars, f"{budget.currency} per month", bar_height(len(lines)) + 21.6, top=24.5)
    swatches = [(Rect(0, 0, 14, 7, colours.main), "organic"), (Rect(0, 0, 14, 7, colours.tint, hatch=True), "paid")]
    kinds = {line.kind for line in lines}
    legend(drawing, [s for s in swatches if s[1] in kinds], WIDTH - 6, 12)
    return Spec("budget", "Where the monthly budget goes", alt, drawing)


def hours_spec(strategy: Strategy, colours: Palette) -> Spec | None:
    """Horizontal bars of the weekly team hours per scheduled channel (None without a schedule)."""
    items = strategy.schedule
    if not items:
        return None
    names = [platform_name(item.platform.value) for item in items]
    figures = [f"{number(item.hours_per_week, 1)} h ({item.posts_per_week} posts)" for item in items]
    total = sum(item.hours_per_week for item in items)
    alt = ("Team hours a week: " + "; ".join(
        f"{n} {quantity(round(i.hours_per_week, 1), 'hours')} for {quantity(i.posts_per_week, 'posts')}"
        for n, i in zip(names, items, strict=True)) + f"; {quantity(round(total, 1), 'hours')} in all.")
    bars = Bars(names, [i.hours_per_week for i in items], figures, [colours.main] * len(items))
    drawing = bar_chart(bars, "Team hours per week", bar_height(len(items)))
    return Spec("team-hours", "Weekly team hours per channel", alt, drawing)


def scores_spec(strategy: Strategy, colours: Palette) -> Spec | None:
    """Every channel's fit score, best first: recommended in the main colour, the rest grey and marked."""
    channels = sorted(strategy.channels, key=lambda c: (-c.score, c.platform.value))
    if not channels:
        return None
    names = [platform_name(c.platform.value) for c in channels]
    figures = [f"{c.score:.2f} {label(c.role)}" for c in channels]
    alt = "Channel fit scores from 0 to 1: " + "; ".join(
        f"{n} {c.score:.2f} ({label(c.role)})" for n, c in zip(names, channels, strict=True)) + "."
    chosen = [c.role != "not_recommended" for c in channels]
    bars = Bars(names, [c.score for c in channels], figures, [colours.main if c else GREY for c in chosen],
                edges=[INK if c else RULE for c in chosen], inks=[INK if c else "#4a4f57" for c in chosen])
    drawing = bar_chart(bars, "Fit score (0 to 1)", bar_height(len(channels)), scale=1.0)
    return Spec("channel-scores", "How well each channel fits", alt, drawing)


def forecast_spec(strategy: Strategy, colours: Palette) -> Spec | None:
    """The forecast range against the brief's target; without a numeric target, the paid lines' results."""
    target = strategy.target
    if target is not None and target.monthly_value is not None and target.forecast_low is not None \
            and target.forecast_mid is not None and target.forecast_high is not None:
        bounds = (target.forecast_low, target.forecast_mid, target.forecast_high)
        return _target_spec(bounds, target.monthly_value, target.unit or "results", colours)
    paid = [line for line in strategy.budget.lines if line.kind == "paid" and line.forecast and line.monthly_amount]
    return _results_spec(paid, _line_labels(paid), colours) if paid else None


def _target_spec(bounds: tuple[float, float, float], goal: float, unit: str, colours: Palette) -> Spec:
    low, mid, high = bounds
    verdict = "meets" if mid >= goal else "falls short of"
    alt = (f"Forecast {number(low, 0)} to {number(high, 0)} {unit} a month (mid {number(mid, 0)}) against a target "
           f"of {number(goal, 0)} a month: the mid forecast {verdict} the target.")
    return Spec("forecast", "Forecast against the target", alt, _target_drawing(bounds, goal, unit, colours))


def _target_drawing(bounds: tuple[float, float, float], goal: float, unit: str, colours: Palette) -> Drawing:
    """The range as a hatched bar, the mid forecast as a diamond, the target as a dashed line with its figure."""
    low, mid, high = bounds
    drawing = Drawing(WIDTH, 1.9 * 72)
    right = max(high, goal, 1.0) * 1.12
    frame = Frame(left_margin(["Forecast"]), 7.2, WIDTH - 14.4, drawing.height - 38.9, (0, right), (-0.95, 0.85))
    drawing.add(Rect(frame.x(low), frame.y(-0.25), frame.x(high) - frame.x(low), frame.y(0.25) - frame.y(-0.25),
                     colours.tint, hatch=True),
                marker("D", frame.x(mid), frame.y(0), 13, colours.main),
                Line(((frame.x(goal), frame.top), (frame.x(goal), frame.bottom)), INK, 1.6, dash=(5.9, 2.6)))
    narrow = high - low < 0.2 * right  # end labels centred under the ends would collide
    below = frame.y(0.32) + ASCENT
    drawing.add(Text(frame.x(low), below, f"low {number(low, 0)}", "end" if narrow else "middle"),
                Text(frame.x(high), below, f"high {number(high, 0)}", "start" if narrow else "middle"),
                Text(frame.x(mid), frame.y(-0.32) - 2.4, f"mid {number(mid, 0)}", "middle"))
    side = goal > 0.6 * right
    drawing.add(Text(frame.x(goal) + (-5 if side else 5), frame.y(-0.72) + MIDDLE, f"target {number(goal, 0)}",
                     "end" if side else "start", bold=True))
    y_axis(drawing, frame, [0], ["Forecast"])
    ticks = [t for t in nice_ticks(right, 9) if t <= right]
    x_axis(drawing, frame, ticks, [tick_name(t) for t in ticks], f"{unit} per month", end=right)
    drawing.keep_text_inside()
    return drawing


def _results_spec(paid: Sequence[BudgetLine], names: Sequence[str], colours: Palette) -> Spec:
    ranges = [line.forecast.results for line in paid if line.forecast]
    results = [line.forecast.result_name for line in paid if line.forecast]
    figures = [f"{number(r.low, 0)}–{number(r.high, 0)} {name}" for r, name in zip(ranges, results, strict=True)]
    alt = "Expected results a month from the paid lines: " + "; ".join(
        f"{n} {number(r.low, 0)} to {number(r.high, 0)} {res}"
        for n, r, res in zip(names, ranges, results, strict=True)) + "."
    unit = results[0] if len(set(results)) == 1 else "results"
    bars = Bars(names, [max(r.high - r.low, 0) for r in ranges], figures, [colours.tint] * len(ranges),
                starts=[r.low for r in ranges], hatches=[True] * len(ranges))
    drawing = bar_chart(bars, f"{unit} per month (low to high)", bar_height(len(paid)))
    return Spec("forecast", "What the paid lines should bring each month", alt, drawing)

