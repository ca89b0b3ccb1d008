"""Load on a real `socialplan serve` process over loopback, on SQLite (the default) and on PostgreSQL.

Twenty sessions answer the whole interview at once through the JSON API, each with its own business name; no
answer is lost or crossed: every session ends done with its own name in its plan.json, in its own client folder,
and sees after every answer the question a lone session sees. Two server processes on one store and one output
root share a session: started on A, partly answered on B, finished on A, both report the same state.

The driver (`run_session`, `run_load`) is shared with bench/web_load.py, which prints the figures.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.graph.checkpoint import SESSIONS as SQLITE_FILE
from tests.test_interview import ANSWERS
from tests.web import served

SESSIONS = 20
BACKENDS = [pytest.param(name, marks=[pytest.mark.slow]) for name in ("sqlite", "postgres")]
"""Each on any xdist worker: a worker's PostgreSQL tests use its own database (`postgres_url`)."""
TIMEOUT = 600.0
"""Seconds one request may take under load (a plan step waits its turn for the interpreter lock)."""


@dataclass
class Run:
    """One session driven through the API: what it saw after each answer, how long each answer took, its end."""

    name: str
    session: str = ""
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    end: dict[str, Any] = field(default_factory=dict)


def business(number: int) -> str:
    """The business name of load session `number`."""
    return f"Load Client {number:02d}"


def answers_for(name: str) -> list[str]:
    """The whole interview (tests/test_interview.py ANSWERS) with this business name."""
    return [name, *ANSWERS[1:]]


def post_answer(api: httpx.Client, session: str, text: str) -> dict[str, Any]:
    """POST one answer (waiting for the next question); it must be accepted."""
    reply = api.post(f"/api/sessions/{session}/answers", json={"answer": text})
    assert reply.status_code == 200, f"{session}: {text!r} -> {reply.status_code} {reply.text}"
    return reply.json()  # type: ignore[no-any-return]


def seen_of(view: dict[str, Any]) -> tuple[str, str | None]:
    """(status, pending question id) of a session view."""
    return view["status"], (view["prompt"] or {}).get("id")


def run_session(base: str, name: str, start: threading.Barrier | None = None) -> Run:
    """Start a session on the server at `base` and answer the whole interview as `name`, timing each answer."""
    run = Run(name)
    with httpx.Client(base_url=base, timeout=TIMEOUT) as api:
        if start is not None:
            start.wait()
        created = api.post("/api/sessions", json={})
        assert created.status_code == 201, created.text
        run.session = created.json()["id"]
        for text in answers_for(name):
            began = time.perf_counter()
            view = post_answer(api, run.session, text)
            run.latencies.append(time.perf_counter() - began)
            run.seen.append(seen_of(view))
        run.end = api.get(f"/api/sessions/{run.session}").json()
    return run


def run_load(base: str, count: int = SESSIONS) -> list[Run]:
    """`count` sessions at once (one thread each, released together), each with its own business name."""
    start = threading.Barrier(count)
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run_session, base, business(n), start) for n in range(count)]
        return [future.result() for future in futures]


def store_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """The environment that puts `serve`'s sessions on `backend` (SQLite: under --out, the default)."""
    if backend == "postgres":
        return {"SOCIALPLAN_DATABASE_URL": request.getfixturevalue("postgres_url")}
    return {}  # the isolated test environment has no SOCIALPLAN_DATABASE_URL


def check_done(run: Run, out: Path) -> Path:
    """The run ended done with its own business name in its plan.json, inside `out`; its client folder."""
    assert run.end["status"] == "done" and run.end["client"] == run.name, run.end
    folder = Path(run.end["output"])
    assert folder.parent.parent == out, folder
    plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    assert plan["brief"]["business"]["name"] == run.name
    return folder.parent


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("backend", BACKENDS)
def test_twenty_sessions_at_once_lose_and_cross_no_answer(backend: str, request: pytest.FixtureRequest,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    with served(out, env=store_env(backend, request)) as base:
        lone = run_session(base, "Load Client Solo")
        runs = run_load(base)
        with httpx.Client(base_url=base, timeout=TIMEOUT) as api:
            listed = {row["id"]: row for row in api.get("/api/sessions").json()}
            clients = {row["client"]: row for row in api.get("/api/clients").json()}
    assert [status for status, _ in lone.seen][-2:] == ["confirming", "done"]
    assert len(lone.seen) == len(ANSWERS)
    folders = [check_done(run, out) for run in runs]
    assert sorted(f.name for f in folders) == sorted(f"load-client-{n:02d}" for n in range(SESSIONS))
    for run in runs:
        assert run.seen == lone.seen, run.name
        assert listed[run.session]["status"] == "done" and listed[run.session]["client"] == run.name
        assert clients[Path(run.end["output"]).parent.name]["name"] == run.name
    assert len({run.session for run in runs} | {lone.session}) == SESSIONS + 1
    assert check_done(lone, out).name == "load-client-solo" and len(clients) == SESSIONS + 1
    assert (out / SQLITE_FILE).exists() == (backend == "sqlite")


@pytest.mark.timeout(900)
@pytest.mark.parametrize("backend", BACKENDS)
def test_two_servers_on_one_store_share_a_session(backend: str, request: pytest.FixtureRequest,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = store_env(backend, request)
    names = answers_for("Shared Cafe")
    with served(out, env=env) as url_a, served(out, env=env) as url_b, \
            httpx.Client(base_url=url_a, timeout=TIMEOUT) as a, httpx.Client(base_url=url_b, timeout=TIMEOUT) as b:
        session = a.post("/api/sessions", json={}).json()["id"]
        first = [seen_of(post_answer(a, session, text)) for text in names[:3]]
        middle = [seen_of(post_answer(b, session, text)) for text in names[3:12]]
        halfway = a.get(f"/api/sessions/{session}").json(), b.get(f"/api/sessions/{session}").json()
        last = [seen_of(post_answer(a, session, text)) for text in names[12:]]
        ended = a.get(f"/api/sessions/{session}").json(), b.get(f"/api/sessions/{session}").json()
        late = b.post(f"/api/sessions/{session}/answers", json={"answer": "yes"})
        listed = [[row["id"] for row in c.get("/api/sessions").json()] for c in (a, b)]
        clients = [[row["client"] for row in c.get("/api/clients").json()] for c in (a, b)]
    assert halfway[0] == halfway[1] and halfway[0]["asked"] == 12 and halfway[0]["client"] == "Shared Cafe"
    assert halfway[0]["prompt"]["id"] == middle[-1][1]
    assert ended[0] == ended[1] and ended[0]["status"] == "done"
    assert [s for s, _ in first + middle + last][-2:] == ["confirming", "done"]
    assert check_done(Run("Shared Cafe", session, end=ended[0]), out).name == "shared-cafe"
    assert late.status_code == 409
    assert session in listed[0] and session in listed[1]
    assert clients[0] == clients[1] == ["shared-cafe"]
    assert (out / SQLITE_FILE).exists() == (backend == "sqlite")
