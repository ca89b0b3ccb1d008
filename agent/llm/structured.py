"""Structured calls: a pydantic model back from any OpenAI-compatible endpoint, or a fault in plain words.

`call_structured(llm, messages, Output)` asks with a strict `json_schema` response format through
`chat.completions.parse`. When the server rejects that format it falls back to JSON mode with the schema in
the prompt, then to the schema in the prompt alone (remembered per endpoint). A reply that fails validation
is retried once with the validation errors; a second failure, a cut-off (`length`), a refusal, or a
transport fault after the client's own retries (429, 5xx, timeouts, connection errors) ends the call with
an `LLMFault`. It never raises for an LLM problem: callers fall back to offline text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from agent.llm.factory import LLM, llm_slot
from agent.llm.faults import InvalidReply, LLMFault, Refused, Truncated, fault_from
from agent.llm.usage import Usage
from agent.render.templating import render

T = TypeVar("T", bound=BaseModel)
Message = dict[str, Any]
FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "format", "grammar", "guided")
"""A 400/422 mentioning one of these means the server does not take that response format."""
FENCED = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


@dataclass
class Outcome(Generic[T]):
    """The result of one structured call: a value or a fault, the usage, and the format that worked."""

    value: T | None
    usage: Usage
    fault: LLMFault | None = None
    format: str | None = None


class _BadReply(Exception):
    """A reply that did not validate, with its content (for the one retry)."""

    def __init__(self, content: str, error: ValidationError | InvalidReply) -> None:
        super().__init__(str(error))
        self.content, self.error = content, error


def call_structured(llm: LLM, messages: list[Message], output: type[T]) -> Outcome[T]:
    """Ask for an `output` instance; never raises for LLM or transport problems."""
    usage = Usage()
    tier = llm.formats.current()
    if llm.client is None:
        return Outcome(value=None, usage=usage, fault=LLMFault(kind="config", detail=llm.error or "no client"))
    try:
        try:
            value, tier = _request(llm, messages, output, tier, usage)
        except _BadReply as bad:
            retry = [*messages, {"role": "assistant", "content": bad.content[:4000]},
                     {"role": "user", "content": render("retry.j2", errors=_errors(bad.error))}]
            try:
                value, tier = _request(llm, retry, output, tier, usage)
            except _BadReply as again:
                raise again.error from None
    except Exception as exc:  # noqa: BLE001 - every fault degrades to offline text, by design
        return Outcome(value=None, usage=usage, fault=fault_from(exc, llm.secrets), format=tier)
    return Outcome(value=value, usage=usage, format=tier)


def _request(llm: LLM, messages: list[Message], output: type[T], tier: str, usage: Usage) -> tuple[T, str]:
    """One reply in the best format the server takes (stepping down on a format rejection)."""
    while True:
        try:
            return _send(llm, messages, output, tier, usage), tier
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            lower = llm.formats.downgrade(tier) if _format_rejected(exc) else None
            if lower is None:
                raise
            tier = lower


def _format_rejected(exc: openai.APIStatusError) -> bool:
    text = f"{exc.message} {json.dumps(exc.body, default=str)}".lower()
    return any(word in text for word in FORMAT_WORDS)


def _send(llm: LLM, messages: list[Message], output: type[T], tier: str, usage: Usage) -> T:
    """One HTTP request; returns the validated value or raises (_BadReply, Truncated, Refused, API errors)."""
    assert llm.client is not None  # checked by call_structured
    completions = llm.client.chat.completions.with_raw_response
    raw: Any
    with llm_slot():
        usage.calls += 1
        if tier == "json_schema":
            raw = completions.parse(model=llm.model, messages=messages, response_format=output)  # type: ignore[arg-type]
        else:
            extra: dict[str, Any] = {"response_format": {"type": "json_object"}} if tier == "json_object" else {}
            raw = completions.create(model=llm.model, messages=_with_schema(messages, output), **extra)  # type: ignore[arg-type]
    body = _body(raw)
    usage.record(body)
    content = _content(body)
    try:
        completion = raw.parse()
    except openai.LengthFinishReasonError:
        raise Truncated("length") from None
    except openai.ContentFilterFinishReasonError:
        raise Refused("content filter") from None
    except ValidationError as exc:
        raise _BadReply(content, exc) from None
    return _read(completion, output, tier, content)


def _read(completion: Any, output: type[T], tier: str, content: str) -> T:
    choice = completion.choices[0] if completion.choices else None
    if choice is None:
        raise _BadReply(content, InvalidReply("the reply has no choices"))
    if choice.finish_reason == "length":
        raise Truncated("length")
    if choice.finish_reason == "content_filter" or choice.message.refusal:
        raise Refused(choice.message.refusal or "content filter")
    parsed = getattr(choice.message, "parsed", None) if tier == "json_schema" else None
    if isinstance(parsed, output):
        return parsed
    try:
        return output.model_validate_json(_json_part(content))
    except ValidationError as exc:
        raise _BadReply(content, exc) from None


def _with_schema(messages: list[Message], output: type[BaseModel]) -> list[Message]:
    """The messages with the JSON-mode instruction (schema name and JSON Schema) added to the system message."""
    note = render("json_mode.j2", schema_name=output.__name__, schema=output.model_json_schema())
    if messages and messages[0].get("role") == "system":
        return [{**messages[0], "content": f"{messages[0]['content']}\n{note}"}, *messages[1:]]
    return [{"role": "system", "content": note}, *messages]


def _body(raw: Any) -> dict[str, Any]:
    try:
        body = raw.http_response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _content(body: dict[str, Any]) -> str:
    try:
        return str(body["choices"][0]["message"].get("content") or "")
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""


def _json_part(content: str) -> str:
    """The JSON object in a reply that may wrap it in prose or code fences."""
    fenced = FENCED.search(content)
    text = fenced.group(1) if fenced else content
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


def _errors(error: ValidationError | InvalidReply) -> list[str]:
    if isinstance(error, InvalidReply):
        return [str(error)]
    found = error.errors(include_url=False)
    return [f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in found][:10]
