"""Library entry points the CLI (and scripts) call: plan a brief, read a stored plan."""

from __future__ import annotations

from pathlib import Path

from agent.brief import Brief
from agent.graph import build_graph
from agent.plan import Strategy
from agent.state import RunContext


def plan_brief(brief: Brief, context: RunContext, graph: object | None = None) -> Path:
    """Plan one brief end to end; returns the new version folder."""
    runner = graph or build_graph()
    result = runner.invoke({"brief": brief}, context=context)  # type: ignore[attr-defined]
    return Path(result["output_path"])


def read_plan(folder: Path) -> Strategy:
    """The Strategy stored in a version folder."""
    return Strategy.model_validate_json((folder / "plan.json").read_text(encoding="utf-8"))
