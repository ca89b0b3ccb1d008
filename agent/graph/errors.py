"""Errors of the graph's edges that callers catch without loading LangGraph (the CLI's error lines)."""

from __future__ import annotations


class StoreUnreachable(ConnectionError):
    """The PostgreSQL session store cannot be reached; the message names it without the password."""
