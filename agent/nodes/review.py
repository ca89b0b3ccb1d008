"""review: one LLM call that checks every LLM-written section against the key figures, then the tally.

Sections the reviewer flags lose the quoted sentences, or get their offline text back; never a second
call per section. The node also sums the calls, tokens and warnings of every report into `generation`:
the sections' and the post-ideas step's (id "post_ideas": not a section, so never reviewed). When no
section came from the LLM (the endpoint is down, say) there is nothing to review and no call is made.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.graph.state import PlanState, RunContext, SectionReport, context_of
from agent.llm.check import apply_review
from agent.llm.factory import get_llm
from agent.llm.prompts import review_messages
from agent.llm.schemas import ReviewIssue, ReviewVerdict
from agent.llm.usage import Usage
from agent.model.plan import Generation, Section


def latest_reports(state: PlanState) -> list[SectionReport]:
    """The last report of each section (a thread that ran twice keeps only its latest run)."""
    return list({r.section_id: r for r in state.get("reports", [])}.values())


def review(state: PlanState, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Review the LLM sections once, apply the verdict, and record how the words were produced."""
    settings = context_of(runtime).settings
    reports = latest_reports(state)
    usage = sum((Usage(calls=r.calls, prompt_tokens=r.prompt_tokens, completion_tokens=r.completion_tokens)
                 for r in reports), Usage())
    warnings = [w for r in reports for w in r.warnings]
    degraded = any(r.degraded for r in reports)
    written = [s for s in state.get("sections", []) if s.id in {r.section_id for r in reports if r.source == "llm"}]
    llm = get_llm(settings)
    updates: list[Section] = []
    if llm is not None and written:
        from agent.llm.structured import call_structured  # loads openai: only when an LLM runs

        outcome = call_structured(llm, review_messages(state["draft"], written), ReviewVerdict)
        usage += outcome.usage
        if outcome.value is None:
            warnings.append(f"review: {outcome.fault}; sections were checked by code only")
            degraded = True
        else:
            updates, found, fell_back = _apply(written, outcome.value.issues, state["draft"].sections)
            warnings += found
            degraded = degraded or fell_back
    generation = Generation(
        mode="llm", model=settings.model, llm_calls=usage.calls, prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens, degraded=degraded, warnings=warnings,
    )
    return {"sections": updates, "generation": generation}


def _apply(written: list[Section], issues: list[ReviewIssue], offline: list[Section]) -> tuple[
    list[Section], list[str], bool
]:
    """The flagged sections fixed, the warnings, and whether any went back to offline text."""
    by_offline = {s.id: s for s in offline}
    updates, warnings, fell_back = [], [], False
    for section in written:
        mine = [i for i in issues if i.section_id == section.id]
        if not mine:
            continue
        checked = apply_review(section, mine, by_offline[section.id])
        updates.append(checked.section)
        warnings += checked.warnings
        fell_back = fell_back or checked.fell_back
    return updates, warnings, fell_back
