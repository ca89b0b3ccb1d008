"""plan: run the engines on the brief, the benchmark tables and the user's own analytics exports.

The exports named in `RunContext.analytics` are read here (the engines never touch files); an
unreadable one raises `AnalyticsError` ('<file>: <what>'), which the CLI reports with exit code 2.
Meta's zone-less `Publish time` is read in `RunContext.analytics_zone` when the context has one,
else in America/Los_Angeles (stated in the plan with a post to check).
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.analytics import OwnData, load_exports
from agent.graph.state import PlanState, RunContext, context_of
from agent.knowledge.bundle import load_bundle
from agent.knowledge.entries import Entry
from agent.knowledge.similarity import category_similarities
from agent.model.brief import Brief, Category
from agent.planning.assemble import plan_core
from agent.planning.category import brief_text
from agent.planning.tables import Tables


def own_data(brief: Brief, context: RunContext) -> OwnData | None:
    """The run's analytics exports, parsed (None when there are none)."""
    if not context.analytics:
        return None
    zone = getattr(context, "analytics_zone", None)
    return load_exports(context.analytics, brief.audience.timezone, export_zone=zone)


def plan(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Compute channels, schedule, budget, KPIs and calendar."""
    bundle = load_bundle(context_of(runtime).settings.knowledge_dir)
    own = own_data(state["brief"], context_of(runtime))
    core = plan_core(state["brief"], bundle.tables, context_of(runtime).today, own, context_of(runtime).now,
                     similarities(state["brief"], bundle.tables))
    recommended = {c.platform.value for c in core.channels if c.role != "not_recommended"}
    narrowed = {
        section: [i for i in ids if i in bundle.entries and _relevant(bundle.entries[i], recommended)]
        for section, ids in state.get("practice_ids", {}).items()
    }
    return {"core": core, "practice_ids": narrowed}


def similarities(brief: Brief, tables: Tables) -> dict[Category, float] | None:
    """Embedding similarity of the brief with each category, only when the brief does not give one."""
    if brief.business.category is not None:
        return None
    return category_similarities(brief_text(brief), tables.categories)


def _relevant(entry: Entry, recommended: set[str]) -> bool:
    """Entries about specific platforms only when one of them is recommended."""
    return any(entry.covers_platform(p) for p in recommended)
