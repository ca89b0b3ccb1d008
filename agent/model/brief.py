"""The Brief model: what a client tells us about business, audience, goals and resources.

Only pydantic, the standard library and the quantity grammar (agent.model.quantities) are imported here;
loading from files lives in
`agent.model.brief_io`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from agent.model.quantities import friendly, hours_per_week, money_per_month, months_of


class Platform(StrEnum):
    """The platforms the planner knows."""

    facebook = "facebook"
    instagram = "instagram"
    linkedin = "linkedin"
    x = "x"
    tiktok = "tiktok"
    youtube = "youtube"
    pinterest = "pinterest"
    threads = "threads"


PLATFORM_NAMES = {
    "facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "x": "X",
    "tiktok": "TikTok", "youtube": "YouTube", "pinterest": "Pinterest", "threads": "Threads",
}
"""How each platform is written in documents."""


class Format(StrEnum):
    """Content formats a team can produce."""

    text = "text"
    images = "images"
    carousels = "carousels"
    short_video = "short_video"
    long_video = "long_video"
    live = "live"
    stories = "stories"


class Goal(StrEnum):
    """Business goals a social plan can serve."""

    awareness = "awareness"
    engagement = "engagement"
    traffic = "traffic"
    leads = "leads"
    sales = "sales"
    community = "community"
    recruiting = "recruiting"
    app_installs = "app_installs"


class Category(StrEnum):
    """Kinds of business the planner knows; each has cited platform affinities in knowledge/data/categories.yaml."""

    local_food_drink = "local_food_drink"
    local_services = "local_services"
    local_venue_events = "local_venue_events"
    local_retail = "local_retail"
    ecommerce_fashion = "ecommerce_fashion"
    ecommerce_home_decor = "ecommerce_home_decor"
    ecommerce_beauty = "ecommerce_beauty"
    ecommerce_food = "ecommerce_food"
    ecommerce_general = "ecommerce_general"
    b2b_saas = "b2b_saas"
    b2b_services = "b2b_services"
    industrial_b2b = "industrial_b2b"
    professional_solo = "professional_solo"
    creator_education = "creator_education"
    mobile_app = "mobile_app"
    mobile_game = "mobile_game"
    nonprofit_community = "nonprofit_community"
    public_sector = "public_sector"
    healthcare_provider = "healthcare_provider"
    recruiting_employer = "recruiting_employer"
    travel_hospitality = "travel_hospitality"
    real_estate = "real_estate"
    financial_services = "financial_services"


MAX_MONTHLY_BUDGET = 1e9
"""Largest monthly budget accepted; more is a typo (or an attack), not a social plan."""
MAX_FOLLOWERS = 10**10
"""Largest follower count accepted (more than there are people)."""
LONG_TEXT_FIELDS = frozenset({"description", "target"})
"""Free-text fields that may hold tabs and line breaks; every other text is one line."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain_text(value: object, long: bool = False) -> object:
    """Refuse NUL and other control characters in a string (long text may hold tabs and line breaks).

    Surrounding whitespace is ignored, as the models strip it.
    """
    if isinstance(value, str):
        pattern, text = (_CONTROL_IN_LONG_TEXT, value) if long else (_CONTROL, value.strip(" \t\r\n"))
        found = pattern.search(text)
        if found:
            raise ValueError(f"contains a control character (U+{ord(found.group()):04X}); use plain text")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: object, info: ValidationInfo) -> object:
        return plain_text(value, long=info.field_name in LONG_TEXT_FIELDS)


NonEmpty = Annotated[str, Field(min_length=1, max_length=2000), BeforeValidator(lambda v: plain_text(v, long=True))]
ShortText = Annotated[str, Field(min_length=1, max_length=200), BeforeValidator(plain_text)]


class Business(_Strict):
    """Who the client is."""

    name: ShortText = Field(description="Business or brand name.")
    description: NonEmpty = Field(description="What the business sells, in a sentence or two.")
    industry: ShortText = Field(description="Industry, free text (e.g. 'B2B software').")
    model: Literal["b2b", "b2c", "both"] = Field("b2c", description="b2b, b2c or both.")
    stage: Literal["idea", "early", "growth", "established"] = Field(
        "early", description="idea, early, growth or established."
    )
    website: str | None = Field(None, max_length=500, description="Website address, if any.")
    locations: list[ShortText] = Field(default_factory=list, description="Where customers are (countries).")
    category: Category | None = Field(
        None, description="Kind of business (see knowledge/data/categories.yaml); detected from industry and "
        "description when absent.",
    )
    events: list[ShortText] = Field(
        default_factory=list, max_length=20,
        description="The business's own recurring events, e.g. 'trivia night every Tuesday'.",
    )
    products: list[ShortText] = Field(
        default_factory=list, max_length=12,
        description="The products or services to feature in posts; read from the description when absent.",
    )


class Audience(_Strict):
    """Who the plan must reach."""

    description: NonEmpty = Field(description="The target audience in plain words.")
    age_min: int = Field(18, ge=13, le=100, description="Youngest age targeted (13..100).")
    age_max: int = Field(65, ge=13, le=100, description="Oldest age targeted (13..100, >= age_min).")
    gender: Literal["any", "mostly_female", "mostly_male"] = Field(
        "any", description="any, mostly_female or mostly_male."
    )
    timezone: str = Field(description="IANA time zone of the audience, e.g. America/Chicago.")
    interests: list[ShortText] = Field(default_factory=list, description="Audience interests.")
    area: ShortText | None = Field(
        None, description="Where the audience is, for ad targeting: 'within 10 miles of Austin, TX', 'Ohio'.",
    )

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", value) or value.lower() == "localtime":
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/Berlin)")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/Berlin)") from None
        return value

    @field_validator("age_max")
    @classmethod
    def _age_order(cls, value: int, info: ValidationInfo) -> int:
        age_min = info.data.get("age_min")
        if age_min is not None and value < age_min:
            raise ValueError(f"is {value}, below age_min ({age_min})")
        return value


_NEGATIVE_NUMBER = re.compile(r"(?<![\w.,\-\u2212])[-\u2212]\d[\d.,]*")
"""A minus sign starting a number: '-50 leads', not '50-100 leads', 'sign-ups' or '2027-06-30'."""
_NUMBER = re.compile(r"\d[\d.,]*")


def check_target(target: str) -> str:
    """Refuse a target that contradicts itself in a way seen without parsing it: a negative or zero amount.

    The target stays free text; agent/planning/target.py reads it properly.
    """
    negative = _NEGATIVE_NUMBER.search(target)
    if negative:
        raise ValueError(f"'{negative.group()}' is negative; a target is an amount to reach, e.g. '50 leads a month'")
    numbers = _NUMBER.findall(target)
    if numbers and all(not number.strip("0.,") for number in numbers):
        raise ValueError("asks for 0, which is no target; give an amount above zero or leave target out")
    return target


class Goals(_Strict):
    """What the plan is for."""

    primary: Goal = Field(description="The one goal the plan optimises for.")
    secondary: list[Goal] = Field(default_factory=list, description="Other goals, in order of importance.")
    horizon_months: Annotated[int, BeforeValidator(friendly(months_of))] = Field(
        3, ge=1, le=24, description="Plan length in months (1..24); '6 months', 'a quarter', '1 year' also work."
    )
    target: str | None = Field(None, max_length=500, description="The client's own target, free text.")

    @field_validator("target")
    @classmethod
    def _sensible_target(cls, value: str | None) -> str | None:
        return check_target(value) if value else value


class Resources(_Strict):
    """What the client can spend."""

    monthly_budget: Annotated[float, BeforeValidator(friendly(lambda t: money_per_month(t)[0]))] = Field(
        ge=0, description="Money per month for social (ads and production); '£2.5k a month', '30000 a year' work."
    )
    currency: str = Field("USD", pattern="^[A-Z]{3}$", description="ISO 4217 code, e.g. USD, EUR.")
    team_hours_per_week: Annotated[float, BeforeValidator(friendly(hours_per_week))] = Field(
        gt=0, le=400, description="Hours per week the team can give social; '2 hours a day' also works."
    )
    formats: list[Format] = Field(
        default_factory=lambda: [Format.text, Format.images], description="Formats the team can make."
    )

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _currency_from_budget(cls, data: Any) -> Any:
        """'£500 a month' as the budget also says GBP, unless the brief gives a currency."""
        if isinstance(data, dict) and isinstance(data.get("monthly_budget"), str) and "currency" not in data:
            try:
                currency = money_per_month(data["monthly_budget"])[1]
            except ValueError:
                return data
            return {**data, "currency": currency} if currency else data
        return data

    @field_validator("monthly_budget")
    @classmethod
    def _sane_budget(cls, value: float) -> float:
        if value > MAX_MONTHLY_BUDGET:
            raise ValueError(f"{value:g} is more than the {MAX_MONTHLY_BUDGET:,.0f} a month a plan can use")
        return value


class Presence(_Strict):
    """A current account on one platform."""

    platform: Platform
    followers: int = Field(0, ge=0, description="Current followers.")
    posts_per_week: float = Field(0, ge=0, le=200, description="Current posting rate.")
    engagement_rate: float | None = Field(
        None, ge=0, le=1, description="Engagements per post / followers, as a fraction."
    )

    @field_validator("followers")
    @classmethod
    def _sane_followers(cls, value: int) -> int:
        if value > MAX_FOLLOWERS:
            raise ValueError(f"is more than {MAX_FOLLOWERS:,} (more accounts than people)")
        return value


class Brief(_Strict):
    """Everything the planner needs to know about one client."""

    business: Business
    audience: Audience
    goals: Goals
    resources: Resources
    presence: list[Presence] = Field(default_factory=list, description="Current accounts.")
    exclude_platforms: list[Platform] = Field(default_factory=list, description="Never recommend these.")
    competitors: list[ShortText] = Field(default_factory=list, description="Competitors to track.")
    start_date: dt.date | None = Field(None, description="First day of the plan (default: next Monday).")

    @field_validator("exclude_platforms")
    @classmethod
    def _something_left(cls, value: list[Platform]) -> list[Platform]:
        if set(Platform) <= set(value):
            raise ValueError("excludes every platform, so there is nothing to plan")
        return value

    @model_validator(mode="after")
    def _unique_presence(self) -> Brief:
        seen = [p.platform for p in self.presence]
        dupes = sorted({p.value for p in seen if seen.count(p) > 1})
        if dupes:
            raise ValueError(f"presence lists {', '.join(dupes)} more than once")
        return self

    def resolved_start(self, today: dt.date) -> dt.date:
        """The plan's first day: start_date, else the Monday after `today`."""
        if self.start_date is not None:
            return self.start_date
        return today + dt.timedelta(days=7 - today.weekday())

    def presence_for(self, platform: Platform) -> Presence | None:
        """The client's current account on `platform`, if any."""
        return next((p for p in self.presence if p.platform == platform), None)
