"""Brief files read with the interview's forgiving words: a city or country for the time zone ('London',
'Germany') is resolved as the interview resolves it, then the whole brief is validated as usual (money,
hours and plan lengths in friendly forms are the Brief model's own job; see agent.model.quantities)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from agent.interview.tz import resolve_timezone
from agent.model.brief import Brief
from agent.model.brief_io import read_brief_data, validate_brief
from agent.model.values import AnswerError


def load_friendly_brief(path: Path) -> Brief:
    """`load_brief`, with `audience.timezone` given as a place resolved to its IANA zone."""
    return friendly_brief(read_brief_data(path), str(path))


def friendly_brief(data: dict[str, Any], source: str) -> Brief:
    """Validate parsed brief data (a file or an upload named `source`) with the time zone read as a place."""
    audience = data.get("audience")
    zone = audience.get("timezone") if isinstance(audience, dict) else None
    if isinstance(zone, str) and "/" not in zone and zone.strip().upper() != "UTC":
        with contextlib.suppress(AnswerError):  # unresolved: validation reports the zone as usual
            data = {**data, "audience": {**audience, "timezone": resolve_timezone(zone)}}  # type: ignore[dict-item]
    return validate_brief(data, source)
