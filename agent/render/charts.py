"""The plan's pictures, drawn once and written as SVG to inline in HTML and PDF, and as PNG (150 dpi) for DOCX.

`build_charts(strategy, colour)` returns, when the plan holds the data: where the monthly budget goes ("budget";
or the weekly team hours per channel, "team-hours", when nothing is spent), the weekly posting grid
("posting-grid"), the forecast against the target or the paid lines' expected results ("forecast"), and every
channel's fit score ("channel-scores"). Each SVG carries `<title>` and `<desc>` (the chart's data in words), is
labelled for assistive technology and scales to its container's width. Pure: the same Strategy and colour give
the same bytes. The charts are drawn by `agent.render.drawing` (no plotting library), which keeps a plan's
rendering cheap; the PNG paints the very same drawing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.model.plan import DAYS, Strategy
from agent.render import chart_parts as parts
from agent.render.chart_parts import Palette, Spec
from agent.render.drawing import MIDDLE, Drawing, Line, Text, marker, text_width
from agent.render.plot import FAINT, PAD, RULE, TICK, WIDTH, Frame, left_margin, y_axis
from agent.render.raster import png
from agent.render.templating import day_short, platform_name, words

DEFAULT_COLOUR = "#2f6690"
"""A calm blue, for plans without an agency colour."""
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Chart:
    """One chart: `svg` is ready to inline; `png()` paints the same drawing for DOCX.

    `name` is stable ("budget", "team-hours", "posting-grid", "forecast", "channel-scores"); `title` is a short
    caption and `alt` the chart's data in words.
    """

    name: str
    title: str
    alt: str
    svg: str
    drawing: Drawing = field(repr=False, compare=False)

    def png(self) -> bytes:
        """The chart as PNG bytes at 150 dpi (no software tag, so the bytes are stable)."""
        return png(self.drawing)


def build_charts(strategy: Strategy, colour: str | None = None) -> list[Chart]:
    """The plan's charts in document order; a chart without data is left out. `colour`: #RRGGBB (main series)."""
    colours = parts.palette(colour if colour and _COLOUR.match(colour) else DEFAULT_COLOUR)
    specs = [
        parts.budget_spec(strategy, colours) or parts.hours_spec(strategy, colours),
        grid_spec(strategy, colours),
        parts.forecast_spec(strategy, colours),
        parts.scores_spec(strategy, colours),
    ]
    return [Chart(s.name, s.title, s.alt, s.drawing.svg(f"chart-{s.name}", s.title, s.alt), s.drawing)
            for s in specs if s is not None]


def grid_rows(strategy: Strategy) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The distinct slot times (the grid's rows) and one (schedule index, day index, row) per slot."""
    times = sorted({slot.time for item in strategy.schedule for slot in item.slots})
    marks = [(index, DAYS.index(slot.day), times.index(slot.time))
             for index, item in enumerate(strategy.schedule) for slot in item.slots]
    return times, marks


def grid_spec(strategy: Strategy, colours: Palette) -> Spec | None:
    """Days across, posting times down, one marker per slot (a shape and colour per channel; None without slots)."""
    times, marks = grid_rows(strategy)
    if not marks:
        return None
    items = strategy.schedule
    zone = next(slot.timezone for item in items for slot in item.slots)
    styles = [(parts.MARKERS[i % len(parts.MARKERS)], colours.main if i == 0 else parts.OTHERS[(i - 1) % len(
        parts.OTHERS)]) for i in range(len(items))]
    names = [f"{platform_name(item.platform.value)} ({item.posts_per_week} a week)" for item in items]
    height = max(0.8 + 0.36 * len(times), 0.55 + 0.26 * len(items)) * 72
    key = max(text_width(name) for name in names) + 0.65 * 72
    frame = Frame(left_margin(times), 24.5, WIDTH - key, height - 21.6, (-0.5, 6.5), (-0.5, len(times) - 0.5))
    drawing = Drawing(WIDTH, height)
    _grid_frame(drawing, frame, times, zone)
    cells: dict[tuple[int, int], list[int]] = {}
    for number, (_, day, row) in enumerate(marks):
        cells.setdefault((day, row), []).append(number)
    for number, (index, day, row) in enumerate(marks):
        shared = cells[(day, row)]
        x = day + (shared.index(number) - (len(shared) - 1) / 2) * min(0.24, 0.8 / len(shared))
        shape, colour = styles[index]
        drawing.add(marker(shape, frame.x(x), frame.y(row), 10, colour, f"slot-{number}"))
    middle = (frame.top + frame.bottom) / 2 - (len(items) - 1) * 8.1
    for number, ((shape, colour), name) in enumerate(zip(styles, names, strict=True)):
        y = middle + number * 16.2
        drawing.add(marker(shape, frame.right + 24, y, 9, colour), Text(frame.right + 36, y + MIDDLE, name))
    drawing.keep_text_inside()
    alt = f"Weekly posting times in {zone}. {slot_words(strategy)}"
    return Spec("posting-grid", "When each channel posts", alt, drawing)


def _grid_frame(drawing: Drawing, frame: Frame, times: list[str], zone: str) -> None:
    """Day names on top, times on the left, faint lines between cells, the time zone below."""
    for day, name in enumerate(DAYS):
        x = frame.x(day)
        drawing.add(Text(x, frame.top - TICK - PAD - 2.2, day_short(name), "middle"),
                    Line(((x, frame.top - TICK), (x, frame.top)), RULE))
    drawing.add(*(Line(((frame.x(d + 0.5), frame.top), (frame.x(d + 0.5), frame.bottom)), FAINT, 0.5)
                  for d in range(6)))
    drawing.add(*(Line(((frame.left, frame.y(r + 0.5)), (frame.right, frame.y(r + 0.5))), FAINT, 0.5)
                  for r in range(len(times) - 1)))
    drawing.add(Line(((frame.left, frame.top), (frame.right, frame.top)), RULE),
                Line(((frame.left, frame.bottom), (frame.right, frame.bottom)), RULE))
    y_axis(drawing, frame, range(len(times)), times)
    drawing.add(Text((frame.left + frame.right) / 2, frame.bottom + 14.5,
                     f"Times in {zone}, the audience's time zone", "middle"))


def slot_words(strategy: Strategy) -> str:
    """'Instagram: Mon, Tue and Wed at 11:00. TikTok: ...': the posting grid in words."""
    phrases = []
    for item in strategy.schedule:
        by_time: dict[str, list[str]] = {}
        for slot in sorted(item.slots, key=lambda s: (s.time, DAYS.index(s.day))):
            by_time.setdefault(slot.time, []).append(day_short(slot.day))
        when = "; ".join(f"{words(days)} at {time}" for time, days in by_time.items())
        phrases.append(f"{platform_name(item.platform.value)}: {when}.")
    return " ".join(phrases)
