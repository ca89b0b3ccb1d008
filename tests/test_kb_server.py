"""The knowledge base against a real Chroma server (the one the chromadb package ships), on loopback.

The server runs from this venv's `chroma` script on a free 127.0.0.1 port with a temporary data folder,
is polled for its heartbeat for at most 30 s, and is terminated at the end of the module. Marked `slow`
(`make test-fast` skips it) and kept on one xdist worker, so one server serves the module.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.kb import kb_app
from agent.knowledge.search import KnowledgeBase
from agent.model.settings import Settings
from tests.conftest_kb import ENTRIES, write_knowledge

CHROMA = Path(sys.executable).parent / "chroma"
pytestmark = [
    pytest.mark.skipif(not CHROMA.exists(), reason="no chroma server script in this venv"),
    pytest.mark.slow,
    pytest.mark.xdist_group("chroma-server"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_heartbeat(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        try:  # wait for the server to exit, at most 0.1 s: an early exit fails at once, else probe again
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"chroma server exited with {process.returncode}")
    raise TimeoutError(f"chroma server at {url} gave no heartbeat within {timeout} s")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_heartbeat(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_ingest_and_search_through_the_server(
    chroma_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_knowledge(tmp_path / "knowledge")
    monkeypatch.setenv("SOCIALPLAN_CHROMA_URL", chroma_url)
    monkeypatch.setenv("SOCIALPLAN_KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    monkeypatch.setenv("SOCIALPLAN_INDEX_DIR", str(tmp_path / "index"))
    settings = Settings.from_env()
    assert settings.chroma_url == chroma_url
    kb = KnowledgeBase(settings)
    report = kb.ingest()
    assert report.added == len(ENTRIES) and report.errors == []
    assert not (settings.index_dir / "chroma").exists()  # vectors went to the server
    for mode in ("dense", "keyword", "hybrid"):
        hits = kb.search("daily budget for TikTok advertising", k=3, platform="tiktok", mode=mode)  # type: ignore[arg-type]
        assert hits[0].id == "tiktok-ads-budget", mode
    assert kb.ingest().unchanged == len(ENTRIES)
    stats = kb.stats()
    assert stats["store"] == chroma_url and stats["entries"] == len(ENTRIES)
    kb.close()

    result = CliRunner().invoke(kb_app, ["search", "how many hashtags", "--json", "-k", "1"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "instagram-hashtags"


def test_a_second_client_reads_what_the_first_wrote(
    chroma_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALPLAN_CHROMA_URL", chroma_url)
    write_knowledge(tmp_path / "knowledge")
    first = KnowledgeBase(Settings.from_env(knowledge_dir=tmp_path / "knowledge", index_dir=tmp_path / "a"))
    first.ensure_ready()
    second = KnowledgeBase(Settings.from_env(knowledge_dir=tmp_path / "knowledge", index_dir=tmp_path / "b"))
    report = second.ensure_ready()  # its own keyword index is new; the server already has every vector
    assert report is not None and report.added == len(ENTRIES)
    assert second.search("reply to customer messages", k=1, mode="dense")[0].id == "reply-time-expectations"
