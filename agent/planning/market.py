"""Market engine: which countries the plan serves, what ads cost there, which languages and time zones.

Markets come from the brief's locations (countries), else the audience's time-zone country. Each has a
row in knowledge/data/markets.yaml: languages, a paid-cost index relative to the US (cited; the
region's index where the country has none), a consent regime, messaging apps people use with
businesses, and a representative time zone. Paid cost tables (USD, mostly US samples) are scaled by
the markets' mean index before any forecast, then converted to the client's currency; a market
with no row keeps US costs and the plan says so. Markets more than three hours apart get posting
slots of their own.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from agent.model.brief import Brief
from agent.model.market import MarketInfo
from agent.planning.geo import audience_country, country_code
from agent.planning.tables import Market, Tables

UNSCALED = {"linkedin"}
"""Platforms whose costs the (Meta-based) market index does not move."""
SPLIT_HOURS = 3
"""Markets whose clocks differ by more than this get their own posting slots."""
ZONE_FALLBACK = "the audience's time zone"


def market_rows(brief: Brief, tables: Tables) -> list[Market]:
    """The plan's markets in the brief's order (unknown countries left out; see `unknown_markets`)."""
    codes = [c for loc in brief.business.locations if (c := country_code(loc))]
    if not codes:
        home = audience_country(brief)
        codes = [home] if home else []
    rows = {m.country: m for m in tables.markets}
    return [rows[c] for c in dict.fromkeys(codes) if c in rows]


def unknown_markets(brief: Brief, tables: Tables) -> list[str]:
    """Locations that name no known market (regions, cities or countries without a row)."""
    known = {m.country for m in tables.markets}
    return [loc for loc in brief.business.locations if country_code(loc) not in known]


def market_infos(brief: Brief, markets: list[Market]) -> list[MarketInfo]:
    """The markets as plan.json states them; the first market takes the audience's own zone."""
    out = []
    for index, row in enumerate(markets):
        zone = brief.audience.timezone if index == 0 or not row.zone else row.zone
        out.append(MarketInfo(country=row.country, name=row.name, zone=zone, languages=row.languages,
                              cost_index=row.cost_index, cost_source=row.cost_source,
                              cost_uncertain=row.cost_uncertain))
    return out


def cost_index(markets: list[Market]) -> tuple[float, str, list[str]]:
    """Mean cost index of the markets, a note saying where it comes from, and its sources."""
    if not markets:
        return 1.0, "no market cost figure for this audience: US costs are used as they are (assumption)", []
    index = round(sum(m.cost_index for m in markets) / len(markets), 2)
    names = ", ".join(f"{m.name} {m.cost_index:g}" for m in markets)
    word = "uncertain" if any(m.cost_uncertain for m in markets) else "cited"
    note = f"costs scaled to the markets (US = 1: {names}; mean {index:g}, {word})"
    return index, note, list(dict.fromkeys(m.cost_source for m in markets))


def market_tables(tables: Tables, markets: list[Market]) -> Tables:
    """The tables with paid costs scaled to the markets. LinkedIn keeps its costs: it prices B2B audiences
    by job and seniority worldwide, and the index comes from Meta CPMs (assumption). The useful minimum
    spend scales too (fewer dollars buy enough results where ads are cheap), never below 30 days of the
    platform's minimum daily budget."""
    index, note, sources = cost_index(markets)
    if index == 1.0 and not markets:
        return tables
    paid = [row if row.platform.value in UNSCALED else row.model_copy(update={
        "cpm": (row.cpm[0] * index, row.cpm[1] * index), "cpc": (row.cpc[0] * index, row.cpc[1] * index),
        "cost_per_result": {g: (lo * index, hi * index) for g, (lo, hi) in row.cost_per_result.items()},
        "min_monthly_useful": max(row.min_daily * 30, row.min_monthly_useful * index),
        "market": note, "market_sources": sources,
    }) for row in tables.paid]
    return tables.model_copy(update={"paid": paid})


def languages(markets: list[Market], visitors: bool = False) -> tuple[list[str], str]:
    """The languages posts and ads should be written in (each market's main one; English too when the
    audience includes visitors from abroad), and what the plan says about them."""
    found = list(dict.fromkeys(m.languages[0] for m in markets if m.languages))
    if visitors and found and "English" not in found:
        found.append("English")
    others = [lang for m in markets for lang in m.languages[1:] if lang not in found]
    if not found:
        return [], "Write posts and ads in the language your customers use."
    if others:
        also = f"Where you target speakers of {languages_text(others)}, write those too."
        return found, f"Write posts and ads in {languages_text(found)}. {also}"
    if found == ["English"]:
        return found, "Posts and ads are written in English."
    return found, (f"Write posts and ads in {languages_text(found)}, as the markets read them; the post ideas in "
                   "this document are in English and need writing in those languages, not machine-translating.")


def languages_text(names: list[str]) -> str:
    """'German', 'German and English', 'French, Dutch and English'."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _offset(zone: str, day: dt.date) -> float:
    delta = dt.datetime.combine(day, dt.time(12), ZoneInfo(zone)).utcoffset()
    return delta.total_seconds() / 3600 if delta else 0.0


def zone_groups(infos: list[MarketInfo], start: dt.date) -> list[list[MarketInfo]]:
    """Markets grouped so that clocks within a group differ by at most SPLIT_HOURS."""
    groups: list[list[MarketInfo]] = []
    for info in infos:
        home = next((g for g in groups if abs(_offset(g[0].zone, start) - _offset(info.zone, start)) <= SPLIT_HOURS),
                    None)
        if home is None:
            groups.append([info])
        else:
            home.append(info)
    return groups


def messaging(markets: list[Market]) -> list[str]:
    """Messaging apps the markets run on, most common first."""
    return list(dict.fromkeys(app for m in markets for app in m.messaging))
