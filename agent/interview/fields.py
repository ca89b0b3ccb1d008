"""What each brief field is, as the question bank and the Brief schema describe it to a model.

Shared by the LLM interviewer and LLM edits: the question that asks a path, the offline parser that
reads its value, and the allowed values and limits taken from the Brief JSON Schema.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from agent.interview.bank import Question, bank
from agent.model.brief import Brief
from agent.model.values import AnswerError

VALUE_FORMS = {
    "text": "plain text", "choice": "one of the allowed words", "multi": "allowed words, comma-separated",
    "list": "items, comma-separated", "range": "a whole number", "money": "a number (per month)",
    "number": "a number", "int": "a whole number", "timezone": "an IANA time zone or a city",
    "presence": "'platform followers' pairs, comma-separated, e.g. 'linkedin 1200, instagram 850'",
    "date": "a date as YYYY-MM-DD",
}  # fmt: skip
LIMIT_KEYS = ("minimum", "maximum", "exclusiveMinimum", "maxLength", "pattern")


@cache
def known_paths() -> tuple[str, ...]:
    """Every brief path a question of the bank fills, in asking order."""
    return tuple(dict.fromkeys(p for q in bank() for p in q.paths))


def question_for(path: str) -> Question | None:
    """The question that asks exactly this path, else the first one that fills it (None: not a bank path)."""
    exact = next((q for q in bank() if q.paths == [path]), None)
    return exact or next((q for q in bank() if path in q.paths), None)


def parser_for(path: str) -> Question:
    """The question whose offline parser reads a value of `path` (a range reads one number per path)."""
    question = question_for(path)
    if question is None:
        raise AnswerError(f"{path!r} is not a brief field")
    if question.kind == "range":
        return question.model_copy(update={"paths": [path], "kind": "int", "default": ""})
    return question


@cache
def _brief_schema() -> dict[str, Any]:
    return Brief.model_json_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its $ref, nullable anyOf and list items resolved."""
    defs = _brief_schema()["$defs"]
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in node.items() if k != "$ref"}}
    if "anyOf" in node:
        first: dict[str, Any] = next((o for o in node["anyOf"] if o.get("type") != "null"), {})
        node = {**{k: v for k, v in node.items() if k != "anyOf"}, **_resolve(first)}
    if isinstance(node.get("items"), dict):
        node = {**node, "items": _resolve(node["items"])}
    return node


def _leaf(path: str) -> dict[str, Any]:
    node: dict[str, Any] = _brief_schema()
    for part in path.split("."):
        node = _resolve(node.get("properties", {}).get(part, {}))
    return node


def field_info(path: str) -> dict[str, Any]:
    """What the model is told about one field: its question, the value form, allowed values and limits."""
    question, leaf = parser_for(path), _leaf(path)
    items = leaf.get("items", {})
    info: dict[str, Any] = {"path": path, "question": question.text, "description": leaf.get("description", ""),
                            "value_form": VALUE_FORMS[question.kind]}
    allowed = question.choices or leaf.get("enum") or items.get("enum")
    if question.kind == "presence":
        allowed = _leaf("exclude_platforms")["items"]["enum"]
    if allowed:
        info["allowed"] = list(allowed)
    limits = {k: leaf[k] for k in LIMIT_KEYS if k in leaf}
    if limits:
        info["limits"] = limits
    if question.optional:
        info["optional"] = True
    if question.default:
        info["default"] = question.default
    return info
