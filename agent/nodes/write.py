"""write: the offline prose of every section, always (it is the fallback and the LLM's reference).

When an LLM will run, it also prepares what the parallel section calls share, so each starts its request
at once: the draft plan, the numbers prose may state, each section's practice notes, and the client.
The graph then fans out one `write_section` per section (LLM) or goes straight to rendering (offline).
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.graph.state import PlanState, RunContext, context_of
from agent.knowledge.bundle import load_bundle
from agent.knowledge.entries import Entry
from agent.llm.factory import get_llm
from agent.llm.numbers import allowed_numbers
from agent.llm.prompts import PracticeNote, practice_note
from agent.model.plan import Generation, Section, Strategy
from agent.render.versions import slugify
from agent.writing.compose import compose
from agent.writing.offline import offline_sections

MAX_PRACTICES = 6
"""Practice notes per section call: the retrieved entries first, then those the offline text cites."""


def write(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Sections written from the brief, the engines' reasons and the retrieved practices, without an LLM."""
    brief = state["brief"]
    settings = context_of(runtime).settings
    bundle = load_bundle(settings.knowledge_dir)
    generation = Generation(mode="offline")
    draft = compose(
        brief, state["core"], bundle.entries, sections=[], generation=generation, version=1,
        now=context_of(runtime).now, client=context_of(runtime).client or slugify(brief.business.name),
    )
    practices = {
        section: [bundle.entries[i] for i in ids if i in bundle.entries]
        for section, ids in state.get("practice_ids", {}).items()
    }
    sections = offline_sections(draft, practices)
    update: dict[str, object] = {"sections": sections, "generation": generation}
    if get_llm(settings) is not None:  # builds the one client now, not in eleven threads at once
        draft = draft.model_copy(update={"sections": sections})
        plan = draft.model_dump(mode="json", exclude={"sections", "generation"})
        update |= {
            "draft": draft, "allowed": allowed_numbers(plan, [s.text for s in sections]),
            "section_practices": {s.id: notes(s, state.get("practice_ids", {}), bundle.entries) for s in sections},
        }  # fmt: skip
    return update


def notes(section: Section, practice_ids: dict[str, list[str]], entries: dict[str, Entry]) -> list[PracticeNote]:
    """The practice notes one section call is given."""
    wanted = list(dict.fromkeys([*practice_ids.get(section.id, []), *section.citations]))
    return [practice_note(entries[i]) for i in wanted if i in entries][:MAX_PRACTICES]


def citable(draft: Strategy, section: Section, given: list[PracticeNote]) -> set[str]:
    """Ids a section may cite: the notes it was given, what its offline text cites, the plan's practices."""
    return {p["id"] for p in given} | set(section.citations) | {p.id for p in draft.practices}
