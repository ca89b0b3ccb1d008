"""Library entry points the CLI (and scripts) call: plan a brief, replan a stored plan, version history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from agent.edits.paths import Edit, apply_edits
from agent.model.brief import Brief
from agent.model.plan_io import load_version, read_plan, versions
from agent.render.versions import client_id

if TYPE_CHECKING:  # the graph stack loads when a plan is made, so agent.api.errors and history stay light
    from agent.graph.state import RunContext


def plan_brief(brief: Brief, context: RunContext, graph: object | None = None) -> Path:
    """Plan one brief end to end; returns the new version folder."""
    from agent.graph.build import build_graph

    runner = graph or build_graph()
    result = runner.invoke({"brief": brief}, context=context)  # type: ignore[attr-defined,union-attr]
    return Path(result["output_path"])


def replan(target: Path, edits: list[Edit], context: RunContext, out_dir: Path | None = None) -> Path:
    """Apply `edits` to the stored brief of `target` and write the next version with changes.md.

    The new version goes beside the previous one unless `out_dir` names another output root.
    """
    from agent.graph.state import RunContext

    folder, old = load_version(target)
    brief = apply_edits(old.brief, edits)
    run = RunContext(settings=context.settings, now=context.now, out_dir=out_dir or folder.parent.parent,
                     client=old.client, client_id=old.client_id or None, analytics=context.analytics,
                     analytics_zone=context.analytics_zone, previous=folder, brand=context.brand)
    return plan_brief(brief, run)


class VersionRow(BaseModel):
    """One line of a client's history."""

    version: int
    parent: int | None = None
    """The version this one was replanned from (None for a first plan)."""
    client_id: str = ""
    created: str
    goal: str
    budget: str
    channels: str
    change: str
    other_client: bool = False
    """True when this version belongs to another business than the folder's latest plan."""


def history(client_folder: Path) -> list[VersionRow]:
    """Every stored version of a client, oldest first, each with the version it was replanned from and a flag
    on versions of another business (folders written before client ids kept two clients apart)."""
    rows = []
    for number in versions(client_folder):
        plan = read_plan(client_folder / f"v{number}")
        chosen = [c.platform.value for c in plan.channels if c.role != "not_recommended"]
        rows.append(VersionRow(
            version=number, parent=plan.changes.previous_version if plan.changes else None,
            client_id=plan.client_id or client_id(plan.brief.business.name),
            created=plan.created_at.strftime("%Y-%m-%d %H:%M"), goal=plan.brief.goals.primary.value,
            budget=f"{plan.budget.monthly_total:,.0f} {plan.budget.currency}", channels=", ".join(chosen),
            change=plan.changes.summary if plan.changes else "first plan",
        ))
    owner = rows[-1].client_id if rows else ""
    return [row.model_copy(update={"other_client": row.client_id != owner}) for row in rows]
