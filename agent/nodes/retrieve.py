"""retrieve: choose the practices each document section will draw on and cite."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.brief import Platform
from agent.knowledge.bundle import load_bundle
from agent.knowledge.sections import SECTION_PRACTICES, fallback_ids
from agent.state import PlanState, RunContext


def retrieve(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Map each section to the ids of existing entries that serve it for this brief."""
    brief = state["brief"]
    bundle = load_bundle(runtime.context.settings.knowledge_dir)
    platforms = [p.value for p in Platform if p not in brief.exclude_platforms]
    chosen: dict[str, list[str]] = {}
    for section in SECTION_PRACTICES:
        ids = [i for i in fallback_ids(section, platforms) if i in bundle.entries]
        chosen[section] = ids
    return {"practice_ids": chosen}
