"""plan: run the engines on the brief and the benchmark tables."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.knowledge.bundle import load_bundle
from agent.planning.assemble import plan_core
from agent.state import PlanState, RunContext


def plan(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Compute channels, schedule, budget, KPIs and calendar."""
    bundle = load_bundle(runtime.context.settings.knowledge_dir)
    core = plan_core(state["brief"], bundle.tables, runtime.context.today)
    recommended = {c.platform.value for c in core.channels if c.role != "not_recommended"}
    narrowed = {
        section: [i for i in ids if _relevant(i, recommended)]
        for section, ids in state.get("practice_ids", {}).items()
    }
    return {"core": core, "practice_ids": narrowed}


def _relevant(entry_id: str, recommended: set[str]) -> bool:
    """Platform-specific fallback entries only for recommended platforms."""
    for prefix in ("profile-optimisation-", "platform-guide-"):
        if entry_id.startswith(prefix):
            return entry_id.removeprefix(prefix) in recommended
    return True
