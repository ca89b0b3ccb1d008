"""Every chunk of the vector collection in memory, and saved beside the index so the next process needs no Chroma.

`Snapshot` holds each chunk's metadata and unit vector (one row of `matrix`) for one index state (`version`,
which every complete ingest changes). `save_snapshot` writes it as one `.npz` file (the matrix as float32, the
metadata as JSON, the version as text; no pickles), atomically: a temporary file renamed over the old one, so a
reader sees the old file or the new one, never half of either. `load_snapshot` reads it back only when it was
saved for the version asked, so a file left from an earlier ingest is never used. Loading it takes about 10 ms;
opening Chroma to read the same rows takes about 1.5 s in a new process (importing chromadb included).
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from agent.knowledge.keyword import Filters

UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)
"""What reading a missing, empty, truncated or foreign file raises: then Chroma answers instead."""


def admits(metadata: dict[str, Any], filters: Filters) -> bool:
    """True when a chunk with `metadata` passes `filters`: the test `store.chroma_where(filters)` asks Chroma."""
    if filters.platform and not (metadata.get(f"p_{filters.platform}") is True or metadata.get("p_all") is True):
        return False
    if filters.goal and not (metadata.get(f"g_{filters.goal}") is True or metadata.get("g_all") is True):
        return False
    return not filters.kind or metadata.get("kind") == filters.kind


@dataclass
class Snapshot:
    """Every chunk of the collection in memory: metadata, unit vectors, and filter masks made on demand."""

    version: str
    metadatas: list[dict[str, Any]]
    matrix: np.ndarray
    masks: dict[Filters, np.ndarray] = field(default_factory=dict)

    def mask(self, filters: Filters) -> np.ndarray:
        found = self.masks.get(filters)
        if found is None:
            found = np.fromiter((admits(m, filters) for m in self.metadatas), dtype=bool, count=len(self.metadatas))
            self.masks[filters] = found
        return found


def save_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Write `snapshot` to `path` atomically (see the module docstring)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with temporary.open("wb") as handle:
            np.savez(handle, version=np.array(snapshot.version), metadatas=np.array(json.dumps(snapshot.metadatas)),
                     matrix=snapshot.matrix.astype(np.float32, copy=False))
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def saved_version(path: Path) -> str | None:
    """The index state the file at `path` was saved for (None when there is no readable file)."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            return str(saved["version"])
    except UNREADABLE:
        return None


def load_snapshot(path: Path, version: str) -> Snapshot | None:
    """The snapshot saved at `path` for `version`; None when there is none, or it was saved for another one."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            if str(saved["version"]) != version:
                return None
            metadatas = json.loads(str(saved["metadatas"]))
            matrix = np.ascontiguousarray(saved["matrix"], dtype=np.float32)
    except UNREADABLE:
        return None
    if matrix.ndim != 2 or matrix.shape[0] != len(metadatas):
        return None
    return Snapshot(version, metadatas, matrix)


def forget_snapshot(path: Path) -> None:
    """Delete the saved snapshot (the collection is about to change)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
