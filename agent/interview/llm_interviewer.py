"""The LLM interviewer: one structured call per answer fills every field the answer gives and picks the next question.

The model is given the draft brief, the question that was shown, the answer (in a tagged block marked as
data, not instructions) and the fields still missing with their allowed values (from the question bank and
the Brief JSON Schema). It replies with an `Extraction`: field values as plain words, and the next question.

Nothing the model says is trusted: each value goes through the offline parser of the question that asks
that field (`parse_answer`), then the Brief model (`check_fields`), exactly like a typed answer. Invalid
values stay out of the draft and their question is asked again with the error; unknown paths are ignored.
The model's next question is shown only when the field it targets is still missing, else the bank's.
A fault (`Reading.turn is None`) leaves the answer to the offline parser: the caller decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.interview.bank import Question, bank, get_path, is_due
from agent.interview.fields import field_info, known_paths, parser_for, question_for
from agent.interview.parse import apply_answer, check_fields, parse_answer
from agent.llm.factory import LLM
from agent.llm.usage import Usage
from agent.model.values import AnswerError
from agent.render.templating import render

Message = dict[str, Any]
MAX_QUESTION = 300
"""Longest next question shown (characters); a longer one is cut."""


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldValue(_Reply):
    """One brief field the answer gives."""

    path: str = Field(description="A brief field path from <missing_fields> or <known_paths>, e.g. audience.age_min.")
    value: str = Field(
        description="The value as the client gave it, in the form <missing_fields> says (a number, an allowed word, "
        "a comma-separated list...). Copy numbers exactly, even out of range: the tool validates them."
    )


class Extraction(_Reply):
    """What one answer says, and what to ask next."""

    fields: list[FieldValue] = Field(description="Every field the answer gives (often several); empty if none.")
    next_path: str = Field(description="The missing field the next question is about; empty when nothing is missing.")
    next_question: str = Field(description="One short question for next_path, in the client's language and tone.")
    follow_up_reason: str = Field(description="Why this question is the most useful next one, in one sentence.")


@dataclass
class Applied:
    """Extracted fields after validation: the new draft, what was taken, what was rejected (path -> error)."""

    draft: dict[str, Any]
    accepted: dict[str, Any] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


@dataclass
class Turn:
    """The state after one answer read by the model."""

    draft: dict[str, Any]
    asked: list[str]
    error: str
    follow_up: dict[str, str]
    applied: Applied
    extraction: Extraction


@dataclass
class Reading:
    """One model call over an answer: a turn, or the fault (in plain words) that calls for the offline parser."""

    turn: Turn | None
    usage: Usage
    fault: str = ""


def missing_fields(draft: dict[str, Any], asked: list[str]) -> list[dict[str, Any]]:
    """The fields still to ask for, in asking order (required and optional), with their allowed values."""
    paths = [p for q in bank() if is_due(q, draft, asked) for p in q.paths if get_path(draft, p) is None]
    return [field_info(p) for p in dict.fromkeys(paths)]


def interview_messages(question: Question, shown: str, answer: str, draft: dict[str, Any],
                       asked: list[str]) -> list[Message]:
    """The system and user messages of the call over one answer."""
    user = render("interview.j2", draft=draft, question={"id": question.id, "paths": question.paths, "text": shown},
                  answer=answer, missing=missing_fields(draft, asked), paths=list(known_paths()))
    return [{"role": "system", "content": render("interview_system.j2")}, {"role": "user", "content": user}]


def _plain(raw: str) -> str:
    """A value as the offline parsers read it: a JSON list the model may send becomes comma-separated words."""
    text = raw.strip()
    if not text.startswith("["):
        return text
    try:
        items = json.loads(text)
    except ValueError:
        return text
    if not isinstance(items, list):
        return text
    words = [" ".join(str(v) for v in i.values()) if isinstance(i, dict) else str(i) for i in items]
    return ", ".join(words) if words else "none"


def coerce(path: str, raw: str) -> Any:
    """The value of `path` read from the model's words by the offline parser; AnswerError when unreadable."""
    text = _plain(raw)
    if not text:
        raise AnswerError("no value given")
    values = parse_answer(parser_for(path), text)
    if path not in values:
        raise AnswerError(f"could not read {raw!r}")
    return values[path]


def apply_fields(draft: dict[str, Any], fields: list[FieldValue]) -> Applied:
    """Each extracted field parsed and validated like a typed answer; only valid values reach the draft."""
    result = Applied(draft=draft)
    for item in fields:
        path = item.path.strip()
        owner = question_for(path)
        if owner is None:
            result.ignored.append(path)
            continue
        try:
            value = coerce(path, item.value)
        except AnswerError as exc:
            result.rejected[path] = f"{path}: {exc}"
            continue
        trial = apply_answer(result.draft, {path: value})
        problem = check_fields(trial, owner.paths)
        if problem:
            result.rejected[path] = problem
            continue
        result.draft, result.accepted[path] = trial, value
    return result


def follow_up(extraction: Extraction, applied: Applied, asked: list[str]) -> dict[str, str]:
    """The question to ask next: a rejected field's own question (bank wording, to show the error with), the
    model's question when the field it targets is still missing, or {} for the bank's next due question."""
    for path in applied.rejected:
        rejected = question_for(path)
        if rejected is not None and is_due(rejected, applied.draft, asked):
            return {"id": rejected.id, "text": "", "reason": f"{path} was not valid"}
    path = extraction.next_path.strip()
    target = question_for(path)
    text = " ".join(extraction.next_question.split())[:MAX_QUESTION]
    if target is None or not text or get_path(applied.draft, path) is not None or not is_due(target, applied.draft,
                                                                                               asked):
        return {}
    return {"id": target.id, "text": text, "reason": " ".join(extraction.follow_up_reason.split())[:MAX_QUESTION]}


def settle(question: Question, extraction: Extraction, draft: dict[str, Any], asked: list[str]) -> Turn:
    """The state after an answer: valid fields applied, the question marked answered when it was, the next one."""
    applied = apply_fields(draft, extraction.fields)
    own_rejected = any(p in applied.rejected for p in question.paths)
    answered = not own_rejected and (question.optional or any(p in applied.accepted for p in question.paths)
                                     or not is_due(question, applied.draft, asked))
    new_asked = [*asked, question.id] if answered else list(asked)
    error = "; ".join(applied.rejected.values())
    return Turn(draft=applied.draft, asked=new_asked, error=error,
                follow_up=follow_up(extraction, applied, new_asked), applied=applied, extraction=extraction)


def read_answer(llm: LLM, question: Question, shown: str, answer: str, draft: dict[str, Any],
                asked: list[str]) -> Reading:
    """One structured call over one answer; never raises for an LLM problem (the fault is in the reading)."""
    from agent.llm.structured import call_structured  # loads openai: only when an LLM runs

    outcome = call_structured(llm, interview_messages(question, shown, answer, draft, asked), Extraction)
    if outcome.value is None:
        return Reading(turn=None, usage=outcome.usage, fault=str(outcome.fault or "no reply"))
    return Reading(turn=settle(question, outcome.value, draft, asked), usage=outcome.usage)
