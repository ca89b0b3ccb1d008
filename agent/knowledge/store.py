"""Vector side of the knowledge base: a Chroma collection embedded with the shipped MiniLM model.

Embedded by default (`PersistentClient` at `index_dir/chroma`); when `settings.chroma_url` is set, a
Chroma server is used instead (`HttpClient`). Telemetry is off either way.

Each entry is stored as one or more chunks (`<entry id>::<n>`). Every chunk carries the entry's
metadata: `entry`, `kind`, `year`, `title`, `source`, `hash` (content hash), `chunks` (how many the
entry has), a comma string of `platforms`, and one boolean key per platform, goal and stage that the
entry covers (`p_linkedin`, `p_all`, `g_leads`, `s_early`...), because Chroma metadata values are
scalars and `where` filters need a key to test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from agent.knowledge.embedding import MiniLMEmbedding
from agent.knowledge.keyword import NO_FILTERS, Filters
from agent.model.settings import Settings

COLLECTION = "socialplan-knowledge"
BATCH = 256


@dataclass(frozen=True)
class Chunk:
    """One embedded piece of an entry."""

    id: str
    text: str
    metadata: dict[str, Any]


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, ssl) from 'http://host:port' or 'https://host'; a bare 'host:port' means http."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"not a Chroma server URL: {url!r} (expected http://host:port)")
    ssl = parsed.scheme == "https"
    return parsed.hostname, parsed.port or (443 if ssl else 8000), ssl


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client for `settings`: server when chroma_url is set, else embedded."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        host, port, ssl = parse_chroma_url(settings.chroma_url)
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def chroma_where(filters: Filters) -> dict[str, Any] | None:
    """The Chroma `where` clause for `filters`, or None when nothing is filtered."""
    parts: list[dict[str, Any]] = []
    if filters.platform:
        parts.append({"$or": [{f"p_{filters.platform}": True}, {"p_all": True}]})
    if filters.goal:
        parts.append({"$or": [{f"g_{filters.goal}": True}, {"g_all": True}]})
    if filters.kind:
        parts.append({"kind": filters.kind})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


class VectorStore:
    """The Chroma collection of entry chunks."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            self._client = open_client(self.settings)
            self._collection = self._client.get_or_create_collection(
                COLLECTION,
                embedding_function=MiniLMEmbedding(),  # type: ignore[arg-type]  # chroma's generic is too narrow
                configuration={"hnsw": {"space": "cosine"}},
            )
        return self._collection

    def count(self) -> int:
        return self.collection.count()

    def inventory(self) -> tuple[dict[str, str], set[str]]:
        """(hash of each entry whose chunks are all present and agree, every entry id with any chunk)."""
        got = self.collection.get(include=["metadatas"])
        seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for meta in got["metadatas"] or []:
            seen[str(meta["entry"])].append((str(meta["hash"]), int(meta["chunks"])))  # type: ignore[arg-type]
        complete = {}
        for entry_id, chunks in seen.items():
            digests = {digest for digest, _ in chunks}
            if len(digests) == 1 and len(chunks) == chunks[0][1]:
                complete[entry_id] = digests.pop()
        return complete, set(seen)

    def delete(self, entry_ids: Iterable[str]) -> None:
        """Remove all chunks of the given entries."""
        ids = sorted(set(entry_ids))
        for start in range(0, len(ids), BATCH):
            where = {"entry": {"$in": ids[start : start + BATCH]}}
            self.collection.delete(where=where)  # type: ignore[arg-type]  # chroma's Where is invariant

    def replace(self, entry_ids: Iterable[str], chunks: list[Chunk]) -> None:
        """Delete the old chunks of `entry_ids`, then add `chunks` (embedded here, in batches)."""
        self.delete(entry_ids)
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            self.collection.upsert(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.metadata for c in batch],  # type: ignore[misc]
            )

    def query(self, text: str, limit: int, filters: Filters = NO_FILTERS) -> list[tuple[str, float, dict]]:
        """Best entries for `text` as (entry id, cosine similarity, metadata), best chunk per entry."""
        total = self.count()
        if total == 0:
            return []
        got = self.collection.query(
            query_texts=[text], n_results=min(total, limit * 4), where=chroma_where(filters),
            include=["metadatas", "distances"],
        )
        best: dict[str, tuple[str, float, dict]] = {}
        for meta, distance in zip(got["metadatas"][0], got["distances"][0], strict=True):  # type: ignore[index]
            entry_id = str(meta["entry"])
            if entry_id not in best:  # results come best first
                best[entry_id] = (entry_id, 1.0 - float(distance), dict(meta))
        return list(best.values())[:limit]
