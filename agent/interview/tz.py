"""Time zones from what people type: an IANA name, a city ('Berlin'), or a country ('Japan').

A country with several zones is ambiguous: the error lists them so the person can pick one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from agent.model.values import AnswerError
from agent.planning.geo import country_code, tz_table

ALIASES = {"utc": "UTC", "gmt": "Etc/GMT", "new york": "America/New_York", "nyc": "America/New_York",
           "la": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "sf": "America/Los_Angeles",
           "washington": "America/New_York", "boston": "America/New_York", "seattle": "America/Los_Angeles",
           "austin": "America/Chicago", "dallas": "America/Chicago", "houston": "America/Chicago",
           "miami": "America/New_York", "atlanta": "America/New_York", "munich": "Europe/Berlin",
           "hamburg": "Europe/Berlin", "frankfurt": "Europe/Berlin", "manchester": "Europe/London",
           "barcelona": "Europe/Madrid", "milan": "Europe/Rome", "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata",
           "bangalore": "Asia/Kolkata", "beijing": "Asia/Shanghai", "sydney": "Australia/Sydney"}


@cache
def _cities() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "Canada/")):
            city = name.rsplit("/", 1)[1].replace("_", " ").lower()
            found.setdefault(city, []).append(name)
    return found


@cache
def _country_zones() -> dict[str, list[str]]:
    zones: dict[str, list[str]] = {}
    for row in tz_table("zone.tab"):
        if len(row) >= 3:
            zones.setdefault(row[0], []).append(row[2])
    return zones


def distinct_zones(zones: list[str]) -> list[str]:
    """One zone per distinct pair of winter and summer UTC offsets, in the table's order."""
    seen: dict[tuple[object, object], str] = {}
    for name in zones:
        zone = zoneinfo.ZoneInfo(name)
        key = (dt.datetime(2027, 1, 15, tzinfo=zone).utcoffset(), dt.datetime(2027, 7, 15, tzinfo=zone).utcoffset())
        seen.setdefault(key, name)
    return list(seen.values())


def resolve_timezone(text: str) -> str:
    """An IANA zone name for `text`; AnswerError (listing choices) when unknown or ambiguous."""
    raw = text.strip()
    if raw in zoneinfo.available_timezones() and ("/" in raw or raw == "UTC"):
        return raw
    key = raw.lower()
    if key in ALIASES:
        return ALIASES[key]
    cities = _cities().get(key, [])
    if len(cities) == 1:
        return cities[0]
    code = country_code(raw)
    zones = distinct_zones(_country_zones().get(code or "", []))
    if len(zones) == 1:
        return zones[0]
    if zones:
        listed = ", ".join(zones[:8]) + (", ..." if len(zones) > 8 else "")
        raise AnswerError(f"{raw} has several time zones: {listed}. Type one of them or a city")
    raise AnswerError(f"unknown time zone {raw!r}: type a city (Berlin), a country (Japan) or an IANA name")
