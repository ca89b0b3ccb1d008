"""The knowledge base: ingest the curated entries, then search them by meaning, by keyword, or both.

    kb = KnowledgeBase(Settings.from_env())
    kb.ensure_ready()                                   # builds or refreshes the index when needed
    hits = kb.search("best time to post for B2B", k=5, platform="linkedin")
    entries = kb.get([h.id for h in hits])

Hybrid search (the default) fuses the dense ranking (Chroma, MiniLM embeddings) and the keyword
ranking (SQLite FTS5, bm25) by reciprocal rank fusion: score = sum over rankings of 1 / (60 + rank).
Filters keep entries that cover the platform (or 'all' platforms), of the kind, serving the goal (or
'all' goals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from agent.knowledge.embedding import EF_NAME
from agent.knowledge.entries import Entry, load_entries
from agent.knowledge.ingest import IngestReport, folder_fingerprint, run_ingest
from agent.knowledge.keyword import DocRow, Filters, KeywordIndex
from agent.knowledge.store import VectorStore
from agent.model.brief import Goal, Platform
from agent.model.settings import Settings

Mode = Literal["hybrid", "dense", "keyword"]
MODES: tuple[str, ...] = ("hybrid", "dense", "keyword")
KINDS: tuple[str, ...] = ("smo", "smm")
RRF_K = 60
DEPTH = 30
"""How many entries each ranking contributes to the fusion."""


class Hit(BaseModel):
    """One search result. `score`: RRF in hybrid mode, cosine in dense mode, -bm25 in keyword mode."""

    id: str
    title: str
    kind: str
    source: str
    score: float
    platforms: list[str]


def check_filters(platform: str | None, kind: str | None, goal: str | None, mode: str = "hybrid") -> Filters:
    """Validated filters; ValueError names the bad value and the allowed ones."""
    checks = [
        ("platform", platform, [p.value for p in Platform]),
        ("kind", kind, list(KINDS)),
        ("goal", goal, [g.value for g in Goal]),
        ("mode", mode, list(MODES)),
    ]
    for label, value, allowed in checks:
        if value is not None and value not in allowed:
            raise ValueError(f"unknown {label} {value!r} (expected one of: {', '.join(allowed)})")
    return Filters(platform=platform, kind=kind, goal=goal)


def rrf(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists, best first (ties keep first-seen order)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


class KnowledgeBase:
    """Both indexes behind one object. Opening is cheap; Chroma and the model load on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.vector = VectorStore(settings)
        self.keyword = KeywordIndex(settings.index_dir / "keyword.sqlite")

    def ingest(self, directory: Path | None = None) -> IngestReport:
        """Index the entries of `directory` (default: the knowledge folder), incrementally."""
        root = directory or self.settings.knowledge_dir
        if not root.is_dir():
            raise FileNotFoundError(f"knowledge folder not found: {root}")
        fingerprint = folder_fingerprint(root)
        entries, errors = load_entries(root)
        return run_ingest(entries, errors, self.vector, self.keyword, fingerprint)

    def is_current(self, directory: Path | None = None) -> bool:
        """True when the index was built from the folder as it is now, and Chroma still holds it."""
        root = directory or self.settings.knowledge_dir
        if self.keyword.get_meta("fingerprint") != folder_fingerprint(root):
            return False
        return self.vector.count() == int(self.keyword.get_meta("chunks") or -1)

    def ensure_ready(self, directory: Path | None = None) -> IngestReport | None:
        """Ingest when the index is missing or the folder changed; the report, or None if nothing to do."""
        return None if self.is_current(directory) else self.ingest(directory)

    def search(
        self, query: str, k: int = 5, platform: str | None = None, kind: str | None = None,
        goal: str | None = None, mode: Mode = "hybrid",
    ) -> list[Hit]:
        """The `k` best entries for `query` under the filters."""
        filters = check_filters(platform, kind, goal, mode)
        if k < 1 or not query.strip():
            return []
        depth = max(DEPTH, k)
        dense = self.vector.query(query, depth, filters) if mode != "keyword" else []
        words = self.keyword.search(query, depth, filters) if mode != "dense" else []
        if mode == "dense":
            ranked = [(i, score) for i, score, _ in dense]
        elif mode == "keyword":
            ranked = words
        else:
            ranked = rrf([[i for i, _, _ in dense], [i for i, _ in words]])
        ranked = ranked[:k]
        rows = self.keyword.rows(i for i, _ in ranked)
        fallback = {i: _row_from_meta(i, meta) for i, _, meta in dense}
        return [_hit(rows.get(i) or fallback[i], score) for i, score in ranked if i in rows or i in fallback]

    def get(self, ids: list[str]) -> list[Entry]:
        """The indexed entries with these ids, in the order asked (unknown ids are skipped)."""
        found = self.keyword.entries(ids)
        return [found[i] for i in ids if i in found]

    def stats(self) -> dict[str, object]:
        """Counts and where the index lives."""
        return {
            "entries": sum(self.keyword.count_by("kind").values()),
            "by_kind": self.keyword.count_by("kind"),
            "chunks": self.vector.count(),
            "store": self.settings.chroma_url or str(self.settings.index_dir / "chroma"),
            "keyword_index": str(self.keyword.path),
            "embedding": EF_NAME,
            "ingested_at": self.keyword.get_meta("ingested_at"),
            "current": self.is_current(),
        }

    def close(self) -> None:
        self.keyword.close()


def _row_from_meta(entry_id: str, meta: dict) -> DocRow:
    platforms = [p for p in str(meta.get("platforms", "")).split(",") if p]
    return DocRow(entry_id, str(meta["title"]), str(meta["kind"]), str(meta["source"]), platforms)


def _hit(row: DocRow, score: float) -> Hit:
    return Hit(id=row.id, title=row.title, kind=row.kind, source=row.source, score=round(score, 6),
               platforms=row.platforms)
