"""write: the prose of each document section (offline text for now)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.compose import compose
from agent.knowledge.bundle import load_bundle
from agent.plan import Generation
from agent.render.versions import slugify
from agent.state import PlanState, RunContext
from agent.writing.offline import offline_sections


def write(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Sections written from the brief, the engines' reasons and the retrieved practices."""
    brief = state["brief"]
    bundle = load_bundle(runtime.context.settings.knowledge_dir)
    generation = Generation(mode="offline")
    draft = compose(
        brief, state["core"], bundle.entries, sections=[], generation=generation, version=1,
        now=runtime.context.now, client=runtime.context.client or slugify(brief.business.name),
    )
    practices = {
        section: [bundle.entries[i] for i in ids if i in bundle.entries]
        for section, ids in state.get("practice_ids", {}).items()
    }
    return {"sections": offline_sections(draft, practices), "generation": generation}
