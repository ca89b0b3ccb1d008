"""How much of a brief's audience each platform reaches, from the usage tables.

The base table describes US adults and teens (Pew), by age band and gender. Where a published survey
exists for the audience's country (knowledge/data/countries.yaml), its share replaces the US one,
shaped by the US age curve (the age skew of a platform travels better than its level), or taken as
it is for a young audience when the survey gives young-adult figures. A platform banned in the
country reaches nobody. Elsewhere the US figures are a proxy, and `population_note` says so.
Intensity (the share of users on it daily) tempers reach: a daily platform earns more attention.
"""

from __future__ import annotations

from pydantic import BaseModel

from agent.model.brief import Brief, Platform
from agent.planning.geo import audience_country
from agent.planning.tables import CountryUsage, Tables, Usage

YOUTH_MAX_AGE = 29
"""An audience whose oldest age is at most this is 'young' for the surveys' young-adult figures."""
INTENSITY_WEIGHT = 0.25
"""Share of the reach factor that depends on daily use (the rest on whether people use it at all)."""


class Reach(BaseModel):
    """Share of the audience using a platform, how often, and where the figure comes from."""

    share: float
    daily: float
    note: str
    citations: list[str]
    banned: bool = False

    @property
    def value(self) -> float:
        """Reach weighted by intensity, 0..1."""
        return round(self.share * (1 - INTENSITY_WEIGHT + INTENSITY_WEIGHT * self.daily), 3)

BAND_RANGES: dict[str, tuple[int, int]] = {
    "13-17": (13, 17),
    "18-29": (18, 29),
    "30-49": (30, 49),
    "50-64": (50, 64),
    "65+": (65, 100),
}
US_NAMES = {"us", "usa", "united states", "united states of america", "america"}


def band_weights(age_min: int, age_max: int) -> dict[str, float]:
    """Share of the audience's age span that falls in each band (sums to 1)."""
    overlaps: dict[str, float] = {}
    for band, (low, high) in BAND_RANGES.items():
        years = min(high, age_max) - max(low, age_min) + 1
        if years > 0:
            overlaps[band] = float(years)
    total = sum(overlaps.values())
    return {band: years / total for band, years in overlaps.items()}


def reach_share(usage: Usage, brief: Brief) -> float:
    """Estimated share of the brief's audience that uses the platform."""
    weights = band_weights(brief.audience.age_min, brief.audience.age_max)
    by_age = sum(usage.ages.get(band, usage.overall) * w for band, w in weights.items())
    gender = brief.audience.gender
    if gender == "any" or usage.overall <= 0:
        return by_age
    side = usage.women if gender == "mostly_female" else usage.men
    return min(1.0, by_age * side / usage.overall)


def usage_for(tables: Tables, platform: Platform) -> Usage | None:
    """The usage row of a platform."""
    return next((u for u in tables.usage if u.platform == platform), None)


def is_us_audience(brief: Brief) -> bool:
    """True when the audience is in the US (by locations, else by time zone)."""
    if brief.business.locations:
        return any(loc.strip().lower() in US_NAMES for loc in brief.business.locations)
    zone = brief.audience.timezone
    return zone.startswith("US/") or zone in US_ZONES


def population_note(brief: Brief, tables: Tables) -> str:
    """'' for US audiences and surveyed countries; otherwise a sentence saying the figures are a US proxy."""
    if is_us_audience(brief):
        return ""
    row = country_row(brief, tables)
    if row is not None:
        missing = [p.value for p in Platform if p not in row.shares and p not in row.banned]
        if not missing:
            return ""
        return (f"Usage for {', '.join(missing)} in {row.country} is not in the survey; {tables.usage_population} "
                "is used as a proxy for those.")
    where = ", ".join(brief.business.locations) or brief.audience.timezone
    return f"Usage figures describe {tables.usage_population}; they are used as a proxy for {where}."


US_ZONES = {
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "America/Adak", "Pacific/Honolulu", "America/Detroit", "America/Boise",
    "America/Indiana/Indianapolis", "America/Kentucky/Louisville", "America/Juneau", "America/Sitka",
    "America/Menominee", "America/North_Dakota/Center", "America/Nome", "America/Yakutat",
}


def country_row(brief: Brief, tables: Tables) -> CountryUsage | None:
    """The survey row of the audience's country, when one is published."""
    code = audience_country(brief)
    return next((row for row in tables.country_usage if row.country == code), None)


def _span(brief: Brief) -> str:
    return f"aged {brief.audience.age_min}–{brief.audience.age_max}"


def audience_reach(brief: Brief, tables: Tables, platform: Platform) -> Reach:
    """The platform's reach in the brief's audience: country survey where published, else US figures."""
    usage = usage_for(tables, platform)
    if usage is None:
        return Reach(share=0.0, daily=0.0, note="no usage figure", citations=[])
    us_share = reach_share(usage, brief)
    cites = [usage.source, *([usage.daily_source] if usage.daily_source else [])]
    row = country_row(brief, tables)
    if row is not None and platform in row.banned:
        return Reach(share=0.0, daily=0.0, banned=True, citations=[row.source],
                     note=f"not available in {row.country} [{row.source}]")
    if row is None or platform not in row.shares:
        return Reach(share=round(us_share, 3), daily=usage.daily, citations=cites,
                     note=f"about {us_share:.0%} of people {_span(brief)} use it")
    young = brief.audience.age_max <= YOUTH_MAX_AGE and platform in row.youth
    shape = us_share / usage.overall if usage.overall else 1.0
    share = row.youth[platform] if young else min(1.0, row.shares[platform] * shape)
    who = "young adults" if young else f"people {_span(brief)}"
    return Reach(share=round(share, 3), daily=usage.daily, citations=[row.source, *cites],
                 note=f"about {share:.0%} of {who} in {row.country} use it ({row.population})")
