"""Batched retrieval and lighter rendering give the same results as the one-query-at-a-time path.

No test here measures time: `make bench` (bench/throughput.py) does that.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import markdown
import numpy as np
import pytest
import yaml

import agent.knowledge.embedding as embedding
from agent.api.batch import pool_size
from agent.knowledge import search
from agent.knowledge.bundle import load_bundle
from agent.knowledge.keyword import Filters
from agent.knowledge.retrieval import plan_queries, retrieve_practices
from agent.knowledge.search import DEPTH, Hit, KnowledgeBase, Query, check_filters, rrf
from agent.knowledge.store import clear_query_vectors, query_vectors
from agent.model.brief import Platform
from agent.model.plan import Strategy
from agent.model.settings import PROJECT_ROOT, Settings
from agent.render import files
from agent.render.document import MARKDOWN_CONFIG, MARKDOWN_EXTENSIONS, UNUSED_INLINE, markdown_to_html, render_markdown
from agent.render.files import calendar_ics
from bench.retrieval import evaluate
from tests.conftest import EXAMPLES, example
from tests.conftest_kb import ENTRIES, kb_settings, write_knowledge

EVAL = PROJECT_ROOT / "tests" / "data" / "retrieval_eval.yaml"


class OneByOne:
    """Retrieval one query at a time, the way it was before batching: Chroma with a `where` filter for
    the dense ranking (every chunk asked for, so exact) and one SQL bm25 query for the keyword ranking,
    fused by RRF, display fields from SQLite."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def search(self, query: str, k: int = 5, platform: str | None = None, kind: str | None = None,
               goal: str | None = None, mode: str = "hybrid") -> list[Hit]:
        filters = check_filters(platform, kind, goal, mode)
        if k < 1 or not query.strip():
            return []
        depth = max(DEPTH, k)
        dense = self.kb.vector.chroma_query(query, depth, filters, exhaustive=True) if mode != "keyword" else []
        words = self.kb.keyword.search(query, depth, filters) if mode != "dense" else []
        if mode == "dense":
            ranked = [(i, score) for i, score, _ in dense]
        elif mode == "keyword":
            ranked = words
        else:
            ranked = rrf([[i for i, _, _ in dense], [i for i, _ in words]])
        rows = self.kb.keyword.rows(i for i, _ in ranked[:k])
        return [Hit(id=i, title=rows[i].title, kind=rows[i].kind, source=rows[i].source, score=round(score, 6),
                    platforms=rows[i].platforms) for i, score in ranked[:k]]


@pytest.fixture(scope="module")
def shipped(shared_index: Path) -> KnowledgeBase:
    """The shipped knowledge in the session's index (built here if no test planned yet)."""
    kb = KnowledgeBase(Settings(index_dir=shared_index))
    kb.ensure_ready()
    yield kb
    kb.close()


@pytest.fixture
def small(tmp_path: Path) -> KnowledgeBase:
    write_knowledge(tmp_path / "knowledge")
    kb = KnowledgeBase(kb_settings(tmp_path))
    kb.ensure_ready()
    yield kb
    kb.close()


def _eval_questions() -> list[dict[str, Any]]:
    return yaml.safe_load(EVAL.read_text(encoding="utf-8"))["questions"]


def _platforms(name: str) -> list[str]:
    brief = example(name)
    return [p.value for p in Platform if p not in brief.exclude_platforms]


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_batched_retrieval_equals_one_query_at_a_time(shipped: KnowledgeBase, name: str) -> None:
    brief, platforms = example(name), _platforms(name)
    known = set(load_bundle(PROJECT_ROOT / "knowledge").entries)
    one_by_one = retrieve_practices(OneByOne(shipped), brief, platforms, known)
    batched = retrieve_practices(shipped, brief, platforms, known)
    assert batched == one_by_one
    queries = [query for _, query in plan_queries(brief, platforms)]
    assert len(queries) > 10
    assert shipped.search_many(queries) == [OneByOne(shipped).search(*query) for query in queries]  # RRF scores too


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "dense"])
def test_search_many_equals_one_query_at_a_time_on_the_eval_set(shipped: KnowledgeBase, mode: str) -> None:
    questions = _eval_questions()
    queries = [Query(item["q"], 10, item.get("platform"), mode=mode) for item in questions]  # type: ignore[arg-type]
    queries += [Query(item["q"], 3, goal="leads", kind="smm", mode=mode) for item in questions[:10]]  # type: ignore[arg-type]
    batched = shipped.search_many(queries)
    single = [OneByOne(shipped).search(*query) for query in queries]
    assert [[h.id for h in hits] for hits in batched] == [[h.id for h in hits] for hits in single]
    if mode == "dense":  # cosine from the matrix product and from Chroma differ in the 7th decimal
        for many, one in zip(batched, single, strict=True):
            assert [h.score for h in many] == pytest.approx([h.score for h in one], abs=1e-5)
    else:
        assert batched == single
    assert batched == [shipped.search(*query) for query in queries]


def test_exact_dense_ranking_never_trails_hnsw(shipped: KnowledgeBase) -> None:
    version = "|".join(f"{k}={v}" for k, v in shipped.keyword.meta().items())
    for item in _eval_questions():
        filters = check_filters(item.get("platform"), None, None)
        exact = shipped.vector.query_many([(item["q"], filters)], DEPTH, version)[0]
        approximate = shipped.vector.chroma_query(item["q"], DEPTH, filters)
        assert len(exact) >= len(approximate)
        for (_, best, _), (_, found, _) in zip(exact, approximate, strict=False):
            assert best >= found - 1e-5  # position by position: HNSW may miss a nearer chunk, never the reverse


@pytest.mark.parametrize(
    "query",
    [
        "how often to post on LinkedIn",
        "post posting posts posted",  # several words with one stem: FTS5 scores each phrase
        "app_installs e-commerce B2B2C",
        "what is the",  # stopwords only: they are kept
        "Café déjà vu naïve",
        "zzzz qqqq",
        "",
        "!!! ???",
    ],
)
def test_cached_keyword_scores_equal_sqlite(shipped: KnowledgeBase, query: str) -> None:
    version = "|".join(f"{k}={v}" for k, v in shipped.keyword.meta().items())
    for filters in (Filters(), Filters(platform="linkedin"), Filters(goal="sales", kind="smm"),
                    Filters(platform="tiktok", goal="awareness")):
        for limit in (1, 5, 30):
            assert shipped.keyword.search_cached(query, limit, filters, version) == \
                shipped.keyword.search(query, limit, filters)


def test_search_many_keeps_order_depth_and_bad_input(small: KnowledgeBase) -> None:
    queries = [Query("LinkedIn posting times", 1), Query("", 5), Query("budget", 0),
               Query("budget for ads", 40, kind="smm"), Query("hashtags", 2, mode="keyword")]
    assert small.search_many(queries) == [small.search(*query) for query in queries]
    assert small.search_many([]) == []
    with pytest.raises(ValueError, match="unknown platform"):
        small.search_many([Query("x", platform="myspace")])


def test_query_vectors_equal_the_model_and_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["best time to post on LinkedIn", "Instagram hashtags", "best time to post on LinkedIn"]
    clear_query_vectors()
    seen: list[str] = []
    real = embedding.embed

    def spy(batch: list[str], model_dir: Path = embedding.MODEL_DIR) -> np.ndarray:
        seen.extend(batch)
        return real(batch, model_dir)

    monkeypatch.setattr(embedding, "embed", spy)
    first = query_vectors(texts)
    again = query_vectors(texts[::-1])
    assert seen == ["best time to post on LinkedIn", "Instagram hashtags"]  # each text once
    assert np.array_equal(first, real(texts))  # one text per run: a vector does not depend on its batch
    assert np.array_equal(again, first[::-1])


def test_an_ingest_elsewhere_is_seen_by_the_batched_path(small: KnowledgeBase, tmp_path: Path) -> None:
    probe = [Query("how fast to answer customer messages", 3), Query("reply to DMs", 3, mode="keyword")]
    assert small.search_many(probe)[0][0].id == "reply-time-expectations"
    other = KnowledgeBase(small.settings)  # another process on the same index
    write_knowledge(tmp_path / "knowledge", {"smo/reply-times.md": ENTRIES["smo/reply-times.md"].replace(
        "id: reply-time-expectations", "id: answer-times")})
    assert other.ensure_ready() is not None
    other.close()
    assert small.search_many(probe) == [small.search(*query) for query in probe]
    assert small.search_many(probe)[0][0].id == "answer-times"


def test_search_many_from_many_threads(small: KnowledgeBase) -> None:
    queries = [Query(text, 3) for text in ("LinkedIn times", "TikTok budget", "Pinterest search", "thumbnails")]
    expected = small.search_many(queries)
    results: list[object] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(small.search_many(queries))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and results == [expected] * 20


def test_shared_knowledge_base_is_one_per_index(tmp_path: Path) -> None:
    first = search.shared(kb_settings(tmp_path))
    assert search.shared(kb_settings(tmp_path)) is first
    assert search.shared(kb_settings(tmp_path / "other")) is not first


def test_readiness_hashes_only_when_files_change(small: KnowledgeBase, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "knowledge"
    old = time.time() - 3600
    for path in root.rglob("*.md"):
        os.utime(path, (old, old))
    assert small.ensure_ready() is None
    hashed: list[Path] = []
    real = search.folder_fingerprint
    monkeypatch.setattr(search, "folder_fingerprint", lambda folder: hashed.append(folder) or real(folder))
    assert small.ensure_ready() is None and small.ensure_ready() is None
    assert hashed == []  # settled files, hashed once above: known by name, size and time since
    target = root / "smo" / "reply-times.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("24 hours", "48 hours"), encoding="utf-8")  # same size
    os.utime(target, (old + 1, old + 1))
    report = small.ensure_ready()
    assert report is not None and report.updated == 1


def fresh_html(text: str, references: bool) -> str:
    config = {} if references else MARKDOWN_CONFIG
    converter = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), extension_configs=config, output_format="html")
    for name in () if references else UNUSED_INLINE:
        converter.inlinePatterns.deregister(name)
    return converter.convert(text)


def test_markdown_converter_reuse_gives_markdown_output() -> None:
    with_refs = "A [link][ref] and *emphasis*.\n\n[ref]: https://example.com\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    without = "Now [link](https://x.org) is a link.\n\n1. one\n2. two\n\n<b>raw</b> &amp; ![i](a.png)\n"
    for text in (with_refs, without, with_refs, without):
        assert markdown_to_html(text) == fresh_html(text, references=False)
    assert markdown_to_html(without) == fresh_html(without, references=True)  # inline links and images stay
    assert "<a" not in markdown_to_html(with_refs)  # the documents never write reference-style links
    assert "[TOC]" in markdown_to_html("## A\n\n[TOC]\n")  # a client's [TOC] is text, not a contents list
    never_written = "Use `#ad` on <a@b.co>  \nnext"  # a code span, a mail autolink, a hard line break
    assert markdown_to_html(never_written) == "<p>Use `#ad` on &lt;a@b.co&gt;  \nnext</p>"


def test_the_strategy_document_converts_as_full_markdown_would() -> None:
    text = render_markdown(_fixture_strategy())
    assert "](" in text and markdown_to_html(text) == fresh_html(text, references=True)


def _fixture_strategy() -> Strategy:
    return Strategy.model_validate_json((PROJECT_ROOT / "tests" / "fixtures" / "strategy.json").read_text())


TRICKY = ["a, b; c", "back\\slash\\N and ^caret^", "line\nbreak\r\nand\rreturn", "é€😀—" * 12, "x" * 66,
          "y" * 67, "z" * 68, "w" * 140, 'quote " colon: semi;', ""]


def test_event_lines_are_icalendars_event_bytes() -> None:
    strategy = _fixture_strategy()
    stamp = strategy.created_at.astimezone(dt.UTC)
    posts = [post.model_copy(update={"topic": topic, "pillar": pillar or "p", "note": note})
             for post, (topic, pillar, note) in zip(strategy.calendar * 20,
                                                    itertools.product(TRICKY, TRICKY[:4], TRICKY[-4:]), strict=False)]
    for post in posts:
        expected = files._event(strategy, post, stamp, set()).to_ical()
        assert files._event_lines(post, files.post_uid(strategy, post, set()), stamp) == expected


def test_calendar_ics_equals_icalendars_calendar() -> None:
    strategy = _fixture_strategy()
    assert len({post.timezone for post in strategy.calendar}) == 1
    assert calendar_ics(strategy) == files._calendar(strategy, strategy.calendar).to_ical()
    tricky = [post.model_copy(update={"topic": text, "pillar": text or "p"})
              for post, text in zip(strategy.calendar, TRICKY, strict=False)]
    for posts in (tricky, tricky[:1], []):
        changed = strategy.model_copy(update={"calendar": posts})
        assert calendar_ics(changed) == files._calendar(changed, posts).to_ical()
    two_zones = [tricky[0], tricky[1].model_copy(update={"timezone": "Europe/Berlin"}), *tricky[2:]]
    changed = strategy.model_copy(update={"calendar": two_zones})
    assert b"TZID:Europe/Berlin" in calendar_ics(changed)
    assert calendar_ics(changed) == files._calendar(changed, two_zones).to_ical()


def test_offline_batches_use_no_more_threads_than_cores() -> None:
    cores = os.cpu_count() or 1
    assert pool_size(4, llm=True) == 4 and pool_size(64, llm=False) == cores and pool_size(0, llm=False) == 1


def test_retrieval_benchmark_batched_row_equals_hybrid(tmp_path: Path, shared_index: Path) -> None:
    index = tmp_path / "index"
    shutil.copytree(shared_index, index, dirs_exist_ok=True)
    results = evaluate(PROJECT_ROOT / "knowledge", EVAL, index)
    batched, hybrid = results["batched"], results["hybrid"]
    for key in ("recall@5", "hit@5", "mrr", "misses"):
        assert batched[key] == hybrid[key], key
