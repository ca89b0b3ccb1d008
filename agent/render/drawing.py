"""A small vector drawing for the plan's charts: shapes and text placed in points, written as SVG.

A chart is built once as a `Drawing` (rectangles, lines, polygons, circles, text); `Drawing.svg` writes it for
HTML and PDF and `agent.render.raster.png` paints the same drawing for DOCX, so the two pictures never differ.
Text is measured with the DejaVu Sans metrics the PNG is painted with (`text_width`), so labels are placed by
arithmetic rather than a layout engine. Pure and deterministic: the same drawing gives the same bytes. One SVG
unit is one point at the chart's own width (6.5 inches, 468 points).
"""

from __future__ import annotations

import dataclasses
import html
import math
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from agent.render.fonts import font_file

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

INK = "#1d2330"
"""Text and outlines: dark enough for print."""
FONT = 9.5
"""Text size in points: stays >= 9pt when the chart is scaled to an A4 or Letter text column."""
FAMILY = "'DejaVu Sans', Arial, Helvetica, 'Liberation Sans', sans-serif"
HATCH_STEP = 5.66
"""Distance in points between the hatch lines' starts along each edge (the lines run 45 degrees)."""
Anchor = Literal["start", "middle", "end"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    """A rectangle from (x, y) (top left) `w` wide and `h` high; `hatch` lays diagonal lines over the fill."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = INK
    width: float = 0.6
    hatch: bool = False


@dataclass(frozen=True)
class Line:
    """A straight line (or a polyline); `dash` is (on, off) in points."""

    points: tuple[Point, ...]
    colour: str
    width: float = 0.8
    dash: tuple[float, float] | None = None


@dataclass(frozen=True)
class Shape:
    """A filled polygon, or a circle of `radius` around `points[0]`; `ident` names it in the SVG."""

    points: tuple[Point, ...]
    fill: str
    stroke: str = INK
    width: float = 0.7
    radius: float | None = None
    ident: str | None = None


@dataclass(frozen=True)
class Text:
    """One line of text; (x, y) is on its baseline, at its start, middle or end."""

    x: float
    y: float
    text: str
    anchor: Anchor = "start"
    colour: str = INK
    bold: bool = False


Item = Rect | Line | Shape | Text


@dataclass
class Drawing:
    """What a chart draws, in drawing order, on a `width` x `height` point canvas with a white background."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)

    def add(self, *items: Item) -> None:
        """Draw `items` over what is already drawn."""
        self.items.extend(items)

    def keep_text_inside(self, margin: float = 1.0) -> None:
        """Move any text that would run past the left or right edge back inside (a long figure at the end of
        a bar, a wide tick label at the last tick)."""
        for index, item in enumerate(self.items):
            if isinstance(item, Text):
                start, end = text_span(item)
                shift = max(margin - start, 0.0) or min(self.width - margin - end, 0.0)
                if shift:
                    self.items[index] = dataclasses.replace(item, x=item.x + shift)

    def svg(self, ident: str, title: str, alt: str) -> str:
        """The drawing as inline SVG: 100% wide, titled and described, every id and the CSS scoped to `ident`."""
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {_n(self.width)} '
                f'{_n(self.height)}" id="{ident}" width="100%" role="img" '
                f'aria-labelledby="{ident}-title {ident}-desc" preserveAspectRatio="xMidYMid meet">')
        lines = [head, f' <title id="{ident}-title">{html.escape(title)}</title>',
                 f' <desc id="{ident}-desc">{html.escape(alt)}</desc>',
                 f' <defs><style type="text/css">#{ident} text{{font-family: {FAMILY}; font-size: {FONT}px; '
                 f'fill: {INK}}} #{ident} *{{stroke-linejoin: round}}</style>{_hatch_pattern(ident)}</defs>',
                 f' <rect width="{_n(self.width)}" height="{_n(self.height)}" fill="#ffffff"/>']
        lines += [" " + _svg_item(item, ident) for item in self.items]
        return "\n".join([*lines, "</svg>"])


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(points: tuple[Point, ...]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _hatch_pattern(ident: str) -> str:
    step = _n(HATCH_STEP)
    return (f'<pattern id="{ident}-hatch" patternUnits="userSpaceOnUse" width="{step}" height="{step}">'
            f'<path d="M-1,1 L1,-1 M0,{step} L{step},0 M{_n(HATCH_STEP - 1)},{_n(HATCH_STEP + 1)} '
            f'L{_n(HATCH_STEP + 1)},{_n(HATCH_STEP - 1)}" stroke="{INK}" stroke-width="0.8"/></pattern>')


def _svg_item(item: Item, ident: str) -> str:
    if isinstance(item, Rect):
        box = f'x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" height="{_n(item.h)}"'
        stroke = f' stroke="{item.stroke}" stroke-width="{_n(item.width)}"' if item.stroke else ""
        hatch = f'<rect {box} fill="url(#{ident}-hatch)"/>' if item.hatch else ""
        return f'<rect {box} fill="{item.fill}"/>{hatch}<rect {box} fill="none"{stroke}/>' if stroke and hatch \
            else f'<rect {box} fill="{item.fill}"{stroke}/>{hatch}'
    if isinstance(item, Line):
        dash = f' stroke-dasharray="{_n(item.dash[0])},{_n(item.dash[1])}"' if item.dash else ""
        return (f'<polyline points="{_points(item.points)}" fill="none" stroke="{item.colour}" '
                f'stroke-width="{_n(item.width)}"{dash}/>')
    if isinstance(item, Shape):
        name = f' id="{ident}-{item.ident}"' if item.ident else ""
        paint = f'fill="{item.fill}" stroke="{item.stroke}" stroke-width="{_n(item.width)}"'
        if item.radius is not None:
            (x, y), = item.points
            return f'<circle{name} cx="{_n(x)}" cy="{_n(y)}" r="{_n(item.radius)}" {paint}/>'
        return f'<polygon{name} points="{_points(item.points)}" {paint}/>'
    weight = ' font-weight="bold"' if item.bold else ""
    colour = f' style="fill: {item.colour}"' if item.colour != INK else ""
    anchor = f' text-anchor="{item.anchor}"' if item.anchor != "start" else ""
    return f'<text x="{_n(item.x)}" y="{_n(item.y)}"{anchor}{weight}{colour}>{html.escape(item.text)}</text>'


@cache
def font(bold: bool, pixels: float) -> FreeTypeFont:
    """DejaVu Sans (bold or regular) at `pixels` pixels per em, loaded once per size."""
    from PIL import ImageFont

    return ImageFont.truetype(str(font_file(bold)), pixels)


def text_width(text: str, bold: bool = False) -> float:
    """The width in points of `text` at the chart font size (the widest line when it has several)."""
    measure = font(bold, 100)
    return max(measure.getlength(line) for line in text.split("\n")) * FONT / 100


def text_span(item: Text) -> tuple[float, float]:
    """Where a text starts and ends on the x axis, in points."""
    width = text_width(item.text, item.bold)
    start = {"middle": item.x - width / 2, "end": item.x - width}.get(item.anchor, item.x)
    return start, start + width


ASCENT = 0.76 * FONT
"""Height of capitals and digits above the baseline, in points (DejaVu Sans cap height 0.73 em, a little air)."""
MIDDLE = 0.36 * FONT
"""Drop from a text's vertical centre to its baseline."""


def marker(shape: str, x: float, y: float, size: float, fill: str, ident: str | None = None) -> Shape:
    """A marker `size` points across centred on (x, y): o circle, s square, ^ v triangles, D diamond, P plus,
    X cross, h hexagon."""
    r = size / 2
    if shape == "o":
        return Shape(((x, y),), fill, radius=r, ident=ident)
    corners: dict[str, list[Point]] = {
        "s": [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)],
        "^": [(0, -1.1), (0.95, 0.55), (-0.95, 0.55)],
        "v": [(0, 1.1), (0.95, -0.55), (-0.95, -0.55)],
        "D": [(0, -1.25), (0.9, 0), (0, 1.25), (-0.9, 0)],
        "h": [(math.cos(a), math.sin(a)) for a in (math.pi / 6 + k * math.pi / 3 for k in range(6))],
        "P": _plus(0.33, 1.0),
    }
    if shape == "X":
        turn = math.sqrt(0.5)
        corners["X"] = [((px - py) * turn, (px + py) * turn) for px, py in _plus(0.3, 1.15)]
    return Shape(tuple((x + px * r, y + py * r) for px, py in corners[shape]), fill, ident=ident)


def _plus(arm: float, reach: float) -> list[Point]:
    a, b = arm, reach
    return [(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a), (-b, -a),
            (-a, -a)]
