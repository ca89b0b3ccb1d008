"""The knowledge a plan needs, loaded once per process: entries by id and the benchmark tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agent.knowledge.entries import Entry, EntryError, load_entries
from agent.knowledge.tables import load_tables
from agent.planning.tables import Tables


@dataclass(frozen=True)
class Bundle:
    """Entries, tables and the errors of entries that were skipped."""

    entries: dict[str, Entry]
    tables: Tables
    errors: tuple[EntryError, ...]


@lru_cache(maxsize=4)
def _load(knowledge_dir: str, stamp: float) -> Bundle:
    root = Path(knowledge_dir)
    entries, errors = load_entries(root)
    return Bundle(entries=entries, tables=load_tables(root / "data"), errors=tuple(errors))


def load_bundle(knowledge_dir: Path) -> Bundle:
    """Entries and tables under `knowledge_dir` (cached until a file there changes)."""
    stamp = max((p.stat().st_mtime for p in knowledge_dir.rglob("*") if p.is_file()), default=0.0)
    return _load(str(knowledge_dir.resolve()), stamp)
