"""Briefs for tests: an example brief with some sections changed."""

from __future__ import annotations

from typing import Any

from agent.model.brief import Brief
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
