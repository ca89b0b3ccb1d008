"""The plan's pictures, drawn with matplotlib: SVG to inline in HTML and PDF, PNG (150 dpi) for DOCX.

`build_charts(strategy, colour)` returns, when the plan holds the data: where the monthly budget goes ("budget";
or the weekly team hours per channel, "team-hours", when nothing is spent), the weekly posting grid
("posting-grid"), the forecast against the target or the paid lines' expected results ("forecast"), and every
channel's fit score ("channel-scores"). Each SVG carries `<title>` and `<desc>` (the chart's data in words), is
labelled for assistive technology and scales to its container's width. Pure: the same Strategy and colour give
the same bytes (hash salt fixed, no date or software tag). matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agent.model.plan import DAYS, Strategy
from agent.render import chart_parts as parts
from agent.render.chart_parts import FONT, INK, Palette, Spec
from agent.render.templating import day_short, platform_name, words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DEFAULT_COLOUR = "#2f6690"
"""A calm blue, for plans without an agency colour."""
PNG_DPI = 150
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_IDS = re.compile(r'(\bid="|href="#|url\(#)')


@dataclass(frozen=True)
class Chart:
    """One rendered chart: `svg` is ready to inline; `png()` draws the same picture again for DOCX.

    `name` is stable ("budget", "team-hours", "posting-grid", "forecast", "channel-scores"); `title` is a short
    caption and `alt` the chart's data in words. `draw` and `height` are kept only for `png()`.
    """

    name: str
    title: str
    alt: str
    svg: str
    draw: Callable[[Figure], None] = field(repr=False, compare=False)
    height: float = field(default=2.0, repr=False, compare=False)

    def png(self) -> bytes:
        """The chart as PNG bytes at 150 dpi (no software tag, so the bytes are stable)."""
        buffer = io.BytesIO()
        with _style():
            _figure(self.height, self.draw).savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()


def build_charts(strategy: Strategy, colour: str | None = None) -> list[Chart]:
    """The plan's charts in document order; a chart without data is left out. `colour`: #RRGGBB (main series)."""
    colours = parts.palette(colour if colour and _COLOUR.match(colour) else DEFAULT_COLOUR)
    specs = [
        parts.budget_spec(strategy, colours) or parts.hours_spec(strategy, colours),
        grid_spec(strategy, colours),
        parts.forecast_spec(strategy, colours),
        parts.scores_spec(strategy, colours),
    ]
    return [_render(spec) for spec in specs if spec is not None]


def _render(spec: Spec) -> Chart:
    buffer = io.BytesIO()
    with _style():
        _figure(spec.height, spec.draw).savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = finish_svg(buffer.getvalue().decode("utf-8"), spec.name, spec.title, spec.alt)
    return Chart(name=spec.name, title=spec.title, alt=spec.alt, svg=svg, draw=spec.draw, height=spec.height)


def _style() -> AbstractContextManager[Any]:
    """matplotlib settings for every chart: a fixed hash salt (stable ids), text as text, no maths parsing."""
    import matplotlib

    return matplotlib.rc_context({
        "svg.hashsalt": "socialplan", "svg.fonttype": "none", "text.parse_math": False,
        "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
        "font.size": FONT, "axes.labelsize": FONT, "xtick.labelsize": FONT, "ytick.labelsize": FONT,
        "legend.fontsize": FONT, "text.color": INK, "axes.labelcolor": INK, "hatch.linewidth": 0.8,
    })  # fmt: skip


def _figure(height: float, draw: Callable[[Figure], None]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(parts.WIDTH, height), dpi=100)
    FigureCanvasAgg(figure)
    draw(figure)
    return figure


def finish_svg(svg: str, name: str, title: str, alt: str) -> str:
    """matplotlib's SVG made inline-ready: no prolog or metadata, 100% wide, titled and described, every id and
    the CSS scoped to `chart-<name>`."""
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[svg.index("<svg") :], count=1, flags=re.DOTALL)
    end = svg.index(">") + 1
    ident = f"chart-{name}"
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:end]).rstrip(">")
    head += (f' id="{ident}" width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc"'
             ' preserveAspectRatio="xMidYMid meet">')
    labels = (f'\n <title id="{ident}-title">{html.escape(title)}</title>'
              f'\n <desc id="{ident}-desc">{html.escape(alt)}</desc>')
    body = _IDS.sub(lambda m: f"{m.group(1)}{ident}-", svg[end:])  # unique when several charts share a page
    body = body.replace("*{stroke-linejoin", f"#{ident} *{{stroke-linejoin", 1)
    return head + labels + body


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
    markers, others = parts.MARKERS, parts.OTHERS
    styles = [(markers[i % len(markers)], colours.main if i == 0 else others[(i - 1) % len(others)])
              for i in range(len(items))]
    cells: dict[tuple[int, int], list[int]] = {}
    for number, (_, day, row) in enumerate(marks):
        cells.setdefault((day, row), []).append(number)

    def draw(figure: Figure) -> None:
        from matplotlib.lines import Line2D

        axes = figure.add_subplot()
        for number, (index, day, row) in enumerate(marks):
            shared = cells[(day, row)]
            step = min(0.24, 0.8 / len(shared))
            x = day + (shared.index(number) - (len(shared) - 1) / 2) * step
            marker, colour = styles[index]
            axes.plot([x], [row], marker=marker, markersize=10, color=colour, markeredgecolor=INK,
                      markeredgewidth=0.7, linestyle="none", zorder=3, gid=f"slot-{number}")
        _grid_axes(axes, times, zone)
        handles = [Line2D([], [], marker=m, markersize=9, color=c, markeredgecolor=INK, linestyle="none",
                          label=f"{platform_name(item.platform.value)} ({item.posts_per_week} a week)")
                   for (m, c), item in zip(styles, items, strict=True)]
        legend = max(parts.text_width(figure, str(h.get_label())) for h in handles) + 0.65
        parts.fit(figure, axes, right=legend)
        box = axes.get_position()
        figure.legend(handles=handles, loc="center right", bbox_to_anchor=(1, (box.y0 + box.y1) / 2), frameon=False)

    alt = f"Weekly posting times in {zone}. {slot_words(strategy)}"
    height = max(0.8 + 0.36 * len(times), 0.55 + 0.26 * len(items))
    return Spec("posting-grid", "When each channel posts", alt, height, draw)


def _grid_axes(axes: Axes, times: list[str], zone: str) -> None:
    axes.set_xticks(range(7), [day_short(d) for d in DAYS])
    axes.set_yticks(range(len(times)), times)
    rule: dict[str, Any] = {"color": parts.RULE, "linewidth": 0.5, "alpha": 0.6, "zorder": 0.5}
    axes.vlines([d + 0.5 for d in range(6)], -0.5, len(times) - 0.5, **rule)
    axes.hlines([r + 0.5 for r in range(len(times) - 1)], -0.5, 6.5, **rule)
    axes.set_xlim(-0.5, 6.5)
    axes.set_ylim(len(times) - 0.5, -0.5)
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("bottom")
    axes.set_xlabel(f"Times in {zone}, the audience's time zone")
    parts.plain(axes)
    axes.spines["top"].set_visible(True)
    axes.spines["top"].set_color(parts.RULE)


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
