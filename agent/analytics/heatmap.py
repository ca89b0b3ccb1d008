"""A weekday x hour heatmap of one platform's slot scores, as PNG bytes (matplotlib, Agg).

Cells show the expected post score (1.0 = a typical post of the account; the user's results shrunk
toward the benchmark) on a diverging scale centred on 1.0 (teal better, brown worse than typical),
numbers the recency-weighted posts behind a slot, and outlined cells the slots the schedule
recommends. Pure: the same summary gives the same bytes (no timestamp or
software tag is written into the PNG; matplotlib ships its own fonts).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from agent.model.plan import DAYS, OwnPlatform, Slot

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OUTLINE = "#d1495b"
NAMES = {
    "facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "x": "X", "tiktok": "TikTok",
    "youtube": "YouTube", "pinterest": "Pinterest", "threads": "Threads",
}  # fmt: skip


def heatmap_png(own: OwnPlatform, slots: Sequence[Slot], zone: str) -> bytes:
    """The PNG of `own.scores` with `slots` outlined; times are in `zone`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4.2), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    values = [v for row in own.scores for v in row]
    ratio = max(max(values), 1 / max(min(values), 1e-3), 1.05)
    low, high = 1 / ratio, ratio  # as far below typical (a ratio) as the best slot is above it
    norm = TwoSlopeNorm(vmin=low, vcenter=1.0, vmax=high)
    image = axes.imshow(own.scores, aspect="auto", cmap="BrBG", norm=norm)
    axes.set_yticks(range(7), DAY_LABELS)
    axes.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=8)
    axes.set_xlabel(f"Hour of posting ({zone})")
    _annotate(axes, own, low, high)
    _outline(axes, slots)
    name = NAMES.get(own.platform.value, own.platform.value)
    axes.set_title(f"{name}: expected engagement per post by posting slot\n"
                   "1.0 = a typical post of yours; numbers = your recent posts in the slot; outlined = recommended",
                   fontsize=10)
    figure.colorbar(image, ax=axes, label="expected score (1.0 = typical)", shrink=0.9)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _annotate(axes: Axes, own: OwnPlatform, low: float, high: float) -> None:
    for day, row in enumerate(own.posts_per_slot):
        for hour, count in enumerate(row):
            if count >= 0.5:
                score = own.scores[day][hour]
                dark = score > 1 + 0.6 * (high - 1) or score < 1 - 0.6 * (1 - low)
                color = "white" if dark else "#1d2330"
                axes.text(hour, day, f"{count:.0f}", ha="center", va="center", fontsize=7, color=color)


def _outline(axes: Axes, slots: Sequence[Slot]) -> None:
    from matplotlib.patches import Rectangle

    for slot in slots:
        day, hour = DAYS.index(slot.day), int(slot.time[:2])
        axes.add_patch(Rectangle((hour - 0.5, day - 0.5), 1, 1, fill=False, edgecolor=OUTLINE, linewidth=2.2))
