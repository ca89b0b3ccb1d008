"""A fake OpenAI-compatible server for tests: real HTTP on 127.0.0.1, threaded, scripted.

`FakeLLM` serves `POST /v1/chat/completions` (plain and SSE streaming) with `usage`, records every request
and how many were in flight at once, and plays scripted faults: 429 then success, 401, 500, slow replies,
invalid JSON, schema-valid nonsense, length cut-offs, refusals, servers without `json_schema` support and
unknown models. By default it answers like an obedient model: a section draft echoes the reference draft
it was given (so every figure is the plan's), a review finds no issue, post ideas restate each slot's
reference topic after IDEA_MARK with the slot's format and pillar, a doctor ping says ok. A `responder` that
returns None leaves a request to these defaults.
`script(kind, *replies)` queues replies for one schema name, served in order before any default.

`LIVE_PORTS` lists the ports of running fakes; the test guard lets requests reach only those.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TEST_KEY = "sk-test-DO-NOT-LEAK-5f3a9c71"
"""The API key tests configure; it must never appear in a prompt, a plan, a document or a log."""
LIVE_PORTS: set[int] = set()
"""Ports of the fake servers now running (the only model endpoints tests may reach)."""

SECTION_RE = re.compile(r'<section id="([a-z_]+)"')
REFERENCE_RE = re.compile(r"<reference_draft>\n(.*?)\n</reference_draft>", re.S)
PRACTICE_RE = re.compile(r'<practice id="([a-z0-9-]+)"')
SCHEMA_NAME_RE = re.compile(r"Schema name: (\w+)")
SLOTS_RE = re.compile(r"<slots[^>]*>\n(.*?)\n</slots>", re.S)
IDEA_MARK = "Fake idea:"
"""How the default post-ideas answer starts every hook."""
STATUS = {
    "429": (429, "Rate limit reached (fake)"), "500": (500, "Internal error (fake)"),
    "no_json_schema": (400, "response_format json_schema is not supported by this server"),
    "no_response_format": (400, "response_format is not supported by this server"),
}  # fmt: skip
NONSENSE = {
    "text": "Purple monkey dishwasher 48213 times. Synergy 777 at 93% of 31,337 quasars.",
    "citations": ["made-up"],
}


@dataclass
class Fault:
    """A scripted misbehaviour: `kind`, for which schema or section (`match`), how many `times` (None: always)."""

    kind: str
    times: int | None = None
    match: str | None = None
    delay: float = 0.0

    def applies(self, kind: str, section: str | None) -> bool:
        """True when this fault should fire for a request about `kind` / `section`."""
        if self.times is not None and self.times <= 0:
            return False
        return self.match is None or self.match in (kind, section)


@dataclass
class Recorded:
    """One request as the server saw it (header names in lower case)."""

    body: dict[str, Any]
    headers: dict[str, str]
    kind: str
    section: str | None
    at: float = field(default_factory=time.monotonic)
    done: float = 0.0
    usage: dict[str, int] = field(default_factory=dict)

    @property
    def prompt(self) -> str:
        """All message contents joined (what the model was asked)."""
        return "\n".join(str(m.get("content") or "") for m in self.body.get("messages", []))


@dataclass
class FakeLLM:
    """The fake server; use as a context manager or call start()/stop()."""

    latency: float = 0.0
    gather: int = 0
    """When set, each request is held until this many are in flight at once (all are then answered together), or
    for `latency` seconds at most: proof that calls were sent together that does not hang on the machine's speed."""
    known_models: set[str] | None = None
    faults: list[Fault] = field(default_factory=list)
    review_issues: list[dict[str, str]] = field(default_factory=list)
    responder: Callable[[Recorded], dict[str, Any] | str | None] | None = None
    scripts: dict[str, list[dict[str, Any] | str]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    served: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0})
    max_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: threading.Event = field(default_factory=threading.Event)
    """Set by stop(): latency and slow replies still waiting end at once instead of sleeping on."""
    _gathered: threading.Event = field(default_factory=threading.Event)
    """Set once `gather` requests are in flight together (or by stop())."""
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL of this server."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def fault(self, kind: str, times: int | None = None, match: str | None = None, **extra: Any) -> FakeLLM:
        """Script a fault (see the module docstring for kinds); returns self for chaining."""
        self.faults.append(Fault(kind=kind, times=times, match=match, **extra))
        return self

    def script(self, kind: str, *replies: dict[str, Any] | str) -> FakeLLM:
        """Queue replies for requests about schema `kind`, used one per request in order; returns self."""
        self.scripts.setdefault(kind, []).extend(replies)
        return self

    def start(self) -> FakeLLM:
        """Listen on a free loopback port in a background thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                fake._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                _send(self, 200, {"object": "list", "data": [{"id": m, "object": "model"}
                                                                  for m in sorted(fake.known_models or [])]})

            def log_message(self, *args: Any) -> None:
                pass

        self._stopped.clear()
        self._gathered.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        LIVE_PORTS.add(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self._stopped.set()
        self._gathered.set()
        if self._server is not None:
            LIVE_PORTS.discard(self._server.server_address[1])
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def of_kind(self, kind: str) -> list[Recorded]:
        """The recorded requests for one schema name (SectionDraft, ReviewVerdict, DoctorPing)."""
        return [r for r in self.requests if r.kind == kind]

    # -- request handling -------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"{}")
        record = _record(body, {k.lower(): v for k, v in handler.headers.items()})
        with self._lock:
            self.requests.append(record)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if self.gather and self._in_flight >= self.gather:
                self._gathered.set()
        try:
            (self._gathered if self.gather else self._stopped).wait(self.latency)
            self._reply(handler, record)
        finally:
            with self._lock:
                self._in_flight -= 1
                record.done = time.monotonic()

    def _take_fault(self, record: Recorded) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.applies(record.kind, record.section) and _fits(fault, record):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _reply(self, handler: BaseHTTPRequestHandler, record: Recorded) -> None:
        model = str(record.body.get("model"))
        if self.known_models is not None and model not in self.known_models:
            return _send(handler, 404, _error(f"The model `{model}` does not exist."))
        fault = self._take_fault(record)
        kind = fault.kind if fault else "ok"
        if kind == "401":  # like OpenAI, echo (part of) the key: it must be scrubbed before anyone sees it
            token = record.headers.get("authorization", "").removeprefix("Bearer ")
            return _send(handler, 401, _error(f"Incorrect API key provided: {token}."))
        if kind in STATUS:
            status, message = STATUS[kind]
            return _send(handler, status, _error(message), {"retry-after-ms": "10"} if status == 429 else None)
        if kind == "slow":
            self._stopped.wait(fault.delay if fault else 5.0)
        content, finish, refusal = self._content(record, kind, fault)
        if record.body.get("stream"):
            return self._stream(handler, record, content, finish)
        message = {"role": "assistant", "content": content, "refusal": refusal}
        reply = _completion(record, message, finish, content or refusal or "")
        with self._lock:
            record.usage = reply["usage"]
            for name in ("prompt_tokens", "completion_tokens"):
                self.served[name] += reply["usage"][name]
        _send(handler, 200, reply)

    def _content(self, record: Recorded, kind: str, fault: Fault | None) -> tuple[str | None, str, str | None]:
        if kind == "refusal":
            return None, "stop", "I can't help with that request."
        if kind == "invalid_json":
            return "Sure! Here is the section: {text: not json", "stop", None
        if kind == "nonsense":
            return json.dumps(NONSENSE), "stop", None
        answer = self._answer(record)
        good = answer if isinstance(answer, str) else json.dumps(answer)
        if kind == "length":
            return good[: max(10, len(good) // 3)], "length", None
        return good, "stop", None

    def _answer(self, record: Recorded) -> dict[str, Any] | str:
        with self._lock:
            queued = self.scripts.get(record.kind)
            if queued:
                return queued.pop(0)
        if self.responder is not None:
            answer = self.responder(record)
            if answer is not None:  # None: the default answer below
                return answer
        if record.kind == "SectionDraft":
            match = REFERENCE_RE.search(record.prompt)
            reference = match.group(1).strip() if match else "A short section."
            cites = PRACTICE_RE.findall(record.prompt)[:1]
            return {"text": f"Written by the fake model.\n\n{reference}", "citations": cites}
        if record.kind == "ReviewVerdict":
            return {"issues": self.review_issues}
        if record.kind == "PostIdeas":
            return {"ideas": [obedient_idea(slot) for slot in slots_of(record.prompt)]}
        return {"ok": True, "reply": "pong"}

    def _stream(self, handler: BaseHTTPRequestHandler, record: Recorded, content: str | None, finish: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        text = content or ""
        pieces = [text[i : i + 16] for i in range(0, len(text), 16)] or [""]
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": record.body["model"]}
        for i, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            _sse(handler, {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        _sse(handler, {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
        if (record.body.get("stream_options") or {}).get("include_usage"):
            _sse(handler, {**base, "choices": [], "usage": _usage(record, text)})
        handler.wfile.write(b"data: [DONE]\n\n")


def slots_of(prompt: str) -> list[dict[str, Any]]:
    """The slots a post-ideas request lists (empty when it lists none)."""
    match = SLOTS_RE.search(prompt)
    return list(json.loads(match.group(1))) if match else []


def obedient_idea(slot: dict[str, Any]) -> dict[str, Any]:
    """The idea an obedient model writes for a slot: the reference topic as the hook, the slot's format and pillar."""
    return {"slot": slot["slot"], "hook": f"{IDEA_MARK} {slot['reference_topic']}", "format": slot["format"],
            "pillar": slot["pillar"], "call_to_action": "Tell us what you think."}


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": None}}


def _send(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
          ) -> None:
    data = json.dumps(body).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
        pass


def _record(body: dict[str, Any], headers: dict[str, str]) -> Recorded:
    fmt = body.get("response_format") or {}
    prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
    kind = (fmt.get("json_schema") or {}).get("name") if fmt.get("type") == "json_schema" else None
    if kind is None:
        found = SCHEMA_NAME_RE.search(prompt)
        kind = found.group(1) if found else _sniff(prompt)
    section = SECTION_RE.search(prompt)
    return Recorded(body=body, headers=headers, kind=kind, section=section.group(1) if section else None)


def _sniff(prompt: str) -> str:
    """The schema a request without response_format is about, from its prompt."""
    if REFERENCE_RE.search(prompt):
        return "SectionDraft"
    return "ReviewVerdict" if "<figures" in prompt else "text"


def _fits(fault: Fault, record: Recorded) -> bool:
    """Format faults fire only for the formats they reject."""
    fmt_type = (record.body.get("response_format") or {}).get("type")
    if fault.kind == "no_json_schema":
        return fmt_type == "json_schema"
    if fault.kind == "no_response_format":
        return fmt_type is not None
    return True


def _usage(record: Recorded, content: str) -> dict[str, int]:
    prompt = len(json.dumps(record.body.get("messages", []))) // 4
    completion = len(content) // 4 + 1
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(record: Recorded, message: dict[str, Any], finish: str, content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
        "model": record.body.get("model"), "usage": _usage(record, content),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
    }  # fmt: skip


def _sse(handler: BaseHTTPRequestHandler, chunk: dict[str, Any]) -> None:
    handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
    handler.wfile.flush()
