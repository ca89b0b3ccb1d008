"""Knowledge store: the shipped embedding model, Chroma and SQLite indexes, incremental and safe ingest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from chromadb.utils.embedding_functions import known_embedding_functions

import agent.knowledge.embedding as embedding
from agent.knowledge.bundle import load_bundle
from agent.knowledge.chroma_ef import MiniLMEmbedding
from agent.knowledge.embedding import EF_NAME, MODEL_DIR, embed
from agent.knowledge.keyword import Filters, KeywordIndex, match_expression
from agent.knowledge.search import KnowledgeBase
from agent.knowledge.store import COLLECTION, chroma_where, parse_chroma_url
from agent.model.settings import PROJECT_ROOT
from tests.conftest_kb import ENTRIES, MALFORMED, MALFORMED_LINE, kb_settings, write_knowledge


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    write_knowledge(tmp_path / "knowledge")
    base = KnowledgeBase(kb_settings(tmp_path))
    yield base
    base.close()


@pytest.fixture
def embed_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the model embeds during the test."""
    seen: list[str] = []
    real = embedding.embed

    def spy(texts: list[str], model_dir: Path = MODEL_DIR) -> np.ndarray:
        seen.extend(texts)
        return real(texts, model_dir)

    monkeypatch.setattr(embedding, "embed", spy)
    return seen


def test_shipped_model_matches_manifest() -> None:
    manifest = json.loads((MODEL_DIR / "manifest.json").read_text())
    for name, info in manifest["files"].items():
        data = (MODEL_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], name
    assert 15_000_000 < manifest["files"]["model.onnx"]["bytes"] < 30_000_000


def test_embeddings_rank_related_texts_first() -> None:
    texts = ["best time to post on LinkedIn", "LinkedIn posting schedule for B2B", "Instagram hashtags"]
    vectors = embed(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    related, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert related > 0.5 and unrelated < 0.3 and related - unrelated > 0.3


def test_batch_padding_does_not_change_vectors() -> None:
    short = "reply to comments quickly"
    alone = embed([short])[0]
    with_long = embed([short, "a much longer text about posting schedules " * 40])[0]
    assert float(alone @ with_long) > 0.9999


def test_texts_on_two_threads_get_the_vectors_each_gets_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"best time to post {word} for a {size} business" for word, size in
             zip(["reels", "carousels", "threads", "lives", "shorts", "pins", "stories", "posts", "ads"],
                 ["small", "local", "b2b", "retail", "new", "family", "online", "niche", "regional"], strict=True)]
    assert len(texts) >= embedding.SPLIT_AT and len(texts) % 2 == 1
    together = embed(texts)
    assert np.array_equal(together, np.vstack([embed([text]) for text in texts]))
    one_thread = embedding._embed(texts, embedding._session(MODEL_DIR), embedding._tokenizer(MODEL_DIR))
    assert np.array_equal(together, one_thread)  # the same as all texts in turn on one thread

    def broken(*args: object) -> np.ndarray:
        raise RuntimeError("onnxruntime failed")

    monkeypatch.setattr(embedding, "_embed", broken)
    with pytest.raises(RuntimeError, match="onnxruntime failed"):
        embed(texts)


def test_padding_is_to_the_longest_text_of_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    tokenizer = embedding._tokenizer(MODEL_DIR)
    encoded = tokenizer.encode_batch(["short", "a somewhat longer text here"])
    assert len(encoded[0].ids) == len(encoded[1].ids) < 20  # not a fixed 128 or 256
    assert len(tokenizer.encode("word " * 400).ids) == 256  # truncation
    monkeypatch.setattr(embedding, "BATCH", 3)
    texts = ["one", "two words", "a third, longer text about reels", "four"]
    assert float((embed(texts) * embed(texts[::-1])[::-1]).sum(axis=1).min()) > 0.98


def test_embedding_function_is_registered_and_portable() -> None:
    assert known_embedding_functions[EF_NAME] is MiniLMEmbedding
    ef = MiniLMEmbedding.build_from_config(MiniLMEmbedding().get_config())
    assert ef.default_space() == "cosine" and not ef.is_legacy()
    assert "/" not in json.dumps(ef.get_config())  # no machine path persisted in the collection


def test_ingest_indexes_every_entry_in_both_stores(kb: KnowledgeBase) -> None:
    report = kb.ingest()
    assert (report.added, report.updated, report.removed, report.unchanged) == (len(ENTRIES), 0, 0, 0)
    assert report.errors == [] and report.seconds >= 0
    in_vector, _ = kb.vector.inventory()
    assert in_vector == kb.keyword.hashes() and len(in_vector) == len(ENTRIES)
    meta = kb.vector.collection.get(ids=["linkedin-posting-times::0"], include=["metadatas"])["metadatas"][0]
    assert meta["p_linkedin"] is True and "p_all" not in meta
    assert meta["kind"] == "smo" and meta["year"] == 2024
    assert meta["g_leads"] is True and meta["s_all"] is True and len(meta["hash"]) == 64


def test_rerun_embeds_nothing(kb: KnowledgeBase, embed_calls: list[str]) -> None:
    kb.ingest()
    embed_calls.clear()
    report = kb.ingest()
    assert report.unchanged == len(ENTRIES) and report.added == report.updated == 0
    assert embed_calls == []


def test_editing_one_entry_reembeds_only_it(
    kb: KnowledgeBase, tmp_path: Path, embed_calls: list[str]
) -> None:
    kb.ingest()
    embed_calls.clear()
    path = tmp_path / "knowledge" / "smo/youtube-thumbnails.md"
    path.write_text(path.read_text().replace("three words", "four words about mascots"), encoding="utf-8")
    report = kb.ingest()
    assert (report.added, report.updated, report.unchanged) == (0, 1, len(ENTRIES) - 1)
    assert embed_calls and all(text.startswith("Thumbnails and titles") for text in embed_calls)
    assert kb.search("mascots", mode="keyword")[0].id == "youtube-thumbnails"


def test_deleted_entry_leaves_both_indexes(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.ingest()
    (tmp_path / "knowledge" / "smm/tiktok-budget.md").unlink()
    report = kb.ingest()
    assert (report.removed, report.unchanged) == (1, len(ENTRIES) - 1)
    assert "tiktok-ads-budget" not in kb.keyword.hashes()
    assert "tiktok-ads-budget" not in kb.vector.inventory()[1]
    for mode in ("dense", "keyword", "hybrid"):
        assert "tiktok-ads-budget" not in [h.id for h in kb.search("TikTok ad budget", k=10, mode=mode)]
    assert kb.get(["tiktok-ads-budget"]) == []


def test_malformed_entry_is_reported_and_skipped(kb: KnowledgeBase, tmp_path: Path) -> None:
    bad = tmp_path / "knowledge" / "smo" / "broken.md"
    bad.write_text(MALFORMED, encoding="utf-8")
    report = kb.ingest()
    assert report.added == len(ENTRIES)
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{bad}:{MALFORMED_LINE}: ") and "myspace" in report.errors[0]
    assert "broken-entry" not in kb.keyword.hashes()


def test_crash_between_stores_is_repaired_by_rerun(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embed_calls: list[str]
) -> None:
    kb.ingest()
    path = tmp_path / "knowledge" / "smo/reply-times.md"
    edited = path.read_text().replace("24 hours", "24 hours, ideally within the hour")
    path.write_text(edited, encoding="utf-8")
    (tmp_path / "knowledge" / "smo/pinterest-seo.md").unlink()

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed after the Chroma write")

    with monkeypatch.context() as patch:
        patch.setattr(KeywordIndex, "write", crash)
        with pytest.raises(RuntimeError):
            kb.ingest()
    assert not kb.is_current()  # the fingerprint is only recorded by a complete ingest
    embed_calls.clear()
    report = kb.ingest()
    assert (report.updated, report.removed) == (1, 1)
    assert embed_calls == []  # Chroma already held the new version: nothing to re-embed
    assert kb.vector.inventory()[0] == kb.keyword.hashes()
    assert kb.search("ideally within the hour", mode="keyword")[0].id == "reply-time-expectations"
    assert kb.is_current()


def test_crash_inside_chroma_write_is_repaired(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    real_upsert = type(kb.vector.collection).upsert

    def upsert_then_crash(self, ids, documents, metadatas):  # type: ignore[no-untyped-def]
        real_upsert(self, ids=ids[:2], documents=documents[:2], metadatas=metadatas[:2])
        raise RuntimeError("killed during the Chroma write")

    with monkeypatch.context() as patch:
        patch.setattr(type(kb.vector.collection), "upsert", upsert_then_crash)
        with pytest.raises(RuntimeError):
            kb.ingest()
    report = kb.ingest()
    assert report.added == len(ENTRIES)
    in_vector, ids = kb.vector.inventory()
    assert in_vector == kb.keyword.hashes() and ids == set(in_vector)


def test_persisted_collection_reopens_in_a_new_process(kb: KnowledgeBase) -> None:
    kb.ingest()
    script = (
        "import sys, chromadb\n"
        "from chromadb.config import Settings\n"
        "import agent.knowledge.chroma_ef\n"
        "settings = Settings(anonymized_telemetry=False)\n"
        "client = chromadb.PersistentClient(path=sys.argv[1], settings=settings)\n"
        f"col = client.get_collection({COLLECTION!r})\n"
        "got = col.query(query_texts=['how much money do TikTok ads need per day'], n_results=1)\n"
        "print(got['metadatas'][0][0]['entry'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(kb.settings.index_dir / "chroma")],
        capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "tiktok-ads-budget"


def test_ensure_ready_builds_once_and_notices_changes(kb: KnowledgeBase, tmp_path: Path) -> None:
    first = kb.ensure_ready()
    assert first is not None and first.added == len(ENTRIES)
    assert kb.ensure_ready() is None
    write_knowledge(tmp_path / "knowledge", {"smo/new.md": ENTRIES["smo/reply-times.md"].replace(
        "id: reply-time-expectations", "id: reply-time-copy")})
    assert kb.ensure_ready().added == 1  # type: ignore[union-attr]
    kb.vector.delete(["reply-time-copy"])  # Chroma lost data behind our back
    assert kb.ensure_ready().updated == 1  # type: ignore[union-attr]
    assert kb.ensure_ready() is None


def test_parse_chroma_url() -> None:
    assert parse_chroma_url("http://127.0.0.1:8123") == ("127.0.0.1", 8123, False)
    assert parse_chroma_url("https://chroma.example.org") == ("chroma.example.org", 443, True)
    assert parse_chroma_url("localhost:9000") == ("localhost", 9000, False)
    assert parse_chroma_url("http://db") == ("db", 8000, False)
    with pytest.raises(ValueError):
        parse_chroma_url("ftp://db:21")


def test_filters_translate_for_both_indexes() -> None:
    assert chroma_where(Filters()) is None
    assert chroma_where(Filters(kind="smm")) == {"kind": "smm"}
    where = chroma_where(Filters(platform="x", goal="leads", kind="smo"))
    assert where == {"$and": [
        {"$or": [{"p_x": True}, {"p_all": True}]},
        {"$or": [{"g_leads": True}, {"g_all": True}]},
        {"kind": "smo"},
    ]}
    sql, params = Filters(platform="x").sql()
    assert params == [",x,"] and "',all,'" in sql


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(a b)", "a OR AND NOT", "* ^ - + :", "col:linkedin", "()", "x' --"]
)
def test_keyword_queries_are_escaped(kb: KnowledgeBase, query: str) -> None:
    kb.ingest()
    kb.search(query, mode="keyword")  # must not raise an FTS5 syntax error
    parts = [part for part in match_expression(query).split(" OR ") if part]
    assert all(part.startswith('"') and part.endswith('"') for part in parts)


def test_match_expression_drops_filler_words() -> None:
    assert match_expression("How often should we post on LinkedIn?") == '"often" OR "post" OR "linkedin"'
    assert match_expression("the") == '"the"'
    assert match_expression("?!") == ""


def test_the_loaded_knowledge_follows_an_added_changed_or_removed_file(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", folder)
    first = load_bundle(folder)
    assert load_bundle(folder) is first  # nothing changed: the same bundle, not read again
    entry = next(iter(sorted((folder / "smo").glob("*.md"))))
    entry_id = re.search(r"^id: (\S+)$", entry.read_text(), re.MULTILINE).group(1)  # type: ignore[union-attr]
    copy = entry.with_name("copy.md")
    copy.write_text(entry.read_text().replace(f"id: {entry_id}", "id: copied-entry"), encoding="utf-8")
    assert "copied-entry" in load_bundle(folder).entries
    copy.write_text(copy.read_text().replace("id: copied-entry", "id: renamed-entry"), encoding="utf-8")
    os.utime(copy, ns=(0, 0))  # an older time than any file: only the size tells the change
    assert "renamed-entry" in load_bundle(folder).entries
    copy.unlink()
    assert set(load_bundle(folder).entries) == set(first.entries)
