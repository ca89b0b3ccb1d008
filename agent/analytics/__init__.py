"""The user's own analytics: post-level exports read into typed records, then scored per time slot.

`load_exports(paths, zone)` reads Meta Business Suite (Facebook, Instagram), LinkedIn Page, X and
generic CSV exports into `OwnData`, raising `AnalyticsError` ('<file>: <what>') for a file it
cannot use. `scoring`, `baselines` and `summary` are pure (no I/O) and used by the planning engines;
`heatmap` draws the slot grid for the strategy document. File reading is imported only when
`load_exports` is first used, so the engines' imports stay free of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.analytics.model import AnalyticsError, ExportFile, OwnData, PostRecord

if TYPE_CHECKING:
    from agent.analytics.load import load_exports

__all__ = ["AnalyticsError", "ExportFile", "OwnData", "PostRecord", "load_exports"]


def __getattr__(name: str) -> Any:
    if name == "load_exports":
        from agent.analytics.load import load_exports

        return load_exports
    raise AttributeError(name)
