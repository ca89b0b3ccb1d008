"""Interview checkpoints: a SqliteSaver at <output root>/sessions.sqlite, with our types allow-listed.

The serializer is told exactly which of our classes may be rebuilt from a checkpoint (the pydantic
models and enums the graph state holds), so loading a session never warns and never rebuilds
anything else.
"""

from __future__ import annotations

import importlib
import inspect
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel

STATE_MODULES = ("agent.model.brief", "agent.model.plan", "agent.model.market", "agent.planning.assemble",
                 "agent.graph.state", "agent.llm.numbers")


def allowed_types() -> list[tuple[str, str]]:
    """(module, class) of every model and enum defined in the modules graph state uses."""
    found: list[tuple[str, str]] = []
    for name in STATE_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attr, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == name and issubclass(obj, BaseModel | Enum):
                found.append((name, attr))
    return found


@contextmanager
def open_checkpointer(path: Path) -> Iterator[SqliteSaver]:
    """A SqliteSaver on `path` (created with its folder if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    try:
        yield SqliteSaver(conn, serde=JsonPlusSerializer(allowed_msgpack_modules=allowed_types()))
    finally:
        conn.close()


def thread_ids(path: Path) -> list[str]:
    """Every session id stored in the checkpoint file (none when it does not exist)."""
    if not path.exists():
        return []
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("SELECT DISTINCT thread_id FROM checkpoints").fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        conn.close()
    return sorted(str(r[0]) for r in rows)
