"""retrieve: the practices each document section draws on and cites, searched for this brief."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.graph.state import PlanState, RunContext, context_of
from agent.knowledge.bundle import load_bundle
from agent.knowledge.retrieval import retrieve_practices
from agent.knowledge.search import KnowledgeBase
from agent.model.brief import Platform


def retrieve(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Hybrid search over the knowledge base (built on first use), per section and platform."""
    brief = state["brief"]
    settings = context_of(runtime).settings
    bundle = load_bundle(settings.knowledge_dir)
    platforms = [p.value for p in Platform if p not in brief.exclude_platforms]
    kb = KnowledgeBase(settings)
    try:
        kb.ensure_ready(settings.knowledge_dir)
        chosen = retrieve_practices(kb, brief, platforms, set(bundle.entries))
    finally:
        kb.close()
    return {"practice_ids": chosen}
