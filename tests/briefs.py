"""Briefs for tests: an example brief with some sections changed."""

from __future__ import annotations

from typing import Any

from agent.model.brief import Brief
from agent.planning.tables import Tables
from tests.conftest import example


def brief_from(base: str, **sections: dict[str, Any] | list[Any]) -> Brief:
    """The example brief `base` with sections updated (dicts merged, other values replaced)."""
    data = example(base).model_dump(mode="json")
    for section, values in sections.items():
        if isinstance(values, dict):
            data[section].update(values)
        else:
            data[section] = values
    return Brief.model_validate(data)


def benchmark_pace(tables: Tables) -> Tables:
    """The tables with the team's own pace turned off (agent/planning/pace.py): every post at the benchmark
    hours, for tests about what those hours force."""
    return tables.model_copy(update={"effort": tables.effort.model_copy(update={"own_pace_floor": 1.0})})
