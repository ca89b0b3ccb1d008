"""Embedding similarity between a brief's words and each category's description, with the shipped model.

The category engine is pure and takes these similarities as input; this module is where the model runs.
Description vectors are computed once per process per set of descriptions.
"""

from __future__ import annotations

import threading

import numpy as np

from agent.knowledge.embedding import embed
from agent.model.brief import Category
from agent.planning.tables import CategoryRow

_LOCK = threading.Lock()
_VECTORS: dict[tuple[str, ...], np.ndarray] = {}


def _descriptions(rows: list[CategoryRow]) -> np.ndarray:
    key = tuple(f"{row.name}: {row.description}" for row in rows)
    with _LOCK:
        if key not in _VECTORS:
            _VECTORS[key] = embed(list(key))
        return _VECTORS[key]


def category_similarities(text: str, rows: list[CategoryRow]) -> dict[Category, float]:
    """Cosine similarity of `text` with every category description (empty when there are no rows)."""
    if not rows or not text.strip():
        return {}
    vectors = _descriptions(rows)
    query = embed([text])[0]
    scores = vectors @ query
    return {row.id: round(float(score), 4) for row, score in zip(rows, scores, strict=True)}
