"""Turn one typed answer into brief field values, by the question's kind.

`parse_answer` returns {path: value}; `check_fields` validates those values in the context of the
whole draft (missing required fields filled with placeholders) and returns the first error.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from agent.interview.bank import Question, set_path
from agent.interview.tz import resolve_timezone
from agent.model.brief import Brief
from agent.model.brief_io import describe_error, field_path
from agent.model.quantities import start_date_of
from agent.model.values import (
    AnswerError,
    choice_word,
    hours_per_week,
    money_per_month,
    months_of,
    parse_number,
    parse_platform,
    parse_range,
    split_list,
)

PLACEHOLDERS = {
    "business.name": "x", "business.description": "x", "business.industry": "x", "audience.description": "x",
    "audience.timezone": "UTC", "goals.primary": "awareness", "resources.monthly_budget": 0,
    "resources.team_hours_per_week": 1,
}


def _choice(question: Question, text: str) -> str:
    word = text.strip().lower().replace(" ", "_")
    if word.isdigit() and 1 <= int(word) <= len(question.choices):
        return question.choices[int(word) - 1]
    matches = [c for c in question.choices if c == word or c.startswith(word)]
    if len(matches) == 1 or word in matches:
        return word if word in matches else matches[0]
    common = choice_word(question.paths[0], text)
    if common in question.choices:
        return common
    raise AnswerError(f"choose one of: {', '.join(f'{i}) {c}' for i, c in enumerate(question.choices, 1))}")


def _presence(text: str) -> list[dict[str, Any]]:
    accounts = []
    for raw in split_list(text):
        part = re.sub(r"~|\b(?:about|around|approx(?:imately)?|roughly|c\.)\s*", " ", raw, flags=re.IGNORECASE)
        rate = re.search(r"(\d+(?:\.\d+)?)\s*(?:posts?\s*)?(?:a|per|/)\s*week\b", part, flags=re.IGNORECASE)
        if rate:
            part = part[: rate.start()] + part[rate.end() :]
        match = re.match(r"^\s*([A-Za-z ]+?)\s*[:=]?\s*([\d.,]+\s*[kKmM]?)?\s*(followers)?\s*$", part)
        if not match:
            raise AnswerError(f"could not read {part!r}: write e.g. 'linkedin 1200'")
        platform = parse_platform(match.group(1))
        followers = int(parse_number(match.group(2))) if match.group(2) else 0
        accounts.append({"platform": platform, "followers": followers,
                         **({"posts_per_week": float(rate.group(1))} if rate else {})})
    return accounts


def _value(question: Question, text: str) -> dict[str, Any]:
    path, kind = question.paths[0], question.kind
    if kind == "choice":
        return {path: _choice(question, text)}
    if kind == "multi":
        return {path: [_choice(question, w) for w in split_list(text)]}
    if kind == "list":
        return {path: split_list(text)}
    if kind == "range":
        low, high = parse_range(text)
        return {question.paths[0]: low, question.paths[1]: high}
    if kind == "money":
        amount, currency = money_per_month(text)
        return {question.paths[0]: amount, **({question.paths[1]: currency} if currency else {})}
    if path == "resources.team_hours_per_week":
        return {path: hours_per_week(text)}
    if path == "goals.horizon_months":
        return {path: months_of(text)}
    if kind in ("number", "int"):
        number = parse_number(text)
        return {path: int(number) if kind == "int" else number}
    if kind == "timezone":
        return {path: resolve_timezone(text)}
    if kind == "presence":
        return {path: _presence(text)}
    if kind == "date":
        return {path: start_date_of(text, dt.datetime.now(dt.UTC).date()).isoformat()}
    return {path: text.strip().upper() if path == "resources.currency" else text.strip()}


def parse_answer(question: Question, text: str) -> dict[str, Any]:
    """Field values for an answer; an empty answer takes the default, or leaves optional fields unset."""
    answer = text.strip() or question.default
    if not answer:
        if question.optional:
            return {}
        raise AnswerError("an answer is needed here (type help for an example)")
    return _value(question, answer)


def check_fields(draft: dict[str, Any], paths: list[str]) -> str:
    """The first validation error touching `paths` in the draft, or ''."""
    trial = copy.deepcopy(draft)
    for path, value in PLACEHOLDERS.items():
        node: Any = trial
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(last, value)
    try:
        Brief.model_validate(trial)
    except ValidationError as exc:
        for error in exc.errors():
            where = field_path(tuple(error["loc"]))
            if any(where == p or where.startswith((f"{p}.", f"{p}[")) for p in paths):
                single = ValidationError.from_exception_data(exc.title, [error])  # type: ignore[list-item]
                field, message = describe_error(single)
                return f"{field}: {message}"
    return ""


def apply_answer(draft: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A new draft with the values set."""
    new = copy.deepcopy(draft)
    for path, value in values.items():
        set_path(new, path, value)
    return new
