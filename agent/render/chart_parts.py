"""What the plan's charts show: for each, a `Spec` (name, title, alt text, size) and a function that draws it.

`agent.render.charts` turns specs into SVG and PNG. Chart text comes from enums, numbers and the engines' own
labels through the templating filters; matplotlib escapes it in the SVG, and `text.parse_math` is off while
drawing, so a `$` is a dollar sign. Nothing is told by colour alone: paid bars are hatched, every bar carries its
figure, and each channel in the posting grid has its own marker shape.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent.model.plan import BudgetLine, Strategy
from agent.render.templating import label, money, number, percent, platform_name, quantity

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK = "#1d2330"
"""Text and outlines: dark enough for print."""
RULE = "#8a8f98"
GREY = "#c3c7cd"
WIDTH = 6.5
"""Figure width in inches: an A4 or Letter text column, so 9.5pt text stays >= 9pt when scaled to fit."""
FONT = 9.5
HATCH = "///"
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
    """One chart before rendering: `draw` fills a Figure of `height` inches (the width is WIDTH)."""

    name: str
    title: str
    alt: str
    height: float
    draw: Callable[[Figure], None]


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

    def draw(figure: Figure) -> None:
        from matplotlib.patches import Patch

        axes = figure.add_subplot()
        paid = [line.kind == "paid" for line in lines]
        fills = [colours.tint if p else colours.main for p in paid]
        _bars(axes, [line.monthly_amount for line in lines], figures, fills, hatches=[HATCH if p else "" for p in paid])
        _categories(axes, names, max(line.monthly_amount for line in lines), figures)
        axes.set_xlabel(f"{budget.currency} per month")
        fit(figure, axes, top=0.34)
        handles = [Patch(facecolor=colours.main, edgecolor=INK, label="organic"),
                   Patch(facecolor=colours.tint, edgecolor=INK, hatch=HATCH, label="paid")]
        handles = [h for h, kind in zip(handles, ("organic", "paid"), strict=True) if kind in {ln.kind for ln in lines}]
        figure.legend(handles=handles, loc="upper right", bbox_to_anchor=(1, 1), ncols=2, frameon=False)

    return Spec("budget", "Where the monthly budget goes", alt, _bar_height(len(lines)) + 0.3, draw)


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

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        _bars(axes, [i.hours_per_week for i in items], figures, [colours.main] * len(items))
        _categories(axes, names, max(i.hours_per_week for i in items), figures)
        axes.set_xlabel("Team hours per week")
        fit(figure, axes)

    return Spec("team-hours", "Weekly team hours per channel", alt, _bar_height(len(items)), draw)


def scores_spec(strategy: Strategy, colours: Palette) -> Spec | None:
    """Every channel's fit score, best first: recommended in the main colour, the rest grey and marked."""
    channels = sorted(strategy.channels, key=lambda c: (-c.score, c.platform.value))
    if not channels:
        return None
    names = [platform_name(c.platform.value) for c in channels]
    figures = [f"{c.score:.2f} {label(c.role)}" for c in channels]
    alt = "Channel fit scores from 0 to 1: " + "; ".join(
        f"{n} {c.score:.2f} ({label(c.role)})" for n, c in zip(names, channels, strict=True)) + "."

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        chosen = [c.role != "not_recommended" for c in channels]
        _bars(axes, [c.score for c in channels], figures, [colours.main if c else GREY for c in chosen],
              edges=[INK if c else RULE for c in chosen], inks=[INK if c else "#4a4f57" for c in chosen])
        _categories(axes, names, 1.0, figures)
        axes.set_xlabel("Fit score (0 to 1)")
        fit(figure, axes)

    return Spec("channel-scores", "How well each channel fits", alt, _bar_height(len(channels)), draw)


def _bars(
    axes: Axes, values: Sequence[float], figures: Sequence[str], fills: Sequence[str], *,
    starts: Sequence[float] | None = None, edges: Sequence[str] | None = None,
    hatches: Sequence[str] | None = None, inks: Sequence[str] | None = None,
) -> None:
    """One horizontal bar per row (top down), each labelled with its figure just past its end."""
    from matplotlib.transforms import offset_copy

    lefts = list(starts) if starts is not None else [0.0] * len(values)
    bars = axes.barh(range(len(values)), values, left=lefts, height=0.62, color=fills,
                     edgecolor=edges or INK, linewidth=0.6)
    for bar, hatch in zip(bars.patches, hatches or [], strict=False):
        if hatch:
            bar.set_hatch(hatch)
    shift = offset_copy(axes.transData, fig=axes.get_figure(root=True), x=4, units="points")
    for row, (left, value, text) in enumerate(zip(lefts, values, figures, strict=True)):
        axes.text(left + value, row, text, transform=shift, ha="left", va="center", color=inks[row] if inks else INK)


def _bar_height(rows: int) -> float:
    return 0.75 + 0.34 * rows


def _categories(axes: Axes, names: Sequence[str], largest: float, figures: Sequence[str]) -> None:
    """Row labels top to bottom, room on the right for the bar labels, an x axis only as long as its ticks."""
    from matplotlib.ticker import MaxNLocator

    axes.set_yticks(range(len(names)), [textwrap.fill(n, 26) for n in names])
    axes.set_ylim(len(names) - 0.4, -0.6)
    ticks = [float(t) for t in MaxNLocator(5).tick_values(0, max(largest, 1e-9)) if t >= 0]
    axes.set_xticks(ticks, [number(t) for t in ticks])
    axes.set_xlim(0, max(largest, 1e-9) * (1.04 + 0.024 * max(len(f) for f in figures)))
    plain(axes)
    axes.spines["bottom"].set_bounds(0, ticks[-1])


def plain(axes: Axes) -> None:
    """No top or right frame, grey rules, dark text."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(RULE)
    axes.tick_params(colors=RULE, labelcolor=INK)


def text_width(figure: Figure, text: str) -> float:
    """The width in inches of `text` at the chart font size (the widest line)."""
    from matplotlib.font_manager import FontProperties

    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    font = FontProperties(size=FONT)
    return max(renderer.get_text_width_height_descent(line, font, ismath=False)[0] for line in text.split("\n")) / 100


def fit(figure: Figure, axes: Axes, top: float = 0.1, right: float = 0.2) -> None:
    """Place `axes` by measuring its labels: no layout engine, so saving draws the figure once. Margins in inches."""
    width, height = figure.get_size_inches()
    labels = [t.get_text() for t in axes.get_yticklabels()]
    left = max((text_width(figure, t) for t in labels), default=0.0) + 0.16 + (0.24 if axes.get_ylabel() else 0)
    bottom = 0.08 + (0.22 if axes.get_xlabel() else 0)
    if axes.xaxis.get_ticks_position() == "top":
        top += 0.24
    else:
        bottom += 0.24
    axes.set_position((left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height))


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

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.barh(0, high - low, left=low, height=0.5, color=colours.tint, hatch=HATCH, edgecolor=INK, linewidth=0.6)
        axes.plot([mid], [0], marker="D", markersize=11, color=colours.main, markeredgecolor=INK, linestyle="none")
        axes.axvline(goal, color=INK, linestyle="--", linewidth=1.6)
        right = max(high, goal, 1.0) * 1.12
        narrow = high - low < 0.2 * right  # end labels centred under the ends would collide
        text: dict[str, Any] = {"fontsize": FONT, "color": INK}
        axes.text(low, 0.32, f"low {number(low, 0)}", ha="right" if narrow else "center", va="top", **text)
        axes.text(high, 0.32, f"high {number(high, 0)}", ha="left" if narrow else "center", va="top", **text)
        axes.text(mid, -0.32, f"mid {number(mid, 0)}", ha="center", va="bottom", **text)
        side = "right" if goal > 0.6 * right else "left"
        axes.annotate(f"target {number(goal, 0)}", (goal, -0.72), xytext=(-5 if side == "right" else 5, 0),
                      textcoords="offset points", ha=side, va="center", fontweight="bold", **text)
        axes.set_ylim(0.85, -0.95)
        axes.set_yticks([0], ["Forecast"])
        axes.set_xlim(0, right)
        axes.set_xlabel(f"{unit} per month")
        plain(axes)
        fit(figure, axes)

    return Spec("forecast", "Forecast against the target", alt, 1.9, draw)


def _results_spec(paid: Sequence[BudgetLine], names: Sequence[str], colours: Palette) -> Spec:
    ranges = [line.forecast.results for line in paid if line.forecast]
    results = [line.forecast.result_name for line in paid if line.forecast]
    figures = [f"{number(r.low, 0)}–{number(r.high, 0)} {name}" for r, name in zip(ranges, results, strict=True)]
    alt = "Expected results a month from the paid lines: " + "; ".join(
        f"{n} {number(r.low, 0)} to {number(r.high, 0)} {res}"
        for n, r, res in zip(names, ranges, results, strict=True)) + "."
    unit = results[0] if len(set(results)) == 1 else "results"

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        _bars(axes, [max(r.high - r.low, 0) for r in ranges], figures, [colours.tint] * len(ranges),
              starts=[r.low for r in ranges], hatches=[HATCH] * len(ranges))
        _categories(axes, names, max(r.high for r in ranges), figures)
        axes.set_xlabel(f"{unit} per month (low to high)")
        fit(figure, axes)

    return Spec("forecast", "What the paid lines should bring each month", alt, _bar_height(len(paid)), draw)
