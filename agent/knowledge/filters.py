"""Search filters and modes, checked before the search stack (Chroma, the embedding model) is loaded."""

from __future__ import annotations

from typing import Literal

from agent.knowledge.keyword import Filters
from agent.model.brief import Goal, Platform

Mode = Literal["hybrid", "dense", "keyword"]
MODES: tuple[str, ...] = ("hybrid", "dense", "keyword")
KINDS: tuple[str, ...] = ("smo", "smm")


def check_filters(platform: str | None, kind: str | None, goal: str | None, mode: str = "hybrid") -> Filters:
    """Validated filters; ValueError names the bad value and the allowed ones."""
    checks = [
        ("platform", platform, [p.value for p in Platform]),
        ("kind", kind, list(KINDS)),
        ("goal", goal, [g.value for g in Goal]),
        ("mode", mode, list(MODES)),
    ]
    for label, value, allowed in checks:
        if value is not None and value not in allowed:
            raise ValueError(f"unknown {label} {value!r} (expected one of: {', '.join(allowed)})")
    return Filters(platform=platform, kind=kind, goal=goal)
