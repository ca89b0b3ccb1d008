"""A chart `Drawing` painted as PNG with Pillow, for DOCX: the same shapes and text as its SVG.

Painted at twice the target size and reduced (each pixel the mean of four), so edges and text are smooth;
150 dots per inch (a 6.5-inch chart is 975 pixels wide). The bytes are stable: no date or software tag.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from agent.render.drawing import FONT, HATCH_STEP, INK, Drawing, Item, Line, Point, Rect, Shape, font

if TYPE_CHECKING:
    from PIL.ImageDraw import ImageDraw

PNG_DPI = 150
SUPERSAMPLE = 2
_ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def png(drawing: Drawing, dpi: int = PNG_DPI) -> bytes:
    """The drawing as PNG bytes at `dpi`."""
    from PIL import Image, ImageDraw

    scale = dpi / 72 * SUPERSAMPLE
    size = (round(drawing.width * dpi / 72), round(drawing.height * dpi / 72))
    image = Image.new("RGB", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), "#ffffff")
    pen = ImageDraw.Draw(image)
    for item in drawing.items:
        _paint(pen, item, scale)
    buffer = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(buffer, format="PNG", dpi=(dpi, dpi))  # each pixel the mean of its 2x2
    return buffer.getvalue()


def _paint(pen: ImageDraw, item: Item, s: float) -> None:
    if isinstance(item, Rect):
        box = (item.x * s, item.y * s, (item.x + item.w) * s, (item.y + item.h) * s)
        pen.rectangle(box, fill=item.fill)
        if item.hatch:
            _hatch(pen, box, s)
        if item.stroke:
            pen.rectangle(box, outline=item.stroke, width=_width(item.width, s))
    elif isinstance(item, Line):
        points = [(x * s, y * s) for x, y in item.points]
        for start, end in zip(points, points[1:], strict=False):
            for piece in _dashes(start, end, item.dash, s):
                pen.line(piece, fill=item.colour, width=_width(item.width, s))
    elif isinstance(item, Shape):
        if item.radius is not None:
            (x, y), r = item.points[0], item.radius
            pen.ellipse(((x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s), fill=item.fill, outline=item.stroke,
                        width=_width(item.width, s))
        else:
            pen.polygon([(x * s, y * s) for x, y in item.points], fill=item.fill, outline=item.stroke,
                        width=_width(item.width, s))
    else:
        pen.text((item.x * s, item.y * s), item.text, fill=item.colour, anchor=_ANCHORS[item.anchor],
                 font=font(item.bold, FONT * s))


def _width(points: float, s: float) -> int:
    return max(1, round(points * s))


def _hatch(pen: ImageDraw, box: tuple[float, float, float, float], s: float) -> None:
    """Lines x + y = k * step (45 degrees, rising to the right) clipped to `box`, as the SVG pattern draws them."""
    x0, y0, x1, y1 = box
    step = HATCH_STEP * s
    first, last = math.ceil((x0 + y0) / step), math.floor((x1 + y1) / step)
    for k in range(first, last + 1):
        c = k * step
        start_x, end_x = max(x0, c - y1), min(x1, c - y0)
        if start_x < end_x:
            pen.line([(start_x, c - start_x), (end_x, c - end_x)], fill=INK, width=_width(0.8, s))


def _dashes(start: Point, end: Point, dash: tuple[float, float] | None, s: float) -> list[list[Point]]:
    """The pieces of a line from `start` to `end`: itself when solid, else its dashes."""
    if dash is None:
        return [[start, end]]
    length = math.dist(start, end)
    on, off = dash[0] * s, dash[1] * s
    pieces, at = [], 0.0
    while at < length:
        stop = min(at + on, length)
        pieces.append([_along(start, end, at / length), _along(start, end, stop / length)])
        at = stop + off
    return pieces


def _along(start: Point, end: Point, t: float) -> Point:
    return (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
