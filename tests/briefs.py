"""Briefs for tests: an example or an eval archetype brief with some sections changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from agent.model.brief import Brief
from agent.planning.tables import Tables
from tests.conftest import example, socialplan
from tests.eval.checks import BRIEFS_DIR, load_case


def _changed(brief: Brief, sections: dict[str, Any]) -> Brief:
    """`brief` with sections updated (dicts merged, other values replaced)."""
    data = brief.model_dump(mode="json")
    for section, values in sections.items():
        if isinstance(values, dict):
            data[section].update(values)
        else:
            data[section] = values
    return Brief.model_validate(data)


def brief_from(base: str, **sections: Any) -> Brief:
    """The example brief `base` with sections updated (dicts merged, other values replaced)."""
    return _changed(example(base), sections)


def archetype(name: str, **sections: Any) -> Brief:
    """The eval archetype `name` (tests/eval/briefs) with sections updated, as `brief_from` does."""
    return _changed(load_case(BRIEFS_DIR / f"{name}.yaml").brief, sections)


def benchmark_pace(tables: Tables) -> Tables:
    """The tables with the team's own pace turned off (agent/planning/pace.py): every post at the benchmark
    hours, for tests about what those hours force."""
    return tables.model_copy(update={"effort": tables.effort.model_copy(update={"own_pace_floor": 1.0})})


def planned_markdown(tmp_path: Path, brief: Brief) -> str:
    """strategy.md of `socialplan plan` (offline, in this process) for `brief`: the document as users get it."""
    path = tmp_path / f"brief-{len(list(tmp_path.glob('brief-*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(brief.model_dump(mode="json", exclude_none=True)), encoding="utf-8")
    result = socialplan("plan", str(path), "--offline", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    return (Path(result.stdout.splitlines()[-1]) / "strategy.md").read_text(encoding="utf-8")
