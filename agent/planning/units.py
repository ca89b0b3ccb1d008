"""Reading quantities out of a target's words: the number, the unit and the period."""

from __future__ import annotations

import re
from functools import cache

from agent.planning.tables import Tables
from agent.planning.target_rows import TargetUnit

NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*([km])?\b", re.IGNORECASE)
PERIODS = (
    ("quarter", re.compile(r"\b(quarter|quarterly|qtr|/q)\b")),
    ("year", re.compile(r"\b(year|yearly|annual|annually|/yr|pa|p\.a\.)\b")),
    ("month", re.compile(r"\b(month|monthly|mo|/mo|pm|p\.m\.)\b")),
)


def read_number(text: str) -> float | None:
    """The first number in the text, with k/m multipliers ('50k' -> 50000)."""
    match = NUMBER.search(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", ""))
    scale = {"k": 1e3, "m": 1e6}.get((match.group(2) or "").lower(), 1.0)
    return value * scale


def read_period(text: str) -> str | None:
    """'month', 'quarter' or 'year' when the text names one."""
    lowered = text.lower()
    return next((name for name, pattern in PERIODS if pattern.search(lowered)), None)


@cache
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")


def read_unit(text: str, tables: Tables) -> TargetUnit | None:
    """The target unit whose longest naming word appears in the text."""
    lowered = text.lower()
    found = [(len(w), u) for u in tables.target_units for w in u.words if _word(w).search(lowered)]
    return max(found, key=lambda item: item[0])[1] if found else None
