"""The session store on a real PostgreSQL server (fixture `postgres_url`, tests/postgres.py) and on SQLite.

A paused interview resumes from a second store (a second connection pool, as a second process would) on both
backends; the CLI pauses, lists and resumes a session through SOCIALPLAN_DATABASE_URL as real processes; twenty
sessions answer at once through one store; an unreachable server is one line (exit 1) that never shows the
password. Server tests are marked `slow`; each xdist worker that runs one gets its own database (`postgres_url`).
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from agent.cli.askers import LineAsker
from agent.graph.build import build_graph
from agent.graph.checkpoint import SESSIONS, StoreUnreachable, open_store, safe_url, scrub, session_ids
from agent.graph.state import RunContext
from agent.interview.driver import drive, pending_prompt
from agent.model.settings import Settings
from tests.conftest import socialplan
from tests.test_interview import ANSWERS

PASSWORD = "s3cret-Pa55"
SERVER = [pytest.mark.slow]
BACKENDS = ["sqlite", pytest.param("postgres", marks=SERVER)]
START = {"brief_draft": {}, "asked": [], "error": ""}


def store_settings(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Offline settings writing under tmp_path/out, with the sessions on `backend`."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    return Settings(offline=True, output_dir=tmp_path / "out", database_url=url, documents="none")


def asker(lines: list[str]) -> LineAsker:
    """Answers `lines`, then pauses (end of input)."""
    return LineAsker(io.StringIO("".join(f"{line}\n" for line in lines)))


def cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """`socialplan ARGS` as a real process with SOCIALPLAN_DATABASE_URL=url (an interview gets 4 answers)."""
    text = "".join(f"{line}\n" for line in ANSWERS[:4]) if args[0] == "interview" else ""
    return subprocess.run([sys.executable, "-m", "agent.cli", *args], input=text, capture_output=True, text=True,
                          env={**os.environ, "SOCIALPLAN_DATABASE_URL": url}, timeout=300)


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A 127.0.0.1 port bound but not listening (connections are refused) until the test ends."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_paused_interview_resumes_from_a_second_store(backend: str, request: pytest.FixtureRequest,
                                                        tmp_path: Path) -> None:
    settings = store_settings(backend, request, tmp_path)
    context = RunContext(settings=settings, out_dir=settings.output_dir)
    session = f"s-{uuid.uuid4().hex[:8]}"
    config = {"configurable": {"thread_id": session}}
    with open_store(settings) as saver:
        outcome = drive(build_graph(checkpointer=saver), session, START, context, asker(ANSWERS[:5]))
        assert outcome.status == "paused" and session in session_ids(saver)
    with open_store(settings) as saver:  # a new connection (pool), as another process would open it
        graph = build_graph(checkpointer=saver)
        prompt = pending_prompt(graph, config)
        assert prompt is not None and prompt.id == "website"
        assert graph.get_state(config).values["brief_draft"]["business"]["name"] == "Loop Coffee"
        outcome = drive(graph, session, None, context, asker(ANSWERS[5:]))
        assert outcome.status == "done" and session in session_ids(saver)
    plan = json.loads((Path(outcome.output_path) / "plan.json").read_text())
    assert plan["brief"]["business"]["name"] == "Loop Coffee"
    assert (settings.output_dir / SESSIONS).exists() == (backend == "sqlite")


@pytest.mark.parametrize("backend", BACKENDS)
def test_twenty_sessions_answer_at_once_through_one_store(backend: str, request: pytest.FixtureRequest,
                                                          tmp_path: Path) -> None:
    """One store shared by 20 threads (a web server answering 20 sessions): every answer lands in its session."""
    settings = store_settings(backend, request, tmp_path)
    context = RunContext(settings=settings, out_dir=settings.output_dir)
    names = {f"t{n}-{uuid.uuid4().hex[:6]}": f"Cafe {n}" for n in range(20)}
    with open_store(settings) as saver:
        graph = build_graph(checkpointer=saver)

        def answer(session: str) -> str:
            lines = [names[session], *ANSWERS[1:4]]
            return drive(graph, session, START, context, asker(lines)).status

        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(answer, names))
        assert statuses == ["paused"] * 20
        assert set(names) <= set(session_ids(saver))
        for session, name in names.items():
            values = graph.get_state({"configurable": {"thread_id": session}}).values
            assert values["brief_draft"]["business"]["name"] == name
            assert values["brief_draft"]["business"]["model"] == "b2c"


@pytest.mark.slow
def test_one_postgres_operation_in_flight_does_not_hold_up_the_others(postgres_url: str, tmp_path: Path) -> None:
    """LangGraph's PostgresSaver queues every operation on one lock even over a pool; ours runs them in parallel."""
    settings = Settings(output_dir=tmp_path, database_url=postgres_url)
    with open_store(settings) as saver, saver.lock:  # type: ignore[attr-defined]  # as if one query were running
        listed: list[list[str]] = []
        worker = threading.Thread(target=lambda: listed.append(session_ids(saver)), daemon=True)
        worker.start()
        worker.join(timeout=15)
        assert listed and isinstance(listed[0], list), "a second operation waited for the first"


@pytest.mark.slow
def test_the_cli_pauses_lists_and_resumes_a_session_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    paused = cli("interview", "--offline", "--out", str(tmp_path), url=postgres_url)
    assert paused.returncode == 3, paused.stderr
    session = paused.stdout.strip().splitlines()[-1].split("--resume ")[1].split()[0]
    listed = cli("sessions", "--out", str(tmp_path), "--json", url=postgres_url)
    assert listed.returncode == 0, listed.stderr
    row = next(row for row in json.loads(listed.stdout) if row["id"] == session)
    assert row["client"] == "Loop Coffee" and row["progress"].startswith("4 of ~")
    rest = "".join(f"{line}\n" for line in ANSWERS[4:])
    resumed = subprocess.run([sys.executable, "-m", "agent.cli", "interview", "--offline", "--out", str(tmp_path),
                              "--resume", session], input=rest, capture_output=True, text=True, timeout=300,
                             env={**os.environ, "SOCIALPLAN_DATABASE_URL": postgres_url})
    assert resumed.returncode == 0, resumed.stderr
    assert (Path(resumed.stdout.splitlines()[-1]) / "plan.json").exists()
    assert not (tmp_path / SESSIONS).exists()  # nothing went to SQLite
    assert json.loads(socialplan("sessions", "--out", str(tmp_path), "--json").stdout) == []  # SQLite: none


@pytest.mark.slow
def test_an_unknown_session_on_postgres_is_bad_input(postgres_url: str, tmp_path: Path) -> None:
    result = socialplan("interview", "--offline", "--out", str(tmp_path), "--resume", "nope",
                        env={"SOCIALPLAN_DATABASE_URL": postgres_url})
    assert result.returncode == 2
    assert result.stderr == f"error: no paused session 'nope' in {safe_url(postgres_url)}\n"


@pytest.mark.parametrize("command", [("sessions",), ("interview", "--offline"), ("sessions", "--debug")])
def test_an_unreachable_server_is_one_line_without_the_password(command: tuple[str, ...], dead_port: int,
                                                                tmp_path: Path) -> None:
    url = f"postgresql://planner:{PASSWORD}@127.0.0.1:{dead_port}/socialplan"
    result = socialplan(*command, "--out", str(tmp_path), env={"SOCIALPLAN_DATABASE_URL": url})
    assert result.returncode == 1
    assert PASSWORD not in result.stdout + result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"error: the session store at postgresql://planner@127.0.0.1:{dead_port}/socialplan "
                           "cannot be reached: connection failed:")
    assert "Connection refused" in last
    if "--debug" not in command:
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / SESSIONS).exists()


@pytest.mark.parametrize("url", [
    f"postgresql://planner:{PASSWORD}@127.0.0.1:notaport/socialplan",
    f"postgresql://planner:{PASSWORD}@127.0.0.1:1/socialplan?nonsense=1",
    f"host=127.0.0.1 password={PASSWORD} nonsense",
])
def test_a_malformed_url_is_reported_without_the_password(url: str, tmp_path: Path) -> None:
    with pytest.raises(StoreUnreachable) as caught, open_store(Settings(output_dir=tmp_path, database_url=url)):
        pass
    message = str(caught.value)
    assert PASSWORD not in message and "\n" not in message
    assert message.startswith("the session store at ") and " cannot be reached: " in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_urls_and_reasons_never_show_the_password() -> None:
    encoded = "p%40ss%2Fw0rd"  # p@ss/w0rd
    assert safe_url(f"postgresql://planner:{encoded}@db.internal:6543/plans?sslmode=require") == \
        "postgresql://planner@db.internal:6543/plans"
    assert safe_url(f"host=db.internal user=planner password={PASSWORD} dbname=plans") == \
        "postgresql://planner@db.internal:5432/plans"
    reason = scrub("FATAL: bad p@ss/w0rd\n\tand p%40ss%2Fw0rd", f"postgresql://planner:{encoded}@db/plans")
    assert reason == "FATAL: bad *** and ***"
