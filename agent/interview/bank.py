"""The question bank: which question comes next for a draft brief, and what a question looks like.

A draft is the brief as nested plain data (JSON-safe, so it checkpoints as is). A question is due
when one of its paths is unset and it has not been answered yet (optional questions are asked once).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.model.yaml_text import safe_load

QUESTIONS = Path(__file__).with_name("questions.yaml")
Kind = Literal["text", "choice", "multi", "list", "range", "money", "number", "int", "timezone", "presence", "date"]


class Question(BaseModel):
    """One question of the bank."""

    id: str
    paths: list[str]
    kind: Kind
    text: str
    help: str
    choices: list[str] = Field(default_factory=list)
    default: str = ""
    optional: bool = False
    when_missing: str = Field("", description="Ask only while this path is unset.")


class Prompt(BaseModel):
    """What the interview shows for one question (the interrupt payload)."""

    kind: Literal["question", "confirm"] = "question"
    id: str
    text: str
    help: str = ""
    choices: list[str] = Field(default_factory=list)
    default: str = ""
    number: int = 0
    total: int = 0
    error: str = ""
    summary: str = ""
    input: str = Field(default="", description="The question kind (text, choice...): how a page lays it out.")


@cache
def bank() -> tuple[Question, ...]:
    """The questions, in asking order."""
    data = safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return tuple(Question.model_validate(item) for item in data)


def get_path(draft: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None."""
    node: Any = draft
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(draft: dict[str, Any], path: str, value: Any) -> None:
    """Set (or with None, remove) the value at a dotted path."""
    *parents, last = path.split(".")
    node = draft
    for part in parents:
        node = node.setdefault(part, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def is_due(question: Question, draft: dict[str, Any], asked: list[str]) -> bool:
    """True when the question still needs an answer."""
    if question.id in asked:
        return False
    if question.when_missing:
        return get_path(draft, question.when_missing) is None
    return any(get_path(draft, p) is None for p in question.paths)


def next_question(draft: dict[str, Any], asked: list[str]) -> Question | None:
    """The first due question, or None when the draft is complete."""
    return next((q for q in bank() if is_due(q, draft, asked)), None)


def prompt_for(question: Question, draft: dict[str, Any], asked: list[str], error: str = "") -> Prompt:
    """The payload shown for a question, with progress ('question 4 of ~12')."""
    due = sum(1 for q in bank() if is_due(q, draft, asked))
    number = len(asked) + 1
    default = question.default or (get_path(draft, question.paths[0]) or "")
    return Prompt(id=question.id, text=question.text, help=question.help, choices=question.choices,
                  default=str(default), number=number, total=len(asked) + due, error=error, input=question.kind)


def shown_answer(question: Question, draft: dict[str, Any]) -> str:
    """A question's current answer written back as an answer would be typed ('' when unanswered)."""
    values = [get_path(draft, path) for path in question.paths]
    first = values[0]
    if first is None or first == []:
        return ""
    if question.kind == "range" and len(values) == 2:
        return f"{values[0]}-{values[1]}"
    if question.kind == "money":
        return f"{first:g} {values[1] or ''}".strip() if len(values) == 2 else f"{first:g}"
    if isinstance(first, list):
        return ", ".join(_account(v) if isinstance(v, dict) else str(v) for v in first)
    return str(first)


def _account(value: dict[str, Any]) -> str:
    rate = value.get("posts_per_week")
    return f"{value['platform']} {value.get('followers', 0)}" + (f" {rate:g} a week" if rate else "")


def by_id(question_id: str) -> Question:
    """A question by its id."""
    return next(q for q in bank() if q.id == question_id)
