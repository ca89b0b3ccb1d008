"""The dense snapshot saved beside the index: the next process ranks from it without opening Chroma, and it is
never used for another index state, after a write through the store, when it is damaged, or for a Chroma server.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.knowledge.search import KnowledgeBase, Query
from agent.knowledge.snapshot import load_snapshot, saved_version
from agent.knowledge.store import SNAPSHOT_FILE
from agent.model.settings import PROJECT_ROOT
from tests.conftest_kb import ENTRIES, kb_settings, write_knowledge

QUERIES = [Query("how fast should we reply to comments", 3), Query("tiktok ads budget per day", 3, "tiktok"),
           Query("pinterest keywords", 2, mode="dense")]


@pytest.fixture
def built(tmp_path: Path) -> KnowledgeBase:
    """A small knowledge folder, ingested, searched once (which saves the snapshot)."""
    write_knowledge(tmp_path / "knowledge")
    kb = KnowledgeBase(kb_settings(tmp_path))
    kb.ensure_ready()
    kb.search_many(QUERIES)
    return kb


def reopened(kb: KnowledgeBase) -> KnowledgeBase:
    """A second knowledge base on the same folders, as the next process opens it."""
    return KnowledgeBase(kb.settings)


def test_the_next_process_ranks_from_the_saved_snapshot_without_opening_chroma(built: KnowledgeBase) -> None:
    path = built.settings.index_dir / SNAPSHOT_FILE
    assert saved_version(path) == built.version()
    saved = load_snapshot(path, built.version())
    assert saved is not None and saved.matrix.shape == (int(built.keyword.get_meta("chunks") or 0), 384)
    second = reopened(built)
    assert second.ensure_ready() is None
    assert second.search_many(QUERIES) == built.search_many(QUERIES)
    assert second.vector._collection is None  # neither the readiness check nor the ranking opened Chroma


def test_a_plan_process_never_imports_chromadb_once_the_snapshot_is_saved(built: KnowledgeBase) -> None:
    code = ("import sys\nfrom agent.knowledge.search import KnowledgeBase, Query\n"
            "from tests.conftest_kb import kb_settings\nfrom pathlib import Path\n"
            "kb = KnowledgeBase(kb_settings(Path(sys.argv[1])))\n"
            "print(kb.ensure_ready(), kb.search('reply to comments', k=1)[0].id, 'chromadb' in sys.modules)")
    root = str(built.settings.index_dir.parent)
    done = subprocess.run([sys.executable, "-c", code, root], capture_output=True, text=True, timeout=120,
                          cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", built.search("reply to comments", k=1)[0].id, "False"]


def test_a_snapshot_of_an_earlier_index_state_is_not_used(built: KnowledgeBase, tmp_path: Path) -> None:
    old = built.version()
    write_knowledge(tmp_path / "knowledge", {"smo/new.md": ENTRIES["smo/reply-times.md"].replace(
        "id: reply-time-expectations", "id: reply-time-copy")})
    assert built.ensure_ready().added == 1  # type: ignore[union-attr]
    assert built.version() != old
    assert load_snapshot(built.settings.index_dir / SNAPSHOT_FILE, built.version()) is None
    hits = reopened(built).search("how fast should we reply to comments", k=5, mode="dense")
    assert "reply-time-copy" in [hit.id for hit in hits]  # ranked from Chroma, then saved for the new state
    assert saved_version(built.settings.index_dir / SNAPSHOT_FILE) == built.version()


def test_a_write_through_the_store_forgets_the_saved_snapshot(built: KnowledgeBase) -> None:
    built.vector.delete(["reply-time-expectations"])  # Chroma changed: the snapshot no longer says what it holds
    assert not (built.settings.index_dir / SNAPSHOT_FILE).exists()
    second = reopened(built)
    assert not second.is_current()  # Chroma's count is asked again, and it is short
    assert second.ensure_ready().updated == 1  # type: ignore[union-attr]


@pytest.mark.parametrize("damage", [b"", b"not a zip file", None], ids=["empty", "garbage", "truncated"])
def test_a_damaged_snapshot_file_falls_back_to_chroma(built: KnowledgeBase, damage: bytes | None) -> None:
    path = built.settings.index_dir / SNAPSHOT_FILE
    expected = built.search_many(QUERIES)
    path.write_bytes(path.read_bytes()[:200] if damage is None else damage)
    second = reopened(built)
    assert second.ensure_ready() is None  # Chroma's count still matches
    assert second.search_many(QUERIES) == expected
    assert saved_version(path) == built.version()  # saved again, whole


def test_a_chroma_server_saves_no_snapshot(tmp_path: Path) -> None:
    kb = KnowledgeBase(kb_settings(tmp_path, chroma_url="http://127.0.0.1:9"))
    assert kb.vector.saved_path is None and not kb.vector.saved_for("any")
