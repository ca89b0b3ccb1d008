"""plan.json's market fit: where ads run and to whom, the markets' costs and languages, the rules that
apply, the moments in the horizon, and what must be in place before posting."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Area(_Model):
    """Where paid media is shown."""

    kind: Literal["radius", "regions", "countries"]
    text: str = Field(description="The area in plain words, e.g. '10 miles around South Austin'.")
    center: str | None = Field(default=None, description="The place a radius is drawn around.")
    radius_km: float | None = Field(default=None, description="Radius in kilometres (radius areas).")
    regions: list[str] = Field(default_factory=list, description="States, provinces or regions named.")
    countries: list[str] = Field(default_factory=list, description="ISO 3166 codes of the markets.")
    assumed: bool = Field(default=False, description="True when the radius is a default, not from the brief.")


class Targeting(_Model):
    """Who one paid line targets, within the rules that apply to it."""

    area: Area
    ages: str | None = Field(default=None, description="Age range targeted (null when a rule forbids it).")
    genders: str | None = Field(default=None, description="Gender targeting, when used and allowed.")
    interests: list[str] = Field(default_factory=list, description="Interest targeting, when allowed.")
    not_used: list[str] = Field(default_factory=list, description="Targeting left out, each with the rule why.")
    special_ad_category: str | None = Field(default=None, description="The platform category to declare.")


class MarketInfo(_Model):
    """One market of the plan."""

    country: str
    name: str
    zone: str
    languages: list[str]
    cost_index: float = Field(description="Paid-media cost relative to the US.")
    cost_source: str
    cost_uncertain: bool


class AppliedRule(_Model):
    """A rule the plan respects, and what it makes the plan do."""

    id: str
    name: str
    says: str
    requires: list[str] = Field(default_factory=list)
    forbids: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)


class PlanMoment(_Model):
    """A date in the horizon the calendar uses."""

    name: str
    date: dt.date
    kind: str
    idea: str
    source: str = Field(description="Knowledge entry id, 'brief' for the client's own events, or 'holidays'.")
    on_the_day: bool = Field(default=False, description="The business trades on the day itself, so a post goes on it.")


class MarketFit(_Model):
    """How the plan fits its markets."""

    markets: list[MarketInfo]
    area: Area
    languages: list[str]
    language_note: str
    rules: list[AppliedRule] = Field(default_factory=list)
    moments: list[PlanMoment] = Field(default_factory=list)
    top_moments: list[str] = Field(default_factory=list, description="The two or three that matter most.")
    prerequisites: list[str] = Field(default_factory=list, description="What must exist before posting.")
    timing_note: str = Field(default="", description="How slots serve markets in different time zones.")
    routines: list[str] = Field(default_factory=list, description="Audience routines that moved the slots.")
    citations: list[str] = Field(default_factory=list)
