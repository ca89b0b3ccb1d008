"""`socialplan doctor` as a library: the LLM configuration, one tiny structured call, plain advice.

`run_doctor(settings)` never raises for an LLM problem and never holds the API key: only whether one is
set. Each check says what works or what is wrong, and what to do about it.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field

from agent.llm.factory import LLM, new_llm
from agent.llm.faults import LLMFault, redact
from agent.llm.prompts import doctor_messages
from agent.llm.schemas import DoctorPing
from agent.llm.structured import call_structured
from agent.llm.usage import Usage
from agent.model.settings import ENV, Settings

LOCAL_URLS = "Ollama: http://localhost:11434/v1, LM Studio: http://localhost:1234/v1, vLLM: http://localhost:8000/v1"
LOCAL_HINT = f"for a local server set OPENAI_BASE_URL ({LOCAL_URLS})"
FORMAT_WORDS = {
    "json_schema": "json_schema structured outputs are supported",
    "json_object": "json_schema is not supported; the JSON-mode fallback (schema in the prompt) works",
    "prompt": "no response_format is supported; the schema in the prompt works (weakest mode)",
}


class Check(BaseModel):
    """One line of the doctor's verdict."""

    name: str
    ok: bool | None = Field(description="True works, False needs fixing, None not checked.")
    detail: str
    fix: str = ""


class DoctorReport(BaseModel):
    """The configuration (never the key) and the checks."""

    mode: Literal["offline", "llm"]
    endpoint: str | None
    model: str
    key_set: bool
    timeout: float
    retries: int
    response_format: str | None = None
    usage: Usage = Field(default_factory=Usage)
    checks: list[Check] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(check.ok is not False for check in self.checks)


def public_url(url: str) -> str:
    """`url` without any user:password part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))


def run_doctor(settings: Settings) -> DoctorReport:
    """Describe the configuration, make one tiny structured call, and judge what works."""
    base: dict[str, Any] = {"model": settings.model, "key_set": settings.openai_api_key is not None,
            "timeout": settings.llm_timeout, "retries": settings.llm_retries}
    if not settings.llm_enabled:
        why = "--offline was given" if settings.offline else f"neither {ENV['openai_api_key']} nor " \
            f"{ENV['openai_base_url']} is set"
        fix = "" if settings.offline else f"set {ENV['openai_api_key']} to use OpenAI; {LOCAL_HINT}"
        check = Check(name="mode", ok=None, detail=f"offline: {why}; plans use offline text", fix=fix)
        return DoctorReport(mode="offline", endpoint=None, checks=[check], **base)
    llm = new_llm(settings.model_copy(update={"llm_retries": min(settings.llm_retries, 1)}))
    outcome = call_structured(llm, doctor_messages(), DoctorPing)
    report = DoctorReport(mode="llm", endpoint=public_url(llm.endpoint), usage=outcome.usage, **base)
    if outcome.fault is None:
        report.response_format = outcome.format
        report.checks = _working(llm, outcome.format or "json_schema")
    else:
        report.checks = _broken(llm, outcome.fault, settings)
    return report


def _working(llm: LLM, tier: str) -> list[Check]:
    return [
        Check(name="reachable", ok=True, detail=f"{public_url(llm.endpoint)} answered"),
        Check(name="model", ok=True, detail=f"model '{llm.model}' exists and replied"),
        Check(name="structured output", ok=True, detail=FORMAT_WORDS[tier],
              fix="" if tier == "json_schema" else "fine as is; a server with json_schema support is more reliable"),
    ]  # fmt: skip


def _broken(llm: LLM, fault: LLMFault, settings: Settings) -> list[Check]:
    url, key_var, model_var = public_url(llm.endpoint), ENV["openai_api_key"], ENV["model"]
    if fault.kind == "config":
        return [Check(name="configuration", ok=False, detail=fault.detail,
                      fix=f"set {ENV['openai_base_url']} to a full URL ({LOCAL_URLS})")]
    if fault.kind == "unreachable":
        return [Check(name="reachable", ok=False, detail=f"could not connect to {url}",
                      fix=f"start the server, or correct {ENV['openai_base_url']} ({LOCAL_URLS})")]
    if fault.kind == "timeout":
        return [Check(name="reachable", ok=False, detail=f"no answer from {url} within {settings.llm_timeout:g}s",
                      fix=f"check the server is up and not overloaded, or raise {ENV['llm_timeout']}")]
    reached = Check(name="reachable", ok=True, detail=f"{url} answered")
    if fault.kind == "auth":
        fix = f"check {key_var}" if llm.key_set else f"this endpoint needs a key: set {key_var}"
        return [reached, Check(name="API key", ok=False, detail=fault.detail, fix=fix)]
    if fault.kind == "model_not_found":
        names = _model_names(llm)
        hint = f"; the server lists: {', '.join(names)}" if names else ""
        return [reached, Check(name="model", ok=False, detail=f"model '{llm.model}' was not found ({fault.detail})",
                               fix=f"set {model_var} to a model the server has{hint}")]
    return [reached, Check(name=_failed_step(fault), ok=False, detail=fault.detail, fix=_fix(fault))]


def _failed_step(fault: LLMFault) -> str:
    return {"rate_limited": "quota", "server_error": "server"}.get(fault.kind, "structured output")


def _fix(fault: LLMFault) -> str:
    return {
        "rate_limited": "wait a minute, or check the account's quota and billing",
        "server_error": "check the server's logs; the model may have failed to load",
        "bad_request": "use a server that accepts JSON output (OpenAI, Ollama, vLLM, llama.cpp server, LM Studio)",
        "invalid_reply": f"use a stronger instruction-following model ({ENV['model']})",
        "truncated": "use a model with a larger context or output limit",
        "refused": f"use another model ({ENV['model']})",
    }.get(fault.kind, "see what the server answered, above")


def _model_names(llm: LLM, limit: int = 8) -> list[str]:
    """Best effort: a few model names the server lists (empty when it cannot list them)."""
    if llm.client is None:
        return []
    try:
        return [redact(m.id, llm.secrets) for m in llm.client.models.list()][:limit]
    except Exception:  # noqa: BLE001 - only a hint for the advice
        return []
