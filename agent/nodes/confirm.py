"""confirm: show the brief; approve it (empty answer or yes) or change it in plain words, then loop.

With an LLM configured, a change is read by one structured call (agent.edits.llm.llm_edits), validated by
the Brief model; a fault or an invalid result falls back to the offline parser, with a warning kept in
`interview_warnings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.edits.llm import llm_edits
from agent.edits.paths import apply_edits
from agent.graph.state import PlanState, RunContext, context_of
from agent.interview.bank import Prompt, bank, set_path
from agent.interview.summary import brief_summary
from agent.knowledge.bundle import load_bundle
from agent.model.brief import Brief, Category
from agent.model.brief_io import BriefError, validate_brief
from agent.model.values import AnswerError, parse_yes_no
from agent.nodes.interview import InterviewState, go_back
from agent.nodes.plan import similarities
from agent.planning.category import category_row, detect_category
from agent.planning.market import market_rows
from agent.planning.rules import target_area

Goto = Command[Literal["confirm", "interview", "retrieve"]]

QUESTION = "Approve this brief? Press Enter to approve, or type a change (e.g. 'budget is 2500')."


def category_line(brief: Brief, knowledge_dir: Path) -> str:
    """The kind of business in plain words: as given, or as detected (with how to change it)."""
    tables = load_bundle(knowledge_dir).tables
    choice = detect_category(brief, tables, similarities(brief, tables))
    area = target_area(brief, category_row(tables, choice.value), market_rows(brief, tables))
    where = f"\nAds shown in: {area.text}" + ("; say 'area is within 5 miles of <town>' to set it" if area.assumed
                                                 else "")
    if choice.source == "given":
        return f"Kind of business: {choice.name}{where}"
    return (f"Kind of business: {choice.name}, as we read it ({choice.reason}); if that is wrong, say "
            f"'category is ...' (one of: {', '.join(c.value for c in Category)}){where}")


def _approved(answer: str) -> bool:
    if not answer.strip():
        return True
    try:
        return parse_yes_no(answer)
    except AnswerError:
        return False


def _reask(state: PlanState, exc: BriefError) -> Goto:
    """Send an invalid field back to its question; a field no question asks is a bad brief."""
    question = next((q for q in bank() if any(exc.field == p or exc.field.startswith((f"{p}.", f"{p}["))
                                              for p in q.paths)), None)
    if question is None:
        raise exc
    draft = dict(state.get("brief_draft", {}))
    for path in question.paths:
        set_path(draft, path, None)
    asked = [a for a in state.get("asked", []) if a != question.id]
    error = f"{exc.field}: {exc.message}"
    return Command(update={"brief_draft": draft, "asked": asked, "error": error}, goto="interview")


def confirm(state: InterviewState, runtime: Runtime[RunContext]) -> Goto:
    """Approve the brief, or apply a plain-words edit and show it again."""
    try:
        brief = validate_brief(state.get("brief_draft", {}), "brief")
    except BriefError as exc:
        return _reask(state, exc)
    summary = brief_summary(brief, category_line(brief, context_of(runtime).settings.knowledge_dir))
    prompt = Prompt(kind="confirm", id="confirm", text=QUESTION, summary=summary,
                    error=state.get("error", ""), help="Type 'yes' or press Enter to approve.")
    answer = str(interrupt(prompt.model_dump()))
    if _approved(answer):
        return Command(update={"brief": brief, "error": ""}, goto="retrieve")
    if answer.strip().lower() == "back":
        back = go_back(state)
        return Command(update=back.update, goto="interview")
    if answer.strip().lower() in {"n", "no"}:
        return Command(update={"error": "say what to change, e.g. 'goal is sales'"}, goto="confirm")
    warnings: list[str] = []
    try:
        edited = apply_edits(brief, llm_edits(answer, brief, context_of(runtime).settings, warnings))
    except (AnswerError, BriefError) as exc:
        return Command(update={"error": str(exc), **_warned(state, warnings)}, goto="confirm")
    draft = edited.model_dump(mode="json", exclude_none=True)
    return Command(update={"brief_draft": draft, "error": "", **_warned(state, warnings)}, goto="confirm")


def _warned(state: InterviewState, warnings: list[str]) -> dict[str, list[str]]:
    """The state update that keeps new warnings (none when there are none)."""
    return {"interview_warnings": [*state.get("interview_warnings", []), *warnings]} if warnings else {}
