"""retrieve: the practices each document section draws on and cites, searched for this brief."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.graph.state import PlanState, RunContext, context_of
from agent.knowledge import search
from agent.knowledge.bundle import load_bundle
from agent.knowledge.retrieval import retrieve_practices
from agent.model.brief import Platform


def retrieve(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Hybrid search over the knowledge base (built on first use), all of the plan's queries at once.
    The knowledge base is the process's shared one: opened once, reused by every plan."""
    brief = state["brief"]
    settings = context_of(runtime).settings
    bundle = load_bundle(settings.knowledge_dir)
    platforms = [p.value for p in Platform if p not in brief.exclude_platforms]
    kb = search.shared(settings)
    kb.ensure_ready(settings.knowledge_dir)
    return {"practice_ids": retrieve_practices(kb, brief, platforms, set(bundle.entries))}
