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


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees a real LLM endpoint or writes into the user's cache."""
    for var in ENV.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "")
    monkeypatch.setenv("SOCIALPLAN_INDEX_DIR", str(tmp_path / "index"))
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
    settings = Settings(offline=True, output_dir=tmp_path / "out", index_dir=tmp_path / "index")
    return RunContext(settings=settings, now=FIXED_NOW, out_dir=tmp_path / "out")
