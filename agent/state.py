"""Graph state and run context.

`PlanState` is what flows between nodes (each node returns a partial update). `RunContext` holds
what a run is given from outside: settings, the clock, the output root and the client slug.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from agent.brief import Brief
from agent.plan import Generation, Section
from agent.planning.assemble import PlanCore
from agent.settings import Settings


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class RunContext:
    """Inputs of one run that are not part of the brief."""

    settings: Settings = field(default_factory=Settings.from_env)
    now: dt.datetime = field(default_factory=_utc_now)
    out_dir: Path = Path("outputs")
    client: str | None = None
    analytics: tuple[Path, ...] = ()

    @property
    def today(self) -> dt.date:
        """The run's date (used only when a brief has no start_date)."""
        return self.now.date()


class PlanState(TypedDict, total=False):
    """State of the planning flow."""

    brief: Brief
    practice_ids: dict[str, list[str]]
    core: PlanCore
    sections: list[Section]
    generation: Generation
    output_path: str
