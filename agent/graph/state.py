"""Graph state and run context.

`PlanState` is what flows between nodes (each node returns a partial update). `RunContext` holds
what a run is given from outside: settings, the clock, the output root and the client slug.
Parallel section writers merge through reducers: `sections` by id (a later text replaces an earlier
one), `reports` by appending. `SectionTask` is what one parallel section writer (or the post-ideas writer,
as section "post_ideas") is sent.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, Field

from agent.llm.numbers import Allowed
from agent.llm.prompts import PracticeNote
from agent.model.brand import LoadedBrand
from agent.model.brief import Brief
from agent.model.plan import CalendarPost, Generation, Section, Strategy
from agent.model.settings import Settings
from agent.planning.assemble import PlanCore
from agent.writing import SECTION_IDS


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class RunContext:
    """Inputs of one run that are not part of the brief."""

    settings: Settings = field(default_factory=Settings.from_env)
    now: dt.datetime = field(default_factory=_utc_now)
    out_dir: Path = None  # type: ignore[assignment]  # set from settings.output_dir when not given
    client: str | None = None
    client_id: str | None = None
    """The client's stable id (a replan keeps its plan's); None: derived from the business name."""
    analytics: tuple[Path, ...] = ()
    analytics_zone: str | None = None
    """Time zone of exports that do not say (Meta); None reads them as America/Los_Angeles."""
    previous: Path | None = None
    """The version folder this run replans from; the new version gets changes.md against it."""
    brand: LoadedBrand | None = None
    """An agency's branding for the HTML, DOCX and PDF (`--brand FILE`); None: no agency branding."""

    def __post_init__(self) -> None:
        if self.out_dir is None:
            object.__setattr__(self, "out_dir", self.settings.output_dir)

    @property
    def today(self) -> dt.date:
        """The run's date (used only when a brief has no start_date)."""
        return self.now.date()


class SectionReport(BaseModel):
    """What the LLM step of one section did: where its text came from, its usage, its warnings."""

    section_id: str
    source: Literal["llm", "offline"] = Field(description="Who wrote the section's final text.")
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    degraded: bool = Field(default=False, description="True when an LLM fault sent the section back to offline text.")
    warnings: list[str] = Field(default_factory=list)


def merge_sections(left: list[Section] | None, right: list[Section] | None) -> list[Section]:
    """Sections by id, a later write replacing an earlier one, in document order."""
    merged = {s.id: s for s in left or []}
    merged.update({s.id: s for s in right or []})
    order = {section_id: i for i, section_id in enumerate(SECTION_IDS)}
    return sorted(merged.values(), key=lambda s: order.get(s.id, len(order)))


class PlanState(TypedDict, total=False):
    """State of the planning flow."""

    brief_draft: dict[str, Any]
    """The interview's answers so far: brief-shaped, possibly incomplete."""
    asked: list[str]
    """Ids of the interview questions answered, in order."""
    error: str
    """Why the last answer was not taken (shown with the next question)."""
    brief: Brief
    practice_ids: dict[str, list[str]]
    core: PlanCore
    draft: Strategy
    """The plan with offline prose: the figures, the fallback text and the reference of the LLM step."""
    allowed: Allowed
    """The numbers LLM prose may state (computed once from the draft)."""
    section_practices: dict[str, list[PracticeNote]]
    """The entries each section's LLM call is given (and may cite), as prompt notes."""
    sections: Annotated[list[Section], merge_sections]
    reports: Annotated[list[SectionReport], operator.add]
    ideas: list[CalendarPost]
    """Month one's posts with the LLM's checked post ideas (topic and caption); absent or empty: offline topics."""
    generation: Generation
    output_path: str


class SectionTask(TypedDict):
    """What one parallel section writer is sent: everything it needs, so it starts its call at once."""

    section_id: str
    draft: Strategy
    allowed: Allowed
    practices: list[PracticeNote]


def context_of(runtime: Any) -> RunContext:
    """The run's context; a default one when the graph runs without (e.g. under a LangGraph server)."""
    if getattr(runtime, "context", None) is not None:
        return runtime.context  # type: ignore[no-any-return]
    return RunContext()
