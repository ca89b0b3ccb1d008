"""Stored interview sessions: id, client, progress and last change, for `socialplan sessions`.

The sessions are the thread ids of the session store (PostgreSQL or SQLite, see agent.graph.checkpoint).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.graph.checkpoint import session_ids
from agent.interview.bank import bank


def new_session_id() -> str:
    """A short random id."""
    return secrets.token_hex(4)


def describe(graph: Any, session: str) -> tuple[str, str, str, str]:
    """(id, client, progress, last change) of one session."""
    snapshot = graph.get_state({"configurable": {"thread_id": session}})
    values = snapshot.values or {}
    draft = values.get("brief_draft") or {}
    client = str((draft.get("business") or {}).get("name") or "—")
    if values.get("output_path"):
        progress = f"done: {values['output_path']}"
    elif values.get("brief") is not None or "confirm" in (snapshot.next or ()):
        progress = "confirming the brief"
    else:
        progress = f"{len(values.get('asked') or [])} of ~{len(bank())} questions"
    changed = snapshot.created_at or ""
    if changed:
        changed = dt.datetime.fromisoformat(changed).strftime("%Y-%m-%d %H:%M UTC")
    return session, client, progress, changed


def list_sessions(graph: Any, saver: BaseCheckpointSaver[Any]) -> list[tuple[str, str, str, str]]:
    """Every session in the store `graph` checkpoints to (`saver`), most recently changed first."""
    rows = [describe(graph, session) for session in session_ids(saver)]
    return sorted(rows, key=lambda row: row[3], reverse=True)
