"""Shared fixtures: an isolated environment, the example briefs, loaded knowledge, a fixed clock."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from agent.graph.state import RunContext
from agent.knowledge.bundle import Bundle, load_bundle
from agent.model.brief import Brief
from agent.model.brief_io import load_brief
from agent.model.settings import ENV, PROJECT_ROOT, Settings
from tests.fake_llm import TEST_KEY, FakeLLM

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
EXAMPLES = PROJECT_ROOT / "examples"
FIXED_NOW = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One knowledge index for the session, built on first use by whichever test plans first."""
    return tmp_path_factory.mktemp("index")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_index: Path) -> None:
    """No test sees a real LLM endpoint or writes into the user's cache."""
    for var in ENV.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    monkeypatch.setenv("SOCIALPLAN_INDEX_DIR", str(shared_index))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The shipped knowledge entries and tables."""
    return load_bundle(PROJECT_ROOT / "knowledge")


def example(name: str) -> Brief:
    """An example brief by file stem."""
    return load_brief(EXAMPLES / f"{name}.yaml")


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
    """A base URL on 127.0.0.1 where nothing listens (let through by the guard): for connection errors."""
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
    )
