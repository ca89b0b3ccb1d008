"""interview: ask the next due question (interrupt), parse the answer, loop until the brief is complete.

One question per run of the node, so every answer is checkpointed. `back` forgets the previous
answer and asks it again; a wrong answer is explained and the same question asked again.
"""

from __future__ import annotations

from typing import Literal

from langgraph.types import Command, interrupt

from agent.answers import AnswerError
from agent.interview.bank import by_id, next_question, prompt_for, set_path
from agent.interview.parse import apply_answer, check_fields, parse_answer
from agent.state import PlanState


def _back(state: PlanState) -> Command[Literal["interview", "confirm"]]:
    asked = list(state.get("asked", []))
    if not asked:
        return Command(update={"error": "this is the first question"}, goto="interview")
    previous = by_id(asked.pop())
    draft = dict(state.get("brief_draft", {}))
    for path in previous.paths:
        set_path(draft, path, None)
    return Command(update={"brief_draft": draft, "asked": asked, "error": ""}, goto="interview")


def interview(state: PlanState) -> Command[Literal["interview", "confirm"]]:
    """Ask one question and record its answer."""
    draft, asked = state.get("brief_draft", {}), state.get("asked", [])
    question = next_question(draft, asked)
    if question is None:
        return Command(update={"error": ""}, goto="confirm")
    answer = str(interrupt(prompt_for(question, draft, asked, state.get("error", "")).model_dump()))
    if answer.strip().lower() == "back":
        return _back(state)
    try:
        values = parse_answer(question, answer)
    except AnswerError as exc:
        return Command(update={"error": str(exc)}, goto="interview")
    new_draft = apply_answer(draft, values)
    problem = check_fields(new_draft, question.paths)
    if problem:
        return Command(update={"error": problem}, goto="interview")
    return Command(update={"brief_draft": new_draft, "asked": [*asked, question.id], "error": ""}, goto="interview")
