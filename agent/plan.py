"""The Strategy model: everything a plan holds, as written to plan.json.

Engines produce the parts (channels, schedule, budget, KPIs, calendar); the write step adds prose;
rendering turns the whole into documents. Only pydantic, the standard library and the Brief model
are imported here.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.brief import Brief, Format, Platform

Role = Literal["primary", "secondary", "experimental", "not_recommended"]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Stage = Literal["awareness", "consideration", "conversion", "loyalty"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Factor(_Model):
    """One input to a channel score, with its weight and the entry it comes from."""

    name: str = Field(description="What was scored, e.g. 'audience reach'.")
    value: float = Field(description="The factor's value, 0..1.")
    weight: float = Field(description="Its weight in the total score.")
    note: str = Field(description="Why it has this value.")


class Channel(_Model):
    """The verdict on one platform."""

    platform: Platform
    role: Role
    score: float = Field(ge=0, le=1)
    rationale: str
    citations: list[str] = Field(description="Knowledge entry ids.")
    factors: list[Factor] = Field(default_factory=list)


class Slot(_Model):
    """One weekly posting slot, in the audience's time zone."""

    day: Day
    time: str = Field(pattern=r"^\d{2}:\d{2}$")
    timezone: str
    source: Literal["benchmark", "own_data"] = "benchmark"
    confidence: float = Field(ge=0, le=1)


class ScheduleItem(_Model):
    """How often and when to post on one recommended channel."""

    platform: Platform
    posts_per_week: int = Field(ge=1)
    formats: list[Format]
    hours_per_week: float = Field(description="Production and community hours this channel needs.")
    slots: list[Slot]
    rationale: str
    citations: list[str]


class Range(_Model):
    """A low-high forecast range."""

    low: float
    high: float


class Forecast(_Model):
    """What a paid line is expected to buy per month, from cited cost assumptions."""

    impressions: Range
    clicks: Range
    results: Range
    result_name: str = Field(description="What a result is, e.g. 'leads'.")
    cpm: Range
    cpc: Range
    cpa: Range
    source: str = Field(description="Where the cost assumptions come from.")
    citations: list[str]


class BudgetLine(_Model):
    """One monthly budget line."""

    platform: Platform | None
    kind: Literal["organic", "paid"]
    item: str
    monthly_amount: float = Field(ge=0)
    forecast: Forecast | None = None
    rationale: str = ""


class Budget(_Model):
    """How the monthly money is split."""

    monthly_total: float = Field(ge=0)
    currency: str
    organic_share: float = Field(ge=0, le=1)
    paid_share: float = Field(ge=0, le=1)
    lines: list[BudgetLine]
    rationale: str
    citations: list[str]


class Kpi(_Model):
    """One measurable target."""

    name: str
    stage: Stage
    formula: str
    platform: Platform | None
    baseline: float | None
    baseline_source: Literal["presence", "benchmark", "none", "own_data"] = "none"
    target: float
    unit: str
    data_source: str
    cadence: str
    rationale: str = ""
    citations: list[str] = Field(default_factory=list)


class CalendarPost(_Model):
    """One dated post."""

    date: dt.date
    time: str
    timezone: str
    platform: Platform
    format: Format
    pillar: str
    topic: str
    note: str = ""


class Practice(_Model):
    """A cited knowledge entry."""

    id: str
    title: str
    kind: Literal["smo", "smm"]
    source: str
    year: int | None = None


class Generation(_Model):
    """How the words of the plan were produced."""

    mode: Literal["offline", "llm"] = "offline"
    model: str | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    degraded: bool = False
    warnings: list[str] = Field(default_factory=list)


class Pillar(_Model):
    """A content pillar and its share of posts."""

    name: str
    share: float = Field(ge=0, le=1)
    purpose: str


class Section(_Model):
    """One prose section of the strategy document."""

    id: str
    title: str
    text: str = Field(description="Markdown prose.")
    citations: list[str] = Field(default_factory=list)


class Strategy(_Model):
    """A complete plan: what plan.json holds."""

    version: int = Field(ge=1)
    created_at: dt.datetime
    client: str = Field(description="The client folder's slug.")
    brief: Brief
    start_date: dt.date
    end_date: dt.date
    channels: list[Channel]
    schedule: list[ScheduleItem]
    budget: Budget
    kpis: list[Kpi]
    calendar: list[CalendarPost]
    pillars: list[Pillar] = Field(default_factory=list)
    pillar_rule: str = Field("", description="The content-mix rule the pillars follow, with its source.")
    practices: list[Practice]
    sections: list[Section] = Field(default_factory=list)
    generation: Generation = Field(default_factory=Generation)
    warnings: list[str] = Field(default_factory=list)
