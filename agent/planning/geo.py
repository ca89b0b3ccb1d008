"""Country of an audience, from the brief's locations or its time zone.

Reads the IANA tables shipped in the tzdata package (zone.tab, iso3166.tab) once; no network and
no user files, so engines may call it.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

from agent.model.brief import Brief

ALIASES = {
    "usa": "US",
    "america": "US",
    "uk": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "holland": "NL",
    "korea": "KR",
    "south korea": "KR",
    "russia": "RU",
    "uae": "AE",
    "czechia": "CZ",
    "vietnam": "VN",
    "turkey": "TR",
    "iran": "IR",
}


def tz_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated IANA table shipped in tzdata (zone.tab, iso3166.tab), comments skipped."""
    text = (importlib.resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _zone_countries() -> dict[str, str]:
    return {row[2]: row[0] for row in tz_table("zone.tab") if len(row) >= 3}


@cache
def _country_names() -> dict[str, str]:
    names = {row[1].strip().lower(): row[0] for row in tz_table("iso3166.tab") if len(row) >= 2}
    names.update({code.lower(): code for code in names.values()})
    names.update({alias: code for alias, code in ALIASES.items()})
    names.update({"united states of america": "US", "us": "US"})
    return names


def country_code(location: str) -> str | None:
    """ISO 3166 alpha-2 code of a country name or code, or None."""
    return _country_names().get(location.strip().lower().removeprefix("the "))


def audience_country(brief: Brief) -> str | None:
    """The audience's main country: first known location, else the time zone's country."""
    for location in brief.business.locations:
        code = country_code(location)
        if code:
            return code
    return _zone_countries().get(brief.audience.timezone)
