"""How much of a brief's audience each platform reaches, from the usage table.

The usage table describes one population (Pew: US adults, plus US teens). For audiences elsewhere
the figures are a proxy, and `population_note` says so.
"""

from __future__ import annotations

from agent.model.brief import Brief, Platform
from agent.planning.tables import Tables, Usage

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
    """'' for US audiences; otherwise a sentence saying the usage figures are a US proxy."""
    if is_us_audience(brief):
        return ""
    where = ", ".join(brief.business.locations) or brief.audience.timezone
    return f"Usage figures describe {tables.usage_population}; they are used as a proxy for {where}."


US_ZONES = {
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "America/Adak", "Pacific/Honolulu", "America/Detroit", "America/Boise",
    "America/Indiana/Indianapolis", "America/Kentucky/Louisville", "America/Juneau", "America/Sitka",
    "America/Menominee", "America/North_Dakota/Center", "America/Nome", "America/Yakutat",
}
