"""The knowledge base: ingest the curated entries, then search them by meaning, by keyword, or both.

    kb = KnowledgeBase(Settings.from_env())
    kb.ensure_ready()                                   # builds or refreshes the index when needed
    hits = kb.search("best time to post for B2B", k=5, platform="linkedin")
    entries = kb.get([h.id for h in hits])

Hybrid search (the default) fuses the dense ranking (MiniLM embeddings stored in Chroma, ranked exactly
in memory: see `store`) and the keyword ranking (SQLite FTS5 bm25, from per-word scores kept in memory:
see `keyword`) by reciprocal rank fusion: score = sum over rankings of 1 / (60 + rank).
Filters keep entries that cover the platform (or 'all' platforms), of the kind, serving the goal (or
'all' goals).

`search_many` answers many queries at once, as `search` does one by one (`search` is `search_many` of
one query): one embedding pass (query vectors are cached per process), one dense ranking pass
(`VectorStore.query_many`), the keyword rankings and one lookup of the hits' display fields. A plan's
retrieval uses it.
`shared(settings)` is the process's knowledge base for those settings, opened once and reused by every
plan; its readiness check hashes the knowledge folder only when a file's size or time changed.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from agent.knowledge.embedding import EF_NAME
from agent.knowledge.entries import Entry, entry_files, load_entries
from agent.knowledge.filters import Mode, check_filters
from agent.knowledge.ingest import IngestReport, folder_fingerprint, run_ingest
from agent.knowledge.keyword import DocRow, KeywordIndex
from agent.knowledge.store import Ranked, VectorStore
from agent.model.settings import Settings

RRF_K = 60
DEPTH = 30
"""How many entries each ranking contributes to the fusion."""
SETTLED_NS = 2_000_000_000
"""A file changed this recently may change again within the file system's clock tick: always re-hash."""


class Hit(BaseModel):
    """One search result. `score`: RRF in hybrid mode, cosine in dense mode, -bm25 in keyword mode."""

    id: str
    title: str
    kind: str
    source: str
    score: float
    platforms: list[str]


class Query(NamedTuple):
    """One search of a batch: the arguments of `KnowledgeBase.search`."""

    text: str
    k: int = 5
    platform: str | None = None
    kind: str | None = None
    goal: str | None = None
    mode: Mode = "hybrid"


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
        self._fingerprints: dict[Path, tuple[tuple[object, ...], str]] = {}
        self._ready = threading.Lock()
        self._verified: str | None = None

    def ingest(self, directory: Path | None = None) -> IngestReport:
        """Index the entries of `directory` (default: the knowledge folder), incrementally."""
        root = directory or self.settings.knowledge_dir
        if not root.is_dir():
            raise FileNotFoundError(f"knowledge folder not found: {root}")
        fingerprint = folder_fingerprint(root)
        entries, errors = load_entries(root)
        return run_ingest(entries, errors, self.vector, self.keyword, fingerprint)

    def is_current(self, directory: Path | None = None) -> bool:
        """True when the index was built from the folder as it is now, and its vectors are still there: a snapshot
        saved for this index state (no Chroma call), else as many chunks in Chroma as the ingest wrote."""
        root = directory or self.settings.knowledge_dir
        fingerprint = self._fingerprint(root)
        if self.keyword.get_meta("fingerprint") != fingerprint:
            return False
        if fingerprint == self._verified or self.vector.saved_for(self.version()):
            return True
        return self.vector.count() == int(self.keyword.get_meta("chunks") or -1)

    def version(self) -> str:
        """The index state: the keyword index's meta rows (fingerprint, chunks, time), which every complete
        ingest rewrites. The dense snapshot and the cached keyword rankings are kept per state."""
        return "|".join(f"{key}={value}" for key, value in self.keyword.meta().items())

    def _fingerprint(self, root: Path) -> str:
        """`folder_fingerprint(root)`, hashed again only when an entry file's name, size or time changed
        (or changed too recently for its time to tell)."""
        files = entry_files(root) if root.is_dir() else []
        stats = [path.stat() for path in files]
        sizes = ((str(path), stat.st_size, stat.st_mtime_ns) for path, stat in zip(files, stats, strict=True))
        signature = (str(root.resolve()), *sizes)
        known = self._fingerprints.get(root)
        if known is not None and known[0] == signature:
            return known[1]
        fingerprint = folder_fingerprint(root)
        if all(time.time_ns() - s.st_mtime_ns > SETTLED_NS for s in stats):
            self._fingerprints[root] = (signature, fingerprint)
        return fingerprint

    def ensure_ready(self, directory: Path | None = None) -> IngestReport | None:
        """Ingest when the index is missing or the folder changed; the report, or None if nothing to do.
        One thread at a time: the workers of a batch share one knowledge base."""
        with self._ready:
            return None if self.is_current(directory) else self.ingest(directory)

    def before_fork(self) -> None:
        """Get ready for forked worker processes (`socialplan batch`): the index checked and its in-memory
        snapshot loaded here, once, so the workers inherit them. Chroma's client does not survive a fork."""
        self.ensure_ready()
        self.vector.snapshot(self.version())

    def after_fork(self) -> None:
        """In a forked worker: trust the index checked before the fork (no Chroma call: its client does not
        survive one) and open SQLite connections of its own."""
        self._verified = self.keyword.get_meta("fingerprint")
        self.keyword.forget_connections()

    def search(
        self, query: str, k: int = 5, platform: str | None = None, kind: str | None = None,
        goal: str | None = None, mode: Mode = "hybrid",
    ) -> list[Hit]:
        """The `k` best entries for `query` under the filters."""
        return self.search_many([Query(query, k, platform, kind, goal, mode)])[0]

    def search_many(self, queries: list[Query]) -> list[list[Hit]]:
        """The hits of every query, in order (see the module docstring)."""
        checked = [check_filters(q.platform, q.kind, q.goal, q.mode) for q in queries]
        live = [i for i, q in enumerate(queries) if q.k >= 1 and q.text.strip()]
        depth = {i: max(DEPTH, queries[i].k) for i in live}
        dense: dict[int, Ranked] = {}
        wanted = [i for i in live if queries[i].mode != "keyword"]
        version = self.version() if live else ""
        if wanted:
            for deep in sorted({depth[i] for i in wanted}):  # one ranking pass per depth (usually one)
                group = [i for i in wanted if depth[i] == deep]
                found = self.vector.query_many([(queries[i].text, checked[i]) for i in group], deep, version)
                dense.update(zip(group, found, strict=True))
        ranked: dict[int, list[tuple[str, float]]] = {}
        for i in live:
            query, vectors, words = queries[i], dense.get(i, []), []
            if query.mode != "dense":
                words = self.keyword.search_cached(query.text, depth[i], checked[i], version)
            if query.mode == "dense":
                order = [(entry_id, score) for entry_id, score, _ in vectors]
            elif query.mode == "keyword":
                order = words
            else:
                order = rrf([[entry_id for entry_id, _, _ in vectors], [entry_id for entry_id, _ in words]])
            ranked[i] = order[: query.k]
        rows = self.keyword.rows(dict.fromkeys(entry_id for order in ranked.values() for entry_id, _ in order))
        out: list[list[Hit]] = []
        for i in range(len(queries)):
            metas = {entry_id: meta for entry_id, _, meta in dense.get(i, [])}
            out.append([_hit(rows.get(entry_id) or _row_from_meta(entry_id, metas[entry_id]), score)
                        for entry_id, score in ranked.get(i, []) if entry_id in rows or entry_id in metas])
        return out

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


_SHARED: dict[tuple[str, str, str], KnowledgeBase] = {}
_SHARED_LOCK = threading.Lock()


def shared(settings: Settings) -> KnowledgeBase:
    """The process's knowledge base for these settings' index, folder and Chroma server: opened on first
    use, then reused by every plan of the process (call `ensure_ready` before searching; never close it)."""
    key = (str(settings.index_dir.resolve()), str(settings.knowledge_dir.resolve()), settings.chroma_url or "")
    with _SHARED_LOCK:
        kb = _SHARED.get(key)
        if kb is None:
            kb = _SHARED[key] = KnowledgeBase(settings)
        return kb


def _row_from_meta(entry_id: str, meta: dict) -> DocRow:
    platforms = [p for p in str(meta.get("platforms", "")).split(",") if p]
    return DocRow(entry_id, str(meta["title"]), str(meta["kind"]), str(meta["source"]), platforms)


def _hit(row: DocRow, score: float) -> Hit:
    return Hit(id=row.id, title=row.title, kind=row.kind, source=row.source, score=round(score, 6),
               platforms=row.platforms)
