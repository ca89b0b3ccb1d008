"""The knowledge a plan needs, loaded once per process: entries by id and the benchmark tables."""

from __future__ import annotations

import os
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
def _load(knowledge_dir: str, stamp: tuple[int, int, int]) -> Bundle:
    root = Path(knowledge_dir)
    entries, errors = load_entries(root)
    return Bundle(entries=entries, tables=load_tables(root / "data"), errors=tuple(errors))


def load_bundle(knowledge_dir: Path) -> Bundle:
    """Entries and tables under `knowledge_dir` (cached until a file there is added, removed or changed)."""
    return _load(str(knowledge_dir.resolve()), _stamp(str(knowledge_dir)))


def _stamp(root: str) -> tuple[int, int, int]:
    """(files, newest change time in ns, total bytes) under `root`: one stat per file, read as the folders are
    listed (every node of a plan asks, so this runs a few times per plan)."""
    count = newest = size = 0
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file():
                    info = entry.stat()
                    count, newest, size = count + 1, max(newest, info.st_mtime_ns), size + info.st_size
    return count, newest, size
