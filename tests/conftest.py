"""Shared fixtures: an isolated environment, the example briefs, loaded knowledge, a fixed clock.

Also `socialplan()`, the CLI in this process, for exact-output tests (subprocesses stay for exit codes of a real
process, piped interviews and kill-and-resume). Safe under pytest-xdist (`make test` runs `-n auto`): every
worker has its own temporary folders and its own copy of the knowledge index, which is built once per run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from pydantic import SecretStr
from typer.testing import CliRunner

from agent.graph.build import build_graph
from agent.graph.state import RunContext
from agent.knowledge.bundle import Bundle, load_bundle
from agent.knowledge.search import KnowledgeBase
from agent.model.brief import Brief
from agent.model.brief_io import load_brief
from agent.model.settings import ENV, PROJECT_ROOT, Settings
from tests.fake_llm import TEST_KEY, FakeLLM

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
EXAMPLES = PROJECT_ROOT / "examples"
FIXED_NOW = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `slow` (10-40 s each: servers, a browser, twenty sessions at once) run first, each file's in
    its order. Under pytest-xdist the short tests then fill the workers' gaps at the end, instead of one long test
    finishing alone after the others are done."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One knowledge index for the session, built on first use by whichever test plans first.

    Under xdist the first worker to get here builds the shipped knowledge's index once for the whole run (the
    others wait on a file lock) and every worker plans from its own copy, so no two processes write one Chroma
    folder and nobody builds it twice.
    """
    index = tmp_path_factory.mktemp("index")
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return index
    run_root = tmp_path_factory.getbasetemp().parent  # this run's folder, shared by its workers
    seed = run_root / "index-seed"
    with FileLock(str(run_root / "index-seed.lock")):
        if not (seed / "built").exists():
            kb = KnowledgeBase(Settings(index_dir=seed / "index"))
            try:
                kb.ensure_ready()
            finally:
                kb.close()
            (seed / "built").touch()
    shutil.copytree(seed / "index", index, dirs_exist_ok=True)
    return index


@pytest.fixture(scope="session")
def graph() -> object:
    """One compiled planning graph (no checkpointer) for the in-process plans of the whole session."""
    return build_graph()


def isolate(patch: pytest.MonkeyPatch, index: Path, cache: Path) -> None:
    """No real LLM endpoint, the session's knowledge index, no DOCX or PDF, a private cache folder."""
    for var in ENV.values():
        patch.delenv(var, raising=False)
    patch.setenv("OPENAI_BASE_URL", "")
    patch.setenv("SOCIALPLAN_INDEX_DIR", str(index))
    patch.setenv("SOCIALPLAN_DOCUMENTS", "none")  # DOCX and PDF are tested where they are the subject
    patch.setenv("XDG_CACHE_HOME", str(cache))


@pytest.fixture(scope="session", autouse=True)
def _session_env(shared_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same isolation for session- and module-scoped fixtures, which run before any per-test fixture (a
    module's plan made once used to build an index in the user's cache and write a PDF)."""
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, shared_index, tmp_path_factory.mktemp("cache"))
        yield


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_index: Path) -> None:
    """No test sees a real LLM endpoint or writes into the user's cache."""
    isolate(monkeypatch, shared_index, tmp_path / "cache")


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The shipped knowledge entries and tables."""
    return load_bundle(PROJECT_ROOT / "knowledge")


def example(name: str) -> Brief:
    """An example brief by file stem."""
    return load_brief(EXAMPLES / f"{name}.yaml")


def socialplan(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`socialplan ARGS` in this process: the real entry point (agent.cli.app.main, exit codes and one-line errors
    included) under CliRunner's isolation of stdin, stdout, stderr and `env`. Same result shape as a subprocess."""
    from agent.cli.entry import main

    code: int | str | None = 0
    with CliRunner().isolation(input=stdin, env=env) as (out, err, _):  # stdout, stderr, both mixed
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(["socialplan", *args], returncode, stdout, stderr)


@pytest.fixture
def context(tmp_path: Path) -> RunContext:
    """An offline run writing under tmp_path, at a fixed time."""
    settings = Settings.from_env(offline=True, output_dir=tmp_path / "out")
    return RunContext(settings=settings, now=FIXED_NOW, out_dir=tmp_path / "out")


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that sends a model request anywhere but a running fake server (tests/fake_llm.py)."""
    import httpx2  # the openai client's HTTP library

    from agent.llm.factory import reset_llm_cache
    from tests.fake_llm import LIVE_PORTS

    blocked: list[str] = []
    original = httpx2.HTTPTransport.handle_request

    def guarded(self: httpx2.HTTPTransport, request: httpx2.Request) -> httpx2.Response:
        if request.url.host == "127.0.0.1" and request.url.port in LIVE_PORTS:
            return original(self, request)
        blocked.append(f"{request.method} {request.url}")
        raise httpx2.ConnectError("blocked by the test guard: not the fake LLM server", request=request)

    async def guarded_async(self: httpx2.AsyncHTTPTransport, request: httpx2.Request) -> httpx2.Response:
        blocked.append(f"{request.method} {request.url}")
        raise httpx2.ConnectError("blocked by the test guard: async model request", request=request)

    monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", guarded)
    monkeypatch.setattr(httpx2.AsyncHTTPTransport, "handle_async_request", guarded_async)
    reset_llm_cache()
    yield
    reset_llm_cache()
    if blocked:
        pytest.fail(f"model request outside the fake server: {blocked}")


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A running fake OpenAI-compatible server (no latency, obedient replies until scripted otherwise)."""
    with FakeLLM() as fake:
        yield fake


@pytest.fixture
def dead_url() -> Iterator[str]:
    """A base URL on 127.0.0.1 where nothing listens (let through by the guard): for connection errors.

    The port stays bound (never listening, so connections are refused) until the test ends, so no other
    process, such as another xdist worker's fake server, can take it meanwhile.
    """
    import socket

    from tests.fake_llm import LIVE_PORTS

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        LIVE_PORTS.add(port)
        yield f"http://127.0.0.1:{port}/v1"
        LIVE_PORTS.discard(port)


@pytest.fixture
def llm_settings(fake_llm: FakeLLM, tmp_path: Path, shared_index: Path) -> Settings:
    """Settings pointing at the fake server, with a test key, a short timeout and no transport retries."""
    return Settings(
        openai_base_url=fake_llm.base_url, openai_api_key=SecretStr(TEST_KEY), model="fake-model",
        llm_timeout=5.0, llm_retries=0, output_dir=tmp_path / "out", index_dir=shared_index,
        documents="none",  # as every other test (SOCIALPLAN_DOCUMENTS above): a PDF costs seconds
    )


# --- PostgreSQL session store (tests/postgres.py) -------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL database for this process (one per xdist worker), for the whole session.

    With SOCIALPLAN_TEST_DATABASE_URL set (CI starts a server: .ci/run) a fresh database on that server, dropped at
    the end; otherwise a throwaway cluster from this machine's PostgreSQL binaries, stopped at the end. No
    binaries fails the tests that ask for it (never a skip: CI installs PostgreSQL). Tests share the database
    within a worker, so assert on the sessions a test made rather than on the whole list.
    """
    from tests.postgres import TEST_URL_ENV, PostgresMissing, bin_dir, database_for_tests

    server = os.environ.get(TEST_URL_ENV)
    missing = ""
    if not server:
        try:
            bin_dir()
        except PostgresMissing as exc:
            missing = str(exc)
    if missing:
        pytest.fail(missing, pytrace=False)
    with database_for_tests(server) as url:
        yield url


# --- end of the PostgreSQL block ------------------------------------------------------------------------------------
