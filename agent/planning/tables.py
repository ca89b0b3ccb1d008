"""Typed shapes of the benchmark tables in knowledge/data/.

Every row names the knowledge entry (`source`) and `year` it comes from; `uncertain` marks figures
the research could not confirm against an original. The loader in `agent.knowledge.tables` reads
the YAML files into these models; engines only ever see the models.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from agent.brief import Format, Goal, Platform
from agent.plan import Day

AGE_BANDS: tuple[str, ...] = ("13-17", "18-29", "30-49", "50-64", "65+")


class Cited(BaseModel):
    """Fields every table row carries."""

    model_config = ConfigDict(extra="forbid")
    source: str = Field(description="Knowledge entry id the figure comes from.")
    year: int = Field(description="Year of the data or publication.")
    uncertain: bool = Field(False, description="True when the figure could not be checked at source.")
    note: str = ""


class Usage(Cited):
    """Share of a population using a platform (0..1), overall, by age band and by gender."""

    platform: Platform
    overall: float = Field(ge=0, le=1)
    ages: dict[str, float] = Field(description="Share by age band; keys from AGE_BANDS.")
    women: float = Field(ge=0, le=1)
    men: float = Field(ge=0, le=1)


class TimeWindow(Cited):
    """A published best-time window: days and hours, in the study's time-zone convention."""

    platform: Platform
    study: str = Field(description="Short study name shown in rationales.")
    days: list[Day]
    start: int = Field(ge=0, le=23, description="First hour of the window.")
    end: int = Field(ge=1, le=24, description="Hour the window ends (exclusive).")
    zone: str = Field(description="'local' when times are the audience's own, else an IANA zone.")
    weight: float = Field(gt=0, le=1, description="Strength of the study (sample, recency, primary).")


class Frequency(Cited):
    """Posting-frequency guidance per platform, posts per week."""

    platform: Platform
    minimum: int = Field(ge=1)
    recommended: int = Field(ge=1)
    maximum: int = Field(ge=1)


class Profile(Cited):
    """What a platform is good for: model fit, goal fit, formats."""

    platform: Platform
    video_first: bool = Field(description="Needs video formats to work.")
    formats: list[Format] = Field(description="Formats that work natively, best first.")
    b2b: float = Field(ge=0, le=1)
    b2c: float = Field(ge=0, le=1)
    goals: dict[Goal, float] = Field(description="Fit for each goal, 0..1.")


class Effort(Cited):
    """Hours per post by format, and weekly community-management hours per channel."""

    hours_per_post: dict[Format, float]
    community_hours_per_channel: float = Field(ge=0)
    weekly_overhead_hours: float = Field(ge=0, description="Planning and reporting, whole plan.")


class Paid(Cited):
    """Paid-media cost assumptions for one platform, in USD."""

    platform: Platform
    cpm: tuple[float, float]
    cpc: tuple[float, float]
    conversion_rate: tuple[float, float] = Field(description="Results per click, as fractions.")
    min_daily: float = Field(ge=0, description="Smallest useful daily spend (platform minimum).")
    min_monthly_useful: float = Field(ge=0, description="Below this a platform is not worth funding.")


class Engagement(Cited):
    """Median organic engagement rate per post, by followers."""

    platform: Platform
    rate: float = Field(ge=0, le=1)
    reach_rate: float = Field(ge=0, le=1, description="Organic reach per post / followers.")
    definition: str


class PillarRule(Cited):
    """A content-mix rule: named pillars and their shares."""

    id: str
    name: str
    goals: list[Goal]
    pillars: dict[str, float]
    purposes: dict[str, str]


class Split(Cited):
    """Organic/paid split guidance by goal and stage."""

    goal: Goal
    paid_share: float = Field(ge=0, le=1, description="Paid share at a comfortable budget.")
    brand_share: float = Field(ge=0, le=1, description="Share of paid for brand/awareness campaigns.")


class KpiAssumptions(Cited):
    """Planning assumptions that turn forecasts into KPI targets (each stated in the plan)."""

    organic_link_ctr: float = Field(ge=0, le=1, description="Link clicks per organic impression.")
    site_conversion: dict[Goal, float] = Field(description="Results per site visit, by goal.")
    engagement_uplift_per_quarter: float = Field(ge=0, le=1)
    engagement_uplift_cap: float = Field(ge=0, le=1)
    follower_growth_per_month: dict[str, float] = Field(description="Monthly growth by business stage.")
    response_time_hours: float = Field(gt=0)
    ad_frequency: float = Field(gt=0, description="Average impressions per person reached (paid).")
    result_factor: dict[Goal, float] = Field(
        default_factory=dict, description="Results per lead-equivalent conversion, by goal (e.g. purchases)."
    )
    citations: list[str] = Field(default_factory=list, description="Further entries behind these.")


class Tables(BaseModel):
    """All benchmark tables, as the engines receive them."""

    model_config = ConfigDict(extra="forbid")
    usage: list[Usage]
    usage_population: str = Field(description="Who the usage figures describe, e.g. 'US adults'.")
    times: list[TimeWindow]
    frequency: list[Frequency]
    profiles: list[Profile]
    effort: Effort
    paid: list[Paid]
    engagement: list[Engagement]
    pillars: list[PillarRule]
    splits: list[Split]
    kpi: KpiAssumptions
    fx_to_usd: dict[str, float] = Field(description="Units of currency per 1 USD, for cost tables.")
