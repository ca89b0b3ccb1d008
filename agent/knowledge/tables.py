"""Load the benchmark tables of knowledge/data/ into the engines' `Tables` model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from agent.model.yaml_text import safe_load
from agent.planning.tables import Tables

TABLE_FILES = (
    "usage", "times", "frequency", "profiles", "effort", "paid", "engagement", "pillars", "splits", "kpis", "fx",
    "countries", "categories", "targets", "organic", "markets", "moments", "rules", "routines",
    "prerequisites", "topics", "captions",
)


class TableError(ValueError):
    """A data table that is missing or malformed."""


def load_tables(data_dir: Path) -> Tables:
    """Read every table file and validate the whole set."""
    merged: dict[str, Any] = {}
    for name in TABLE_FILES:
        path = data_dir / f"{name}.yaml"
        try:
            content = safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise TableError(f"{path}: {exc}") from None
        if not isinstance(content, dict):
            raise TableError(f"{path}: expected a mapping at the top")
        merged.update(content)
    try:
        return Tables.model_validate(merged)
    except ValueError as exc:
        raise TableError(f"{data_dir}: {exc}") from None
