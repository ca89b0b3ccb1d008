"""plan: run the engines on the brief and the benchmark tables."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.knowledge.bundle import load_bundle
from agent.knowledge.entries import Entry
from agent.planning.assemble import plan_core
from agent.state import PlanState, RunContext


def plan(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Compute channels, schedule, budget, KPIs and calendar."""
    bundle = load_bundle(runtime.context.settings.knowledge_dir)
    core = plan_core(state["brief"], bundle.tables, runtime.context.today)
    recommended = {c.platform.value for c in core.channels if c.role != "not_recommended"}
    narrowed = {
        section: [i for i in ids if i in bundle.entries and _relevant(bundle.entries[i], recommended)]
        for section, ids in state.get("practice_ids", {}).items()
    }
    return {"core": core, "practice_ids": narrowed}


def _relevant(entry: Entry, recommended: set[str]) -> bool:
    """Entries about specific platforms only when one of them is recommended."""
    return any(entry.covers_platform(p) for p in recommended)
