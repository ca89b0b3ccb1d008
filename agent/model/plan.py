"""The Strategy model: everything a plan holds, as written to plan.json.

Engines produce the parts (channels, schedule, budget, KPIs, calendar); the write step adds prose;
rendering turns the whole into documents. Only pydantic, the standard library and the Brief model
are imported here.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.model.brief import Brief, Category, Format, Goal, Platform
from agent.model.market import MarketFit, Targeting

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
    stories_per_week: int = Field(
        0, ge=0, description="Stories beside the feed posts; not counted as posts, as they vanish after a day.")
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
    targeting: Targeting | None = Field(default=None, description="Who a paid line targets, within the rules.")


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
    goal: Goal | None = Field(default=None, description="The goal this KPI measures directly, when it measures one.")


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
    caption: str = Field(default="", description="A caption draft: the idea, a call to action and hashtags.")


class Practice(_Model):
    """A cited knowledge entry."""

    id: str
    title: str
    kind: Literal["smo", "smm"]
    source: str
    year: int | None = None
    publisher: str = Field("", description="Who published the main source.")
    url: str | None = Field(None, description="The main source's address.")
    uncertain: bool = Field(False, description="True for a weak, secondary or proxy source.")


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


class Change(_Model):
    """One thing that moved between two plan versions, with the engine's reason."""

    area: Literal["brief", "channel", "split", "budget_line", "schedule", "kpi"]
    subject: str = Field(description="What changed, e.g. 'goals.primary' or 'linkedin'.")
    before: str | None
    after: str | None
    reason: str = ""


class Changes(_Model):
    """What changed since the previous version."""

    previous_version: int
    summary: str
    items: list[Change]


class AnalyticsFile(_Model):
    """One export file the user supplied, as read."""

    name: str = Field(description="File name (without its folder).")
    format: str = Field(description="Detected format: meta, linkedin, x_legacy, x_content or generic.")
    label: str = Field(description="The format in words.")
    platforms: list[Platform]
    rows: int = Field(description="Data rows under the header.")
    posts: int = Field(description="Posts read.")
    skipped: int = Field(0, description="Rows left out (empty, sponsored, replies).")
    notes: list[str] = Field(default_factory=list)


class OwnPlatform(_Model):
    """What the user's own posts say about one platform: baselines and the slot grid."""

    platform: Platform
    posts: int = Field(description="Posts read for this platform, after de-duplication.")
    posts_recent: int = Field(description="Posts with a recency weight above 0 (last year, at least two days old).")
    posts_timed: int = Field(description="Recent posts with a known posting hour.")
    first_post: dt.date | None = None
    last_post: dt.date | None = None
    time_source: str = Field("", description="Where the posting hours come from.")
    engagement_columns: list[str] = Field(default_factory=list, description="Export columns counted as engagements.")
    denominator: str = Field("impressions", description="Export column the engagement rate divides by.")
    engagement_rate: float | None = Field(None, description="Engagements / denominator, as a fraction.")
    impressions_per_post: float | None = None
    reach_per_post: float | None = None
    posts_per_week: float | None = None
    followers: float | None = None
    follower_growth_per_month: float | None = Field(None, description="Net growth per month, as a fraction.")
    slots_from_data: bool = Field(False, description="True when the schedule's slots used these posts.")
    prior_strength: float | None = Field(None, description="k: the benchmark counts as k posts in every slot.")
    within_slot_variance: float | None = None
    between_slot_variance: float | None = None
    note: str = ""
    scores: list[list[float]] = Field(
        default_factory=list,
        description="7 x 24 expected post score (1.0 = a typical post), Monday first, in the audience's time.",
    )
    posts_per_slot: list[list[float]] = Field(default_factory=list, description="7 x 24 recency-weighted post counts.")


class Analytics(_Model):
    """The user's own analytics behind the plan: files read, per-platform figures and the method."""

    as_of: dt.datetime = Field(description="The run time recency weights are counted from.")
    files: list[AnalyticsFile]
    platforms: list[OwnPlatform]
    engagement_definition: str
    slot_method: str
    warnings: list[str] = Field(default_factory=list)


class CategoryChoice(_Model):
    """The kind of business the plan is built for, and how it was decided."""

    value: Category
    name: str = Field(description="The category in plain words.")
    source: Literal["given", "detected"]
    confidence: float = Field(ge=0, le=1, description="1 when given; the detector's confidence otherwise.")
    reason: str = Field(default="", description="What the detection rests on (matched words, closest description).")
    industry: Category | None = Field(default=None, description="The business's own kind, when the goal set `value`.")


class Target(_Model):
    """The client's own target set against the forecast."""

    text: str = Field(description="The target as the brief states it.")
    value: float | None = Field(default=None, description="The number in the target (null when none could be read).")
    unit: str | None = Field(default=None, description="What is counted, e.g. 'demo requests'.")
    period: Literal["month", "quarter", "year", "horizon"] | None = Field(default=None, description="Period read.")
    monthly_value: float | None = Field(default=None, description="The target per month.")
    forecast_low: float | None = Field(default=None, description="Forecast per month in the target's unit, low end.")
    forecast_mid: float | None = Field(default=None, description="Forecast per month, mid.")
    forecast_high: float | None = Field(default=None, description="Forecast per month, high end.")
    reachable: bool | None = Field(default=None, description="True when the mid forecast meets the target.")
    required_monthly_budget: float | None = Field(
        default=None, description="Monthly budget at which the mid forecast meets the target (null: no paid lever)."
    )
    note: str = Field(default="", description="The verdict in one sentence, and any assumption between units.")
    measured_by: list[str] = Field(
        default_factory=list, description="Names of the KPIs that count a target no forecast can judge (a reputation).",
    )
    citations: list[str] = Field(default_factory=list)


class Strategy(_Model):
    """A complete plan: what plan.json holds."""

    version: int = Field(ge=1)
    created_at: dt.datetime
    client: str = Field(description="The client folder's slug.")
    client_id: str = Field(default="", description="Stable id of the client, never shared by two businesses.")
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
    analytics: Analytics | None = Field(None, description="Own-analytics summary when exports were given.")
    category: CategoryChoice | None = Field(default=None, description="The kind of business (given or detected).")
    target: Target | None = Field(default=None, description="The brief's target against the forecast (null: none).")
    market: MarketFit | None = Field(default=None, description="Markets, targeting area, rules, moments, language.")
    changes: Changes | None = Field(None, description="What changed since the previous version (replan).")
