"""Vector side of the knowledge base: a Chroma collection embedded with the shipped MiniLM model.

Embedded by default (`PersistentClient` at `index_dir/chroma`); when `settings.chroma_url` is set, a
Chroma server is used instead (`HttpClient`). Telemetry is off either way.

Each entry is stored as one or more chunks (`<entry id>::<n>`). Every chunk carries the entry's
metadata: `entry`, `kind`, `year`, `title`, `source`, `hash` (content hash), `chunks` (how many the
entry has), a comma string of `platforms`, and one boolean key per platform, goal and stage that the
entry covers (`p_linkedin`, `p_all`, `g_leads`, `s_early`...), because Chroma metadata values are
scalars and `where` filters need a key to test.

Searching ranks exactly: `query_many` keeps a snapshot of every chunk's vector and metadata in memory
(loaded once per index state, at most `SNAPSHOT_LIMIT` chunks; with the embedded store also saved beside it,
see `snapshot`, so the next process needs no Chroma), scores each query text against every
chunk with one matrix-vector product (the cosine Chroma computes, but over all chunks: HNSW is an
approximation that can miss a nearer chunk, and which ones it misses depends on how the index was
built) and applies the filters in code, the same tests `chroma_where` asks Chroma for. Above the
limit, or when asked (`chroma_query`), Chroma's HNSW answers one text at a time with a `where` filter.
Query texts are embedded once per process (`query_vectors`, an LRU keyed by text): vectors are computed
one text per ONNX run either way, so a cached vector is the one Chroma would have computed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from agent.knowledge import embedding
from agent.knowledge.embedding import DIMENSIONS, MODEL_DIR
from agent.knowledge.keyword import NO_FILTERS, Filters
from agent.knowledge.snapshot import Snapshot, forget_snapshot, load_snapshot, save_snapshot, saved_version
from agent.model.settings import Settings

if TYPE_CHECKING:  # chromadb (about 1 s to import) loads when a collection is opened
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

COLLECTION = "socialplan-knowledge"
BATCH = 256
DEPTH_FACTOR = 4
"""Chunks asked for per entry wanted: an entry may have several chunks among the best."""
QUERY_CACHE = 4096
"""Query vectors kept per process (1.5 KB each)."""
SNAPSHOT_LIMIT = 50_000
"""Above this many chunks `query_many` asks Chroma per text instead of holding every vector in memory."""
SNAPSHOT_FILE = "dense-snapshot.npz"
"""The snapshot saved beside the embedded Chroma folder, so the next process ranks without opening Chroma."""

Ranked = list[tuple[str, float, dict]]
"""Entries best first: (entry id, cosine similarity, metadata of its best chunk)."""

_VECTORS: OrderedDict[tuple[Path, str], np.ndarray] = OrderedDict()
_VECTORS_LOCK = threading.Lock()


def query_vectors(texts: list[str], model_dir: Path = MODEL_DIR) -> np.ndarray:
    """Unit vectors of `texts` (one row each), each embedded at most once per process.

    The model runs one text at a time (`embedding.BATCH`), so a vector does not depend on the texts
    embedded with it: a cached vector equals the one computed for the text alone.
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    missing: list[str] = []
    with _VECTORS_LOCK:
        for row, text in enumerate(texts):
            cached = _VECTORS.get((model_dir, text))
            if cached is None:
                missing.append(text)
            else:
                _VECTORS.move_to_end((model_dir, text))
                out[row] = cached
    if not missing:
        return out
    unique = list(dict.fromkeys(missing))
    fresh = dict(zip(unique, embedding.embed(unique, model_dir), strict=True))
    with _VECTORS_LOCK:
        for text, vector in fresh.items():
            _VECTORS[(model_dir, text)] = vector
            _VECTORS.move_to_end((model_dir, text))
        while len(_VECTORS) > QUERY_CACHE:
            _VECTORS.popitem(last=False)
    for row, text in enumerate(texts):
        if text in fresh:
            out[row] = fresh[text]
    return out


def clear_query_vectors() -> None:
    """Forget every cached query vector (benchmarks measure the cold path with it)."""
    with _VECTORS_LOCK:
        _VECTORS.clear()


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
    import chromadb
    from chromadb.config import Settings as ChromaSettings

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


def best_per_entry(chunks: Iterable[tuple[dict[str, Any], float]], limit: int, copy: bool = True) -> Ranked:
    """(metadata, distance) of chunks best first -> the best chunk of each entry, `limit` entries.
    `copy=False` hands out the metadata dicts themselves (a snapshot's: read them, never change them)."""
    best: dict[str, tuple[str, float, dict]] = {}
    if limit < 1:
        return []
    for meta, distance in chunks:
        entry_id = str(meta["entry"])
        if entry_id not in best:  # chunks come best first
            best[entry_id] = (entry_id, 1.0 - float(distance), dict(meta) if copy else meta)
            if len(best) == limit:
                break
    return list(best.values())


class VectorStore:
    """The Chroma collection of entry chunks."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            from agent.knowledge.chroma_ef import MiniLMEmbedding  # registers it before a collection reopens

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
        self.forget()
        for start in range(0, len(ids), BATCH):
            where = {"entry": {"$in": ids[start : start + BATCH]}}
            self.collection.delete(where=where)  # type: ignore[arg-type]  # chroma's Where is invariant

    def replace(self, entry_ids: Iterable[str], chunks: list[Chunk]) -> None:
        """Delete the old chunks of `entry_ids`, then add `chunks` (embedded here, in batches)."""
        self.delete(entry_ids)
        self.forget()
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            self.collection.upsert(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.metadata for c in batch],  # type: ignore[misc]
            )

    def chroma_query(self, text: str, limit: int, filters: Filters = NO_FILTERS, exhaustive: bool = False) -> Ranked:
        """Best entries for `text` from Chroma's HNSW index with a `where` filter, best chunk per entry.
        `exhaustive` asks for every chunk, so the ranking is exact (tests compare `query_many` with it)."""
        total = self.count()
        if total == 0:
            return []
        got = self.collection.query(
            query_embeddings=[query_vectors([text])[0]],
            n_results=total if exhaustive else min(total, limit * DEPTH_FACTOR),
            where=chroma_where(filters), include=["metadatas", "distances"],
        )
        chunks = list(zip(got["metadatas"][0], got["distances"][0], strict=True))  # type: ignore[index]
        return best_per_entry(chunks[: limit * DEPTH_FACTOR], limit)  # type: ignore[arg-type]

    def query_many(self, requests: list[tuple[str, Filters]], limit: int, version: str) -> list[Ranked]:
        """The best `limit` entries (best chunk each, `limit * DEPTH_FACTOR` chunks deep) for each
        (text, filters), ranked exactly in memory in one pass.

        `version` names the index state (it changes with every ingest, in any process); the snapshot of
        the collection is reloaded when it differs. Ids and order equal an exhaustive `chroma_query`'s;
        cosines agree to about 1e-6 (the matrix product and Chroma round float32 differently).
        """
        if not requests:
            return []
        snapshot = self.snapshot(version)
        if snapshot is None:  # too big to hold: one Chroma query per text
            return [self.chroma_query(text, limit, filters) for text, filters in requests]
        if not snapshot.metadatas:
            return [[] for _ in requests]
        vectors = query_vectors([text for text, _ in requests])
        depth = limit * DEPTH_FACTOR
        out: list[Ranked] = []
        for vector, (_, filters) in zip(vectors, requests, strict=True):
            # one product per text, never one for the batch: a text's cosines must not depend on the
            # texts ranked with it (a matrix product rounds differently from a matrix-vector one)
            distances = np.float32(1.0) - snapshot.matrix @ vector  # cosine distance, as Chroma reports it
            allowed = np.flatnonzero(snapshot.mask(filters))
            order = allowed[np.argsort(distances[allowed], kind="stable")[:depth]]
            chunks = zip([snapshot.metadatas[i] for i in order.tolist()], distances[order].tolist(), strict=True)
            out.append(best_per_entry(chunks, limit, copy=False))
        return out

    def snapshot(self, version: str) -> Snapshot | None:
        """Every chunk's metadata and vector for index state `version` (None above SNAPSHOT_LIMIT chunks): the
        one in memory, else the one saved beside the index for that state, else read from Chroma and saved."""
        with self._lock:
            current = self._snapshot
            if current is not None and current.version == version:
                return current
            path = self.saved_path
            loaded = load_snapshot(path, version) if path else None
            if loaded is None:
                if self.count() > SNAPSHOT_LIMIT:
                    return None
                got = self.collection.get(include=["embeddings", "metadatas"])
                metadatas = [dict(m) for m in got["metadatas"] or []]
                vectors = got["embeddings"]
                matrix = np.asarray(vectors if vectors is not None else [], dtype=np.float32)
                loaded = Snapshot(version, metadatas, matrix.reshape(len(metadatas), DIMENSIONS))
                if path:
                    save_snapshot(path, loaded)
            self._snapshot = loaded
            return loaded

    @property
    def saved_path(self) -> Path | None:
        """Where the snapshot is saved between processes: beside the embedded Chroma folder. None for a Chroma
        server, whose collection other clients may change."""
        return None if self.settings.chroma_url else self.settings.index_dir / SNAPSHOT_FILE

    def saved_for(self, version: str) -> bool:
        """True when a snapshot of index state `version` is saved: it was read from Chroma after the ingest that
        made that state, and no write through this store has happened since."""
        path = self.saved_path
        return path is not None and saved_version(path) == version

    def forget(self) -> None:
        """Drop the snapshot in memory and on disk: the collection is about to change."""
        self._snapshot = None
        if self.saved_path:
            forget_snapshot(self.saved_path)
