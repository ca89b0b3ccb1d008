"""Incremental ingest of the knowledge folder into both indexes.

Each entry gets a content hash (its fields, without the file path, plus `INDEX_FORMAT`). Each index
keeps the hashes of what it holds: Chroma in every chunk's metadata, SQLite in its `docs` table. An
ingest compares the folder with each index on its own, so only changed entries are re-embedded, and
whatever a crashed run left half-done (in either index) differs from the folder and is redone:

1. Chroma: delete the chunks of removed and changed entries, add the new chunks (hash included).
2. SQLite: one transaction replaces changed entries, deletes removed ones and records the folder
   fingerprint. It runs last, so the fingerprint means "both indexes match this folder".

Malformed entries are reported as "file:line: message" and skipped; the rest are indexed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from pathlib import Path

from pydantic import BaseModel, Field

from agent.knowledge.entries import Entry, EntryError, entry_files
from agent.knowledge.keyword import KeywordIndex
from agent.knowledge.store import Chunk, VectorStore

INDEX_FORMAT = "socialplan-kb-2"
"""Change this when chunking or stored fields change: every entry then counts as updated."""
CHUNK_WORDS = 120
"""Body words per chunk; with the title this stays under the model's 256 tokens."""


class IngestReport(BaseModel):
    """What an ingest did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    errors: list[str] = Field(default_factory=list)
    seconds: float = 0.0


def content_hash(entry: Entry) -> str:
    """Hash of what is indexed for `entry` (the file's location does not count)."""
    payload = INDEX_FORMAT + entry.model_dump_json(exclude={"path"})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def folder_fingerprint(root: Path) -> str:
    """Cheap hash of the entry files under `root` (names and bytes), to tell whether it changed."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{root.resolve()}".encode())
    for path in entry_files(root) if root.is_dir() else []:
        digest.update(f"\0{path.relative_to(root)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def passages(entry: Entry) -> list[str]:
    """The entry's body without Markdown marks, cut into pieces for both indexes."""
    return _pieces(re.sub(r"[*_`#>]+", "", entry.body))  # the marks carry no meaning for either index


def _pieces(body: str) -> list[str]:
    """Body split at line boundaries into pieces of at most CHUNK_WORDS words."""
    pieces: list[str] = []
    current: list[str] = []
    for line in (ln.strip() for ln in body.splitlines()):
        words = line.split()
        if not words:
            continue
        if current and len(current) + len(words) > CHUNK_WORDS:
            pieces.append(" ".join(current))
            current = []
        while len(words) > CHUNK_WORDS:
            pieces.append(" ".join(words[:CHUNK_WORDS]))
            words = words[CHUNK_WORDS:]
        current.extend(words)
    if current:
        pieces.append(" ".join(current))
    return pieces or [""]


def chunks_of(entry: Entry, digest: str, pieces: list[str]) -> list[Chunk]:
    """What Chroma embeds for an entry: title (and tags) above each passage of the body."""
    header = entry.title + (f" ({', '.join(entry.tags)})" if entry.tags else "")
    meta = metadata_of(entry, digest, len(pieces))
    return [Chunk(f"{entry.id}::{n}", f"{header}\n{piece}", meta) for n, piece in enumerate(pieces)]


def metadata_of(entry: Entry, digest: str, chunks: int) -> dict[str, str | int | bool]:
    """Chroma metadata of each chunk of `entry` (scalars only; one boolean key per covered value)."""
    meta: dict[str, str | int | bool] = {
        "entry": entry.id, "kind": entry.kind, "year": entry.year, "title": entry.title,
        "source": entry.source, "hash": digest, "chunks": chunks, "platforms": ",".join(entry.platforms),
    }
    for prefix, values in (("p", entry.platforms), ("g", entry.goals), ("s", entry.stage)):
        meta.update({f"{prefix}_{value}": True for value in values})
    return meta


def run_ingest(
    entries: dict[str, Entry], errors: list[EntryError], vector: VectorStore, keyword: KeywordIndex,
    fingerprint: str,
) -> IngestReport:
    """Bring both indexes in line with `entries`; see the module docstring for the order."""
    started = time.perf_counter()
    wanted = {entry_id: content_hash(entry) for entry_id, entry in entries.items()}
    in_vector, vector_ids = vector.inventory()
    in_keyword = keyword.hashes()
    removed = (vector_ids | set(in_keyword)) - set(wanted)
    vector_todo = [i for i, h in wanted.items() if in_vector.get(i) != h]
    keyword_todo = [i for i, h in wanted.items() if in_keyword.get(i) != h]

    cut = {i: passages(entries[i]) for i in {*vector_todo, *keyword_todo}}
    chunks = [c for i in vector_todo for c in chunks_of(entries[i], wanted[i], cut[i])]
    vector.replace([*removed, *vector_todo], chunks)
    meta = {
        "fingerprint": fingerprint, "chunks": str(vector.count()),
        "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    keyword.write([(entries[i], wanted[i], cut[i]) for i in keyword_todo], removed, meta)

    redone = set(vector_todo) | set(keyword_todo)
    added = sum(1 for i in wanted if i not in in_keyword)  # new since the last complete ingest
    return IngestReport(
        added=added, updated=len(redone) - added, removed=len(removed),
        unchanged=len(wanted) - len(redone), errors=[str(e) for e in errors],
        seconds=round(time.perf_counter() - started, 3),
    )
