"""LLM faults in plain words, with every secret removed.

`fault_from(exc, secrets)` turns whatever a call raised into an `LLMFault` with a stable `kind` (for code:
the doctor's advice, tests) and a one-line `detail` (for people: warnings, doctor output). Server
messages are kept short and scrubbed of the API key and anything shaped like one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import openai
from pydantic import ValidationError

KEY_SHAPE = re.compile(r"\b(sk|key|tok|api)[-_][A-Za-z0-9_\-*.]{6,}", re.IGNORECASE)
BEARER = re.compile(r"Bearer\s+\S+", re.IGNORECASE)


@dataclass(frozen=True)
class LLMFault:
    """Why an LLM step did not produce usable output."""

    kind: str
    """One of: config, unreachable, timeout, rate_limited, server_error, auth, model_not_found, bad_request,
    truncated, refused, invalid_reply, error."""
    detail: str

    def __str__(self) -> str:
        return self.detail


class Truncated(Exception):
    """The reply stopped at the length limit."""


class Refused(Exception):
    """The model refused (or a content filter stopped) the reply."""


class InvalidReply(ValueError):
    """The reply could not be read as the expected JSON."""


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` without the given secrets, bearer tokens or key-shaped strings."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return KEY_SHAPE.sub("[redacted]", BEARER.sub("Bearer [redacted]", text))


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
        if isinstance(message, str):
            return message
    return exc.message


def _status_fault(exc: openai.APIStatusError) -> tuple[str, str]:
    code, said = exc.status_code, " ".join(_server_message(exc).split())[:200]
    if code == 429:
        return "rate_limited", f"rate limited by the endpoint (429): {said}"
    if code in (401, 403):
        return "auth", f"the endpoint rejected the API key ({code}): {said}"
    if code == 404:
        return "model_not_found", f"model or endpoint not found (404): {said}"
    if code >= 500:
        return "server_error", f"server error ({code}): {said}"
    return "bad_request", f"request rejected ({code}): {said}"


def fault_from(exc: BaseException, secrets: Iterable[str | None] = ()) -> LLMFault:
    """Classify an exception from a call; the detail never holds a secret."""
    if isinstance(exc, openai.APITimeoutError):
        kind, detail = "timeout", "the request timed out"
    elif isinstance(exc, openai.APIConnectionError):
        kind, detail = "unreachable", "could not connect to the endpoint"
    elif isinstance(exc, openai.APIStatusError):
        kind, detail = _status_fault(exc)
    elif isinstance(exc, Truncated | openai.LengthFinishReasonError):
        kind, detail = "truncated", "the reply was cut off at the length limit"
    elif isinstance(exc, Refused | openai.ContentFilterFinishReasonError):
        kind, detail = "refused", f"the model refused: {' '.join(str(exc).split())[:160]}"
    elif isinstance(exc, ValidationError | InvalidReply):
        kind, detail = "invalid_reply", f"the reply did not match the schema twice: {_first_error(exc)}"
    else:
        kind, detail = "error", f"{exc.__class__.__name__}: {' '.join(str(exc).split())[:160]}"
    return LLMFault(kind=kind, detail=redact(detail, secrets))


def _first_error(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "reply"
        return f"{where}: {err['msg']}"
    return " ".join(str(exc).split())[:160]
