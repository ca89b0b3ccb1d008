"""Axes for the charts: a plot box that maps data to points, its frame, ticks and labels, bars and legends.

Everything is placed by measuring text (`drawing.text_width`), so a long label widens its margin instead of
being cut off. Colours: dark ink for text, grey rules, nothing told by colour alone (callers hatch paid bars and
give each channel its own marker shape).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from agent.render.drawing import ASCENT, FONT, INK, MIDDLE, Anchor, Drawing, Line, Rect, Text, text_width
from agent.render.templating import number

RULE = "#8a8f98"
GREY = "#c3c7cd"
FAINT = "#b9bcc1"
"""RULE at 60% on white: the posting grid's cell lines."""
WIDTH = 468.0
"""Chart width in points: 6.5 inches, an A4 or Letter text column."""
TICK = 3.5
PAD = 3.5
LINE = 1.2 * FONT
MARGIN = 7.2


@dataclass(frozen=True)
class Frame:
    """A plot box on the canvas (points) and the data ranges it shows: x from `xlim[0]` at the left to `xlim[1]`,
    y from `ylim[0]` at the top to `ylim[1]` at the bottom."""

    left: float
    top: float
    right: float
    bottom: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def x(self, value: float) -> float:
        """The canvas x of data value `value`."""
        low, high = self.xlim
        return self.left + (value - low) / (high - low) * (self.right - self.left)

    def y(self, value: float) -> float:
        """The canvas y of data value `value`."""
        top, bottom = self.ylim
        return self.top + (value - top) / (bottom - top) * (self.bottom - self.top)


def nice_ticks(high: float, bins: int = 5) -> list[float]:
    """Ticks from 0 in steps of 1, 2, 2.5 or 5 times a power of ten, at most `bins` steps, the last >= `high`."""
    if high < 1e-6:  # nothing to show (all zero): one plain step rather than a row of zeros
        return [0.0, 1.0]
    raw = high / bins
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    return [i * step for i in range(math.ceil(high / step - 1e-9) + 1)]


def label_block(drawing: Drawing, x: float, y: float, text: str, anchor: Anchor = "end", colour: str = INK) -> None:
    """`text` (lines split on newlines) centred vertically on `y`, aligned at `x`."""
    lines = text.split("\n")
    first = y + MIDDLE - (len(lines) - 1) * LINE / 2
    for index, line in enumerate(lines):
        drawing.add(Text(x, first + index * LINE, line, anchor, colour))


def left_margin(labels: Sequence[str]) -> float:
    """Room for the y tick labels, their ticks and a little air."""
    return max((text_width(label) for label in labels), default=0.0) + TICK + PAD + 4.5


def x_axis(drawing: Drawing, frame: Frame, ticks: Sequence[float], names: Sequence[str], label: str,
           end: float | None = None) -> None:
    """The bottom rule (to the last tick, or `end`), its ticks and their names, and the axis label below."""
    y = frame.bottom
    drawing.add(Line(((frame.x(frame.xlim[0]), y), (frame.x(ticks[-1] if end is None else end), y)), RULE))
    for tick, name in zip(ticks, names, strict=True):
        drawing.add(Line(((frame.x(tick), y), (frame.x(tick), y + TICK)), RULE),
                    Text(frame.x(tick), y + TICK + PAD + ASCENT, name, "middle"))
    if label:
        drawing.add(Text((frame.left + frame.right) / 2, y + TICK + PAD + ASCENT + LINE + 2, label, "middle"))


def y_axis(drawing: Drawing, frame: Frame, rows: Sequence[float], names: Sequence[str]) -> None:
    """The left rule, a tick per row and the row names, right-aligned against the ticks."""
    drawing.add(Line(((frame.left, frame.top), (frame.left, frame.bottom)), RULE))
    for row, name in zip(rows, names, strict=True):
        y = frame.y(row)
        drawing.add(Line(((frame.left - TICK, y), (frame.left, y)), RULE))
        label_block(drawing, frame.left - TICK - PAD, y, name)


def bar_height(rows: int) -> float:
    """The height in points of a bar chart of `rows` rows (with the axis below)."""
    return (0.75 + 0.34 * rows) * 72


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one per row top down: start, length, fill and the figure written past the bar's end."""

    names: Sequence[str]
    values: Sequence[float]
    figures: Sequence[str]
    fills: Sequence[str]
    starts: Sequence[float] | None = None
    hatches: Sequence[bool] | None = None
    edges: Sequence[str] | None = None
    inks: Sequence[str] | None = None


def bar_chart(bars: Bars, axis_label: str, height: float, top: float = MARGIN, scale: float | None = None) -> Drawing:
    """A horizontal bar chart `height` points high: names on the left, an x axis only as long as its ticks
    (to `scale` when given, such as 1 for scores from 0 to 1)."""
    drawing = Drawing(WIDTH, height)
    names = [textwrap.fill(n, 26) for n in bars.names]
    starts = list(bars.starts) if bars.starts is not None else [0.0] * len(bars.values)
    largest = max(max(s + v for s, v in zip(starts, bars.values, strict=True)), scale or 0.0, 1e-9)
    ticks = nice_ticks(largest)
    reach = max(largest * (1.04 + 0.024 * max(len(f) for f in bars.figures)), ticks[-1])
    frame = Frame(left_margin(names), top, WIDTH - 14.4, height - 38.9, (0, reach),
                  (-0.6, len(names) - 0.4))
    for row, (start, value) in enumerate(zip(starts, bars.values, strict=True)):
        x0, x1 = frame.x(start), frame.x(start + value)
        drawing.add(Rect(x0, frame.y(row - 0.31), x1 - x0, frame.y(row + 0.31) - frame.y(row - 0.31),
                         bars.fills[row], bars.edges[row] if bars.edges else INK,
                         hatch=bool(bars.hatches and bars.hatches[row])))
        drawing.add(Text(x1 + 4, frame.y(row) + MIDDLE, bars.figures[row], "start",
                         bars.inks[row] if bars.inks else INK))
    y_axis(drawing, frame, range(len(names)), names)
    x_axis(drawing, frame, ticks, [tick_name(t) for t in ticks], axis_label)
    drawing.keep_text_inside()
    return drawing


def tick_name(value: float) -> str:
    """A tick's figure: whole numbers with separators, else up to two decimals (0.25, 0.5)."""
    return number(value) if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def legend(drawing: Drawing, entries: Sequence[tuple[Rect, str]], right: float, baseline: float) -> None:
    """Swatches (`Rect`s drawn at the origin, moved here) and their names in a row ending at `right`."""
    widths = [swatch.w + 5 + text_width(name) for swatch, name in entries]
    x = right - sum(widths) - 14 * (len(entries) - 1)
    for (swatch, name), width in zip(entries, widths, strict=True):
        top = baseline - MIDDLE - swatch.h / 2
        drawing.add(Rect(x, top, swatch.w, swatch.h, swatch.fill, swatch.stroke, swatch.width, swatch.hatch),
                    Text(x + swatch.w + 5, baseline, name))
        x += width + 14
