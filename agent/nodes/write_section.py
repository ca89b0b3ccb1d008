"""write_section: one section's prose from the LLM, checked against the plan (runs once per section, in parallel).

`fan_out` sends one task per document section when an LLM is configured, plus one post-ideas task
(agent.nodes.write_ideas), so all these calls share one round trip. Each section call gets the section, the
brief as data, the section's figures, its practice notes and the offline text as a reference; the reply is
checked (known citations, no figure the plan lacks). Any fault leaves the offline text in place and reports
the section as degraded.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from langgraph.types import Send

from agent.graph.state import PlanState, RunContext, SectionReport, SectionTask, context_of
from agent.llm.check import check_section
from agent.llm.factory import get_llm
from agent.llm.prompts import section_messages
from agent.llm.schemas import SectionDraft
from agent.nodes.write import citable


def fan_out(state: PlanState, runtime: Runtime[RunContext]) -> list[Send] | str:
    """One `write_section` task per section and one `write_ideas` task (month one's post ideas) when an LLM
    is configured, all in one parallel round; else straight to `render`."""
    if not context_of(runtime).settings.llm_enabled or "draft" not in state:
        return "render"
    draft, notes = state["draft"], state.get("section_practices", {})
    sections = [
        Send("write_section", SectionTask(section_id=s.id, draft=draft, allowed=state["allowed"],
                                          practices=list(notes.get(s.id, []))))
        for s in draft.sections
    ]  # fmt: skip
    ideas = SectionTask(section_id="post_ideas", draft=draft, allowed=state["allowed"], practices=[])
    return [*sections, Send("write_ideas", ideas)]


def write_section(task: SectionTask, runtime: Runtime[RunContext]) -> dict[str, object]:
    """The section written by the LLM and checked, or the offline text with a warning."""
    from agent.llm.structured import call_structured  # loads openai: only when an LLM runs

    draft, section_id = task["draft"], task["section_id"]
    offline = next(s for s in draft.sections if s.id == section_id)
    llm = get_llm(context_of(runtime).settings)
    if llm is None:
        return {"reports": [SectionReport(section_id=section_id, source="offline")]}
    outcome = call_structured(llm, section_messages(offline, draft, task["practices"]), SectionDraft)
    usage = outcome.usage.model_dump()
    if outcome.value is None:
        warning = f"section '{section_id}': {outcome.fault}; offline text used"
        return {"reports": [SectionReport(section_id=section_id, source="offline", degraded=True,
                                          warnings=[warning], **usage)]}
    checked = check_section(outcome.value, offline, task["allowed"], citable(draft, offline, task["practices"]))
    report = SectionReport(section_id=section_id, source="offline" if checked.fell_back else "llm",
                           degraded=checked.fell_back, warnings=checked.warnings, **usage)
    return {"sections": [checked.section], "reports": [report]}
