"""Pre-fill an interview from a partial brief file: keep every valid field, ask for the rest.

Unknown keys and malformed files are bad input (BriefError). A field with a bad value is dropped and
its question asked, with the reason shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.interview.bank import bank, get_path, set_path
from agent.interview.parse import check_fields
from agent.model.brief_io import BriefError, read_brief_data

TOP = {"business", "audience", "goals", "resources", "presence", "exclude_platforms", "competitors", "start_date"}


def prefill(path: Path) -> tuple[dict[str, Any], str]:
    """(draft, note about dropped fields) from a partial brief file."""
    return prefill_data(read_brief_data(path), str(path))


def prefill_data(raw: dict[str, Any], source: str) -> tuple[dict[str, Any], str]:
    """(draft, note about dropped fields) from a parsed partial brief (a file or an upload named `source`)."""
    data = json.loads(json.dumps(raw, default=str))
    unknown = sorted(set(data) - TOP)
    if unknown:
        raise BriefError(source, unknown[0], "unknown key")
    dropped = []
    for question in bank():
        present = [p for p in question.paths if get_path(data, p) is not None]
        problem = check_fields(data, present) if present else ""
        if problem:
            dropped.append(problem)
            for p in question.paths:
                set_path(data, p, None)
    leftover = check_fields(data, sorted(TOP))
    if leftover:
        field, _, message = leftover.partition(": ")
        raise BriefError(source, field, message)
    return data, "; ".join(dropped)
