"""Typed shapes of the benchmark tables in knowledge/data/.

Every row names the knowledge entry (`source`) and `year` it comes from; `uncertain` marks figures
the research could not confirm against an original. The loader in `agent.knowledge.tables` reads
the YAML files into these models; engines only ever see the models.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.model.brief import Category, Format, Goal, Platform
from agent.model.plan import Day
from agent.planning.content_rows import CategoryPillar, Cited, Moment, PillarKinds, PillarRule, TopicBank, TopicPhrases
from agent.planning.target_rows import Reputation, TargetUnit

AGE_BANDS: tuple[str, ...] = ("13-17", "18-29", "30-49", "50-64", "65+")


class Usage(Cited):
    """Share of a population using a platform (0..1), overall, by age band and by gender, and how often."""

    platform: Platform
    overall: float = Field(ge=0, le=1)
    ages: dict[str, float] = Field(description="Share by age band; keys from AGE_BANDS.")
    women: float = Field(ge=0, le=1)
    men: float = Field(ge=0, le=1)
    daily: float = Field(0.5, ge=0, le=1, description="Share of the platform's users who use it daily.")
    daily_source: str = Field("", description="Entry id behind `daily` when it differs from `source`.")


class CountryUsage(Cited):
    """Survey shares of people using each platform in one country, where a published survey exists."""

    country: str = Field(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")
    population: str = Field(description="Who the figures describe, e.g. 'German speakers aged 14+ (weekly reach)'.")
    shares: dict[Platform, float] = Field(description="Share of people using each platform (0..1).")
    banned: list[Platform] = Field(default_factory=list, description="Platforms unavailable in the country.")
    youth: dict[Platform, float] = Field(
        default_factory=dict, description="Shares among young adults (about 15-29) where the survey gives them."
    )


class CategoryRow(Cited):
    """What a strategist knows about one kind of business: where it wins, what it posts, what it measures."""

    id: Category
    name: str
    description: str = Field(description="One or two sentences; embedded to detect the category offline.")
    keywords: list[str] = Field(description="Lowercase words or phrases that point to this category.")
    local: bool = Field(description="Customers come to (or are served at) a physical place nearby.")
    model: Literal["b2b", "b2c", "both"]
    affinity: dict[Platform, float] = Field(description="Fit of each platform for this kind of business, 0..1.")
    formats: list[Format] = Field(description="Formats that work for this kind of business, best first.")
    goal: Goal = Field(description="The usual primary goal.")
    results: dict[Goal, str] = Field(description="What a result is called here, by goal (e.g. leads -> bookings).")
    kpis: list[str] = Field(description="KPIs a strategist tracks for this kind of business, most important first.")
    pillars: list[CategoryPillar]
    seasonality: list[str] = Field(description="Moments in the year that matter, in plain words.")
    citations: list[str] = Field(default_factory=list, description="Further entries behind the affinities.")


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
    stories: int = Field(0, ge=0, description="Stories a week beside the feed posts, where the platform has them.")


class Profile(Cited):
    """What a platform is good for: model fit, goal fit, formats."""

    platform: Platform
    video_first: bool = Field(description="Needs video formats to work.")
    formats: list[Format] = Field(description="Formats that work natively, best first.")
    core: list[Format] = Field(
        default_factory=list,
        description="Formats the platform is built around: a rotation keeps one of them, and a primary channel keeps "
        "the first while its hours allow (empty: any native format will do).",
    )
    live_min_followers: int = Field(0, ge=0, description="Followers an account needs before it can go live.")
    b2b: float = Field(ge=0, le=1)
    b2c: float = Field(ge=0, le=1)
    goals: dict[Goal, float] = Field(description="Fit for each goal, 0..1.")


class Effort(Cited):
    """Hours per post by format, and weekly community-management hours per channel."""

    hours_per_post: dict[Format, float]
    community_hours_per_channel: float = Field(ge=0)
    weekly_overhead_hours: float = Field(ge=0, description="Planning and reporting, whole plan.")
    adapt_share: float = Field(
        0.35, ge=0, le=1,
        description="Hours to adapt an asset made for one channel to another, as a share of making it.",
    )
    ads_hours_per_account: float = Field(
        1.5, ge=0, description="Weekly hours to run one ad account (set-up, creative swaps, budget checks, reports)."
    )
    own_pace_floor: float = Field(default=0.5, gt=0, le=1, description=(
        "Lowest share of these hours a team is assumed to work at when it already keeps up a rhythm the hours "
        "could not pay for at the benchmark pace."))
    cut_from: dict[Format, Format] = Field(
        default_factory=dict,
        description="A format cut from another one (short video from long video) costs the adaptation share "
        "wherever the source is made on the same channel or one above it.",
    )
    fresh: list[Format] = Field(
        default_factory=list,
        description="Formats always made for the channel (a live stream), never adapted from another one's asset.",
    )
    beside_feed: list[Format] = Field(
        default_factory=list,
        description="Formats planned beside the feed posts, not in their rotation (Stories vanish after a day).",
    )
    primary_only: list[Format] = Field(
        default_factory=list,
        description="Formats a team runs on its primary channel only (live streams: one place the audience gathers).",
    )
    max_share: dict[Format, float] = Field(default_factory=dict, description=(
        "Most of a channel's posts one format may take (a live stream needs a host and a time announced ahead)."))
    pieces_per_post: dict[Format, int] = Field(
        default_factory=dict,
        description="Pieces a supporting channel can adapt from one post of this format (default 1).",
    )


class Paid(Cited):
    """Paid-media cost assumptions for one platform, in USD."""

    platform: Platform
    cpm: tuple[float, float]
    cpc: tuple[float, float]
    conversion_rate: tuple[float, float] = Field(description="Results per click, as fractions.")
    min_daily: float = Field(ge=0, description="Smallest useful daily spend (platform minimum).")
    min_monthly_useful: float = Field(ge=0, description="Below this a platform is not worth funding.")
    account: str = Field("", description="Ad account the platform is bought through (facebook+instagram: 'meta').")
    cost_per_result: dict[Goal, tuple[float, float]] = Field(
        default_factory=dict, description="Published cost per result by goal (e.g. cost per install), USD."
    )
    cost_source: str = Field("", description="Entry id behind cost_per_result when it differs from `source`.")
    market: str = Field("", description="Set by the market engine: how the costs were scaled to the markets.")
    market_sources: list[str] = Field(default_factory=list, description="Entries behind that scaling.")


class Engagement(Cited):
    """Median organic engagement rate per post, by followers."""

    platform: Platform
    rate: float = Field(ge=0, le=1)
    reach_rate: float = Field(ge=0, le=1, description="Organic reach per post / followers.")
    definition: str


class Split(Cited):
    """Organic/paid split guidance by goal and stage."""

    goal: Goal
    paid_share: float = Field(ge=0, le=1, description="Paid share at a comfortable budget.")
    brand_share: float = Field(ge=0, le=1, description="Share of paid for brand/awareness campaigns.")
    large_budget_usd: float = Field(
        0, ge=0, description="From this monthly budget (USD) the goal is paid-led; 0 when it never is."
    )
    large_paid_share: float = Field(0, ge=0, le=1, description="Paid share at or above large_budget_usd.")


class OrganicItem(Cited):
    """One use of organic money, with a base weight and extra weight for the needs that call for it."""

    item: str
    base: float = Field(ge=0, description="Weight for any business.")
    needs: dict[Literal["video", "local", "b2b", "consumer", "community"], float] = Field(
        default_factory=dict, description="Extra weight when the plan has that need.")
    only: Literal["video", "local", "b2b", "consumer", "community"] | None = Field(
        None, description="The item appears only for this need.")
    not_for: list[Category] = Field(default_factory=list, description="Kinds of business it never suits.")


class Market(Cited):
    """What a plan needs to know about one country as a market."""

    country: str = Field(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code.")
    name: str
    region: Literal["north_america", "latam", "europe", "uk_ireland", "mena", "africa", "south_asia", "east_asia",
                    "southeast_asia", "oceania"]
    languages: list[str] = Field(description="Languages posts and ads should be written in, most used first.")
    cost_index: float = Field(gt=0, description="Paid-media cost relative to the US (US = 1.0).")
    cost_source: str = Field(description="Entry id behind cost_index; the region's when the country has none.")
    cost_uncertain: bool = True
    consent: Literal["gdpr", "uk_gdpr", "lgpd", "none", "other"] = Field(
        description="Consent regime for pixels and tags: gdpr (EU/EEA), uk_gdpr, lgpd (Brazil), other, none.")
    messaging: list[str] = Field(default_factory=list, description="Messaging apps the market runs on (e.g. WhatsApp).")
    min_social_age: int = Field(13, description="Legal minimum age for the main social platforms.")
    zone: str = Field("", description="IANA zone of most of the market's people (its capital's, for one-zone markets).")


class Rule(Cited):
    """A platform, legal or ethical rule that limits what a plan may propose."""

    id: str
    name: str
    applies_to: dict[str, list[str]] = Field(description=(
        "When it applies; keys (all must match): categories, goals, countries, regions, consent, "
        "audience ('under_18', 'under_16'), platforms, website ('yes' or 'no')."))
    words: list[str] = Field(default_factory=list, description="Only when one of these words is in the business's "
                                                               "industry, description or events (empty = always).")
    forbids: list[Literal["age_targeting", "gender_targeting", "interest_targeting", "custom_audiences",
                          "lookalikes", "zip_targeting", "profiling_ads", "health_data_in_pixels",
                          "platform"]] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list, description="What the plan must do, in short lines.")
    says: str = Field(description="The rule in one or two plain sentences, as the plan states it.")
    sign_off_hours: float = Field(0.0, ge=0, description=(
        "Hours every post needs for the sign-off the rule requires, added to its making time (an assumption)."))


class Routine(Cited):
    """How an audience's day moves posting slots: hours to avoid and hours to favour."""

    id: str
    name: str
    applies_to: dict[str, list[str]] = Field(description="Keys (any may match): categories, audience ('under_18'), "
                                                         "words (in the audience description or interests), goal "
                                                         "(words in the brief's own target).")
    avoid: list[tuple[list[Day], int, int]] = Field(default_factory=list,
                                                    description="(days, start hour, end hour) to avoid.")
    favour: list[tuple[list[Day], int, int]] = Field(default_factory=list,
                                                     description="(days, start hour, end hour) to favour.")
    weight: float = Field(default=1.0, gt=0, description=(
        "How hard its favoured hours pull: 1 lifts them just above the best benchmark hour; 2 above any weight-1 "
        "routine too (for hours the client's goal names, such as weekday lunch)."))
    says: str


class Prerequisite(Cited):
    """Something that must exist before posting: a local listing, a messaging channel."""

    id: str
    when: Literal["local", "messaging"] = Field(description="local: local categories; messaging: markets using `app`.")
    app: str = Field("", description="For messaging prerequisites: the app the markets run on.")
    name: str
    lines: list[str] = Field(description="The checklist, one step a line.")


class KpiAssumptions(Cited):
    """Planning assumptions that turn forecasts into KPI targets (each stated in the plan)."""

    organic_link_ctr: float = Field(ge=0, le=1, description="Link clicks per organic impression.")
    site_conversion: dict[Goal, float] = Field(description="Results per site visit, by goal.")
    engagement_uplift_per_quarter: float = Field(ge=0, le=1)
    engagement_uplift_cap: float = Field(ge=0, le=1)
    follower_growth_per_month: dict[str, float] = Field(description="Monthly growth by business stage.")
    response_time_hours: float = Field(gt=0)
    ad_frequency: float = Field(gt=0, description="Average impressions per person reached (paid).")
    reach_scale_cap: float = Field(default=10.0, ge=1, description=(
        "How far an account's own engagement rate may scale the benchmark reach rate, up or down (assumption)."))
    new_account_reach_per_post: float = Field(
        100, ge=0, description="Impressions per post of an account that starts with no followers (assumption).")
    result_factor: dict[Goal, float] = Field(
        default_factory=dict, description="Results per lead-equivalent conversion, by goal (e.g. purchases)."
    )
    citations: list[str] = Field(default_factory=list, description="Further entries behind these.")


class CaptionRules(BaseModel):
    """What a caption draft carries per platform (knowledge/data/captions.yaml)."""

    model_config = ConfigDict(extra="forbid")
    hashtags: dict[str, int] = Field(description="Hashtags per caption draft, by platform.")
    bio_link: list[str] = Field(default_factory=list, description=(
        "Platforms whose post captions carry no clickable link: a call to action there points to the link in bio."))
    source: str
    year: int
    uncertain: bool = True
    note: str = ""


class Tables(BaseModel):
    """All benchmark tables, as the engines receive them."""

    model_config = ConfigDict(extra="forbid")
    usage: list[Usage]
    usage_population: str = Field(description="Who the usage figures describe, e.g. 'US adults'.")
    country_usage: list[CountryUsage] = Field(default_factory=list)
    categories: list[CategoryRow] = Field(default_factory=list)
    target_units: list[TargetUnit] = Field(default_factory=list)
    reputation: Reputation | None = None
    organic_items: list[OrganicItem] = Field(default_factory=list)
    markets: list[Market] = Field(default_factory=list)
    moments: list[Moment] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    routines: list[Routine] = Field(default_factory=list)
    prerequisites: list[Prerequisite] = Field(default_factory=list)
    times: list[TimeWindow]
    frequency: list[Frequency]
    profiles: list[Profile]
    effort: Effort
    paid: list[Paid]
    engagement: list[Engagement]
    pillars: list[PillarRule]
    pillar_kinds: PillarKinds | None = None
    topic_banks: list[TopicBank] = Field(default_factory=list)
    topic_phrases: TopicPhrases | None = None
    captions: CaptionRules | None = None
    splits: list[Split]
    kpi: KpiAssumptions
    fx_to_usd: dict[str, float] = Field(description="Units of currency per 1 USD, for cost tables.")
