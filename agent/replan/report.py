"""changes.md: the readable account of what moved between two plan versions."""

from __future__ import annotations

from agent.model.plan import Strategy
from agent.render.templating import render, strip_blank_runs


def render_changes(strategy: Strategy) -> str:
    """Markdown for `strategy.changes` (the strategy must carry changes)."""
    if strategy.changes is None:
        raise ValueError("this plan has no changes to report")
    return strip_blank_runs(render("changes.md.j2", strategy=strategy)).strip() + "\n"
