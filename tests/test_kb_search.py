"""Knowledge search: dense, keyword and hybrid rankings, filters, the public API, and the eval set."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from agent.knowledge.entries import Entry
from agent.knowledge.search import Hit, KnowledgeBase, rrf
from agent.model.settings import PROJECT_ROOT
from bench.retrieval import evaluate
from tests.conftest_kb import ENTRIES, kb_settings, write_knowledge

MODES = ("dense", "keyword", "hybrid")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("kb")
    write_knowledge(root / "knowledge")
    base = KnowledgeBase(kb_settings(root))
    base.ingest()
    yield base
    base.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("what day and hour should a B2B company publish on LinkedIn", "linkedin-posting-times"),
        ("how many hashtags per Instagram post", "instagram-hashtags"),
        ("smallest daily spend for TikTok advertising", "tiktok-ads-budget"),
        ("customers expect an answer to their DMs", "reply-time-expectations"),
        ("how to split paid money between brand building and activation", "brand-activation-split"),
        ("make people click my YouTube videos", "youtube-thumbnails"),
        ("get website visitors from Pinterest search", "pinterest-keyword-pins"),
    ],
)
def test_each_mode_finds_the_right_entry(kb: KnowledgeBase, mode: str, query: str, expected: str) -> None:
    hits = kb.search(query, k=3, mode=mode)  # type: ignore[arg-type]
    assert hits and hits[0].id == expected, [h.id for h in hits]


def test_dense_finds_paraphrases_without_shared_words(kb: KnowledgeBase) -> None:
    hits = kb.search("cover image that makes viewers tap a clip", k=1, mode="dense")
    assert hits[0].id == "youtube-thumbnails"


def test_hits_carry_display_fields(kb: KnowledgeBase) -> None:
    hit = kb.search("LinkedIn posting schedule", k=1)[0]
    assert isinstance(hit, Hit)
    assert hit.id == "linkedin-posting-times" and hit.kind == "smo" and hit.platforms == ["linkedin"]
    assert hit.title.startswith("Best times") and "LinkedIn timing study" in hit.source and hit.score > 0


def test_scores_are_descending_and_k_is_respected(kb: KnowledgeBase) -> None:
    for mode in MODES:
        hits = kb.search("budget for ads", k=4, mode=mode)  # type: ignore[arg-type]
        assert len(hits) <= 4
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("mode", MODES)
def test_platform_filter_keeps_entries_for_it_or_all(kb: KnowledgeBase, mode: str) -> None:
    hits = kb.search("best time to post", k=10, platform="instagram", mode=mode)  # type: ignore[arg-type]
    assert hits
    assert all("instagram" in h.platforms or "all" in h.platforms for h in hits)
    assert "linkedin-posting-times" not in [h.id for h in hits]


@pytest.mark.parametrize("mode", MODES)
def test_kind_and_goal_filters(kb: KnowledgeBase, mode: str) -> None:
    smm = kb.search("budget", k=10, kind="smm", mode=mode)  # type: ignore[arg-type]
    assert smm and {h.kind for h in smm} == {"smm"}
    leads = kb.search("when to post", k=10, goal="leads", mode=mode)  # type: ignore[arg-type]
    assert {h.id for h in leads} <= {"linkedin-posting-times", "brand-activation-split"}  # leads or all
    both = kb.search("budget", k=10, kind="smm", platform="tiktok", goal="sales", mode=mode)  # type: ignore[arg-type]
    assert {h.id for h in both} <= {"tiktok-ads-budget", "brand-activation-split"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"platform": "myspace"}, "unknown platform"), ({"kind": "seo"}, "unknown kind"),
     ({"goal": "fame"}, "unknown goal"), ({"mode": "fuzzy"}, "unknown mode")],
)
def test_bad_filters_raise(kb: KnowledgeBase, arguments: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kb.search("anything", **arguments)  # type: ignore[arg-type]


def test_empty_query_and_no_match(kb: KnowledgeBase) -> None:
    assert kb.search("   ") == []
    assert kb.search("zzzqqq", mode="keyword") == []


def test_get_returns_whole_entries_in_order(kb: KnowledgeBase) -> None:
    got = kb.get(["youtube-thumbnails", "nope", "instagram-hashtags"])
    assert [e.id for e in got] == ["youtube-thumbnails", "instagram-hashtags"]
    assert isinstance(got[0], Entry) and got[0].body.startswith("A readable face") and got[0].year == 2024


def test_stats(kb: KnowledgeBase) -> None:
    stats = kb.stats()
    assert stats["entries"] == len(ENTRIES) and stats["by_kind"] == {"smm": 2, "smo": 5}
    assert stats["chunks"] >= len(ENTRIES) and stats["current"] is True and stats["ingested_at"]


def test_rrf_fuses_rankings() -> None:
    fused = rrf([["a", "b", "c"], ["b", "c", "d"]])
    assert [item for item, _ in fused] == ["b", "c", "a", "d"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


EVAL_FILE = PROJECT_ROOT / "tests" / "data" / "retrieval_eval.yaml"


@pytest.fixture(scope="module")
def shipped_eval(tmp_path_factory: pytest.TempPathFactory, shared_index: Path) -> dict[str, Any]:
    """The benchmark's numbers on the shipped knowledge folder, in a copy of the session's index of it (the same
    ingest, so the same vectors; evaluate() brings the copy up to date first and builds it if nothing planned yet)."""
    index = tmp_path_factory.mktemp("eval-index")
    shutil.copytree(shared_index, index, dirs_exist_ok=True)
    return evaluate(PROJECT_ROOT / "knowledge", EVAL_FILE, index)


def test_eval_set_is_large_enough_and_names_real_entries(shipped_eval: dict[str, Any]) -> None:
    assert shipped_eval["questions"] >= 40  # evaluate() also fails on an id that is not in the index


def test_eval_set_hybrid_beats_each_single_method(shipped_eval: dict[str, Any]) -> None:
    recall = {mode: shipped_eval[mode]["recall@5"] for mode in MODES}
    mrr = {mode: shipped_eval[mode]["mrr"] for mode in MODES}
    assert recall["hybrid"] >= recall["dense"] and recall["hybrid"] >= recall["keyword"], recall
    assert mrr["hybrid"] >= mrr["dense"] and mrr["hybrid"] >= mrr["keyword"], mrr
    assert recall["hybrid"] >= 0.85, recall
