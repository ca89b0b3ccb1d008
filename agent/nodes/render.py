"""render: write the version folder (strategy.md/.html/.docx/.pdf, plan.json, calendars, charts) atomically."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.graph.state import PlanState, RunContext, context_of
from agent.knowledge.bundle import load_bundle
from agent.llm.check_ideas import with_ideas
from agent.model.plan import Generation
from agent.model.plan_io import read_plan
from agent.render.files import render_files
from agent.render.versions import client_id, client_slug, write_version
from agent.replan.diff import diff_plans
from agent.replan.report import render_changes
from agent.writing.compose import compose


def render(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Build the Strategy for the next free version number and write its files."""
    brief = state["brief"]
    context = context_of(runtime)
    bundle = load_bundle(context.settings.knowledge_dir)
    identity = context.client_id or client_id(brief.business.name)
    slug = context.client or client_slug(context.out_dir, brief.business.name, identity)

    def make(version: int) -> dict[str, bytes]:
        strategy = compose(
            brief, state["core"], bundle.entries, sections=state.get("sections", []),
            generation=state.get("generation", Generation()), version=version, now=context.now, client=slug,
        ).model_copy(update={"client_id": identity})
        if strategy.generation.mode == "llm" and state.get("ideas"):  # month one's checked LLM post ideas
            strategy = strategy.model_copy(update={"calendar": with_ideas(strategy.calendar, state["ideas"])})
        documents = context.settings.document_kinds
        if context.previous is None:
            return render_files(strategy, context.brand, documents)
        strategy = strategy.model_copy(update={"changes": diff_plans(read_plan(context.previous), strategy)})
        files = render_files(strategy, context.brand, documents)
        return {**files, "changes.md": render_changes(strategy).encode("utf-8")}

    path = write_version(context.out_dir, slug, {}, make=make)
    return {"output_path": str(path)}
