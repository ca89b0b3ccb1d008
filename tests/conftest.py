"""Shared fixtures: an isolated environment, the example briefs, loaded knowledge, a fixed clock."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from agent.brief import Brief
from agent.brief_io import load_brief
from agent.knowledge.bundle import Bundle, load_bundle
from agent.settings import ENV, PROJECT_ROOT, Settings
from agent.state import RunContext

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
