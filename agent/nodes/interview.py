"""interview: ask the next due question (interrupt), read the answer, loop until the brief is complete.

One question per run of the node, so every answer is checkpointed. `back` forgets the previous
answer and asks it again; a wrong answer is explained and the same question asked again.

Offline, the question bank's parser reads the answer. With an LLM configured, each typed answer is read
by exactly one structured call (agent.interview.llm_interviewer) that may fill several fields and choose
the next question (`follow_up`); its values are validated like typed ones. An empty answer (the default)
and `back` make no call. Any LLM fault sends that answer to the offline parser and keeps a warning in
`interview_warnings`.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.graph.state import PlanState, RunContext, context_of
from agent.interview.bank import Question, bank, by_id, is_due, next_question, prompt_for, set_path, shown_answer
from agent.interview.llm_interviewer import read_answer
from agent.interview.parse import apply_answer, check_fields, parse_answer
from agent.llm.factory import LLM, get_llm
from agent.model.values import AnswerError

Goto = Command[Literal["interview", "confirm"]]


class InterviewState(PlanState, total=False):
    """The plan state plus what the LLM interviewer keeps between answers (the graph adds these channels)."""

    follow_up: dict[str, str]
    """The question to ask next: {'id': bank question id, 'text': its wording ('' = the bank's), 'reason'};
    {} means the bank's next due question."""
    interview_warnings: list[str]
    """Why an answer was read without the model (LLM faults), and extracted fields that were ignored."""
    back_defaults: dict[str, str]
    """Answers taken back with `back`, by question id: shown as the default when the question comes again."""


def pending(state: InterviewState) -> tuple[Question | None, str]:
    """The question to ask now and its wording ('' = the bank's): a due follow-up, else the bank's next."""
    draft, asked = state.get("brief_draft", {}), state.get("asked", [])
    chosen = state.get("follow_up") or {}
    question = next((q for q in bank() if q.id == chosen.get("id")), None)
    if question is not None and is_due(question, draft, asked):
        return question, chosen.get("text", "")
    return next_question(draft, asked), ""


def go_back(state: InterviewState) -> Goto:
    """`back`: forget the last answer and ask its question again (from the confirm step too)."""
    asked = list(state.get("asked", []))
    if not asked:
        return Command(update={"error": "this is the first question"}, goto="interview")
    previous = by_id(asked.pop())
    draft = dict(state.get("brief_draft", {}))
    earlier = shown_answer(previous, draft)
    for path in previous.paths:
        set_path(draft, path, None)
    defaults = {**state.get("back_defaults", {}), previous.id: earlier} if earlier else state.get("back_defaults", {})
    return Command(update={"brief_draft": draft, "asked": asked, "error": "", "follow_up": {},
                           "back_defaults": defaults}, goto="interview")


def _offline(state: InterviewState, question: Question, answer: str, warnings: list[str] | None = None) -> Goto:
    """The bank's parser reads the answer (the offline flow, and the fallback after an LLM fault)."""
    draft, asked = state.get("brief_draft", {}), state.get("asked", [])
    update: dict[str, Any] = {}
    if warnings:
        update["interview_warnings"] = [*state.get("interview_warnings", []), *warnings]
    try:
        values = parse_answer(question, answer)
    except AnswerError as exc:
        return Command(update={**update, "error": str(exc)}, goto="interview")
    new_draft = apply_answer(draft, values)
    problem = check_fields(new_draft, question.paths)
    if problem:
        return Command(update={**update, "error": problem}, goto="interview")
    update.update(brief_draft=new_draft, asked=[*asked, question.id], error="", follow_up={})
    return Command(update=update, goto="interview")


def _with_llm(state: InterviewState, llm: LLM, question: Question, shown: str, answer: str) -> Goto:
    """One structured call reads the answer; a fault leaves it to the offline parser, with a warning."""
    draft, asked = state.get("brief_draft", {}), state.get("asked", [])
    reading = read_answer(llm, question, shown, answer, draft, asked)
    if reading.turn is None:
        return _offline(state, question, answer, [f"interview '{question.id}': {reading.fault}; "
                                                  "the answer was read without the model"])
    turn = reading.turn
    update: dict[str, Any] = {"brief_draft": turn.draft, "asked": turn.asked, "error": turn.error,
                              "follow_up": turn.follow_up}
    ignored = [f"interview '{question.id}': ignored unknown field {p!r}" for p in turn.applied.ignored]
    if ignored:
        update["interview_warnings"] = [*state.get("interview_warnings", []), *ignored]
    return Command(update=update, goto="interview")


def interview(state: InterviewState, runtime: Runtime[RunContext]) -> Goto:
    """Ask one question and record its answer."""
    draft, asked = state.get("brief_draft", {}), state.get("asked", [])
    question, wording = pending(state)
    if question is None:
        return Command(update={"error": "", "follow_up": {}}, goto="confirm")
    prompt = prompt_for(question, draft, asked, state.get("error", ""))
    earlier = state.get("back_defaults", {}).get(question.id, "")
    if wording or earlier:  # after `back`, the earlier answer is the default
        prompt = prompt.model_copy(update={"text": wording or prompt.text, "default": earlier or prompt.default})
    answer = str(interrupt(prompt.model_dump()))
    kept = not answer.strip() and bool(earlier)
    if kept:  # the earlier answer, already read once: no model call
        answer = earlier
    if answer.strip().lower() == "back":
        return go_back(state)
    llm = get_llm(context_of(runtime).settings) if answer.strip() and not kept else None
    if llm is None:
        return _offline(state, question, answer)
    return _with_llm(state, llm, question, prompt.text, answer)
