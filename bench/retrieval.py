"""Retrieval benchmark: recall@5 and MRR of dense, keyword and hybrid search on the eval set.

    .venv/bin/python bench/retrieval.py [--knowledge knowledge/] [--eval tests/data/retrieval_eval.yaml]
                                       [--misses]

Builds a fresh index in a temporary folder (that is the ingest time printed), runs every question of
the eval set in each mode with k=5, and prints per mode: recall@5 (share of a question's relevant
entries found in the top 5, capped at 5, averaged), hit@5 (a relevant entry in the top 5), MRR (mean
of 1 / rank of the first relevant entry, 0 past rank 10), and query latency p50/p95 (warm, one query
at a time, each question's vector computed in that mode: the process's query-vector cache is emptied
before each mode). A last row, `batched`, asks every question at once (`search_many`, hybrid, as a
plan's retrieval does); its metrics must equal hybrid's, and its latency is the batch's time per
question. `--misses` lists the questions a mode answers with no relevant entry in the top 5.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from agent.knowledge.search import KnowledgeBase, Query  # noqa: E402
from agent.knowledge.store import clear_query_vectors  # noqa: E402
from agent.model.settings import Settings  # noqa: E402

MODES = ("dense", "keyword", "hybrid")
ROWS = (*MODES, "batched")
K = 5
MRR_DEPTH = 10


def load_eval(path: Path) -> list[dict[str, Any]]:
    """The questions: each a dict with `q` and `relevant` (entry ids), optionally `platform`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = data["questions"]
    for item in questions:
        if not item.get("q") or not item.get("relevant"):
            raise ValueError(f"{path}: every question needs q and relevant: {item!r}")
    return questions


def score(ranked: list[str], relevant: list[str]) -> tuple[float, float, float]:
    """(recall@K, hit@K, reciprocal rank within MRR_DEPTH) of one ranking."""
    found = len(set(ranked[:K]) & set(relevant))
    recall = found / min(len(relevant), K)
    first = next((rank for rank, item in enumerate(ranked[:MRR_DEPTH], 1) if item in relevant), None)
    return recall, float(found > 0), 1.0 / first if first else 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_mode(kb: KnowledgeBase, questions: list[dict[str, Any]], mode: str) -> dict[str, Any]:
    """Metrics of one mode over all questions, plus the missed questions."""
    clear_query_vectors()
    if mode == "batched":
        started = time.perf_counter()
        answers = kb.search_many([Query(item["q"], MRR_DEPTH, item.get("platform")) for item in questions])
        each = (time.perf_counter() - started) * 1000 / max(1, len(questions))
        return _metrics(questions, answers, [each] * len(questions))
    answers, latencies = [], []
    for item in questions:
        started = time.perf_counter()
        answers.append(kb.search(item["q"], k=MRR_DEPTH, platform=item.get("platform"), mode=mode))  # type: ignore[arg-type]
        latencies.append((time.perf_counter() - started) * 1000)
    return _metrics(questions, answers, latencies)


def _metrics(questions: list[dict[str, Any]], answers: list[list[Any]], latencies: list[float]) -> dict[str, Any]:
    recalls, hits, rrs, misses = [], [], [], []
    for item, found in zip(questions, answers, strict=True):
        recall, hit, rr = score([h.id for h in found], item["relevant"])
        recalls.append(recall)
        hits.append(hit)
        rrs.append(rr)
        if not hit:
            misses.append(f"{item['q']} -> {[h.id for h in found[:3]]}")
    return {
        "recall@5": statistics.fmean(recalls), "hit@5": statistics.fmean(hits), "mrr": statistics.fmean(rrs),
        "p50_ms": _percentile(latencies, 0.5), "p95_ms": _percentile(latencies, 0.95), "misses": misses,
    }


def evaluate(knowledge_dir: Path, eval_file: Path, index_dir: Path) -> dict[str, Any]:
    """Fresh ingest of `knowledge_dir` into `index_dir`, then every mode over the eval set."""
    questions = load_eval(eval_file)
    kb = KnowledgeBase(Settings(knowledge_dir=knowledge_dir, index_dir=index_dir))
    started = time.perf_counter()
    report = kb.ingest()
    results: dict[str, Any] = {"ingest_seconds": time.perf_counter() - started, "entries": report.added,
                               "chunks": kb.vector.count(), "questions": len(questions)}
    known = set(kb.keyword.hashes())
    unknown = sorted({i for item in questions for i in item["relevant"]} - known)
    if unknown:
        raise ValueError(f"{eval_file}: ids not in the knowledge base: {', '.join(unknown)}")
    kb.search("warm up the model", mode="hybrid")
    for mode in ROWS:
        results[mode] = run_mode(kb, questions, mode)
    kb.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="Retrieval quality and speed of the knowledge base.")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--eval", type=Path, default=ROOT / "tests" / "data" / "retrieval_eval.yaml")
    parser.add_argument("--misses", action="store_true", help="list questions with no relevant hit in top 5")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socialplan-bench-") as tmp:
        results = evaluate(args.knowledge, args.eval, Path(tmp))
    print(f"{results['entries']} entries, {results['chunks']} chunks, {results['questions']} questions; "
          f"fresh ingest {results['ingest_seconds']:.1f} s")
    print(f"{'mode':8} {'recall@5':>8} {'hit@5':>6} {'MRR':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for mode in ROWS:
        r = results[mode]
        print(f"{mode:8} {r['recall@5']:8.3f} {r['hit@5']:6.3f} {r['mrr']:6.3f} "
              f"{r['p50_ms']:7.1f} {r['p95_ms']:7.1f}")
    if args.misses:
        for mode in ROWS:
            for line in results[mode]["misses"]:
                print(f"miss [{mode}] {line}")


if __name__ == "__main__":
    main()
