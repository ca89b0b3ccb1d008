"""Moments engine: the dates in the horizon that matter to this kind of business in its markets.

Rows of knowledge/data/moments.yaml apply by country and category (empty = all); their dates are
fixed ('12-25'), ranges ('01-01..01-31', the start counts) or nth weekdays ('2-sun-05', 'last-fri-11').
The client's own recurring events (`business.events`: 'trivia night every Tuesday', 'live music on
Fridays', 'market on the first Saturday of the month') become dated moments too. The two or three
that matter most (kind-of-business moments first, then shopping peaks and holidays, earliest first)
are named in the summary; the calendar gives each a post.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re

from dateutil.easter import easter

from agent.model.brief import Brief
from agent.model.market import PlanMoment
from agent.planning.tables import Moment, Tables

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
WEEKDAY = re.compile(r"\b(mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?\b", re.IGNORECASE)
ORDINAL = re.compile(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|last)\b", re.IGNORECASE)
KIND_RANK = {"sector": 0, "trade_fair": 0, "shopping": 1, "holiday": 2, "season": 3, "awareness": 3, "payday": 4}
TOP = 3


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date | None:
    """The n-th (1-based; -1 = last) `weekday` of a month."""
    days = [d for d in range(1, cal.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == weekday]
    if not days or n > len(days):
        return None
    return dt.date(year, month, days[n - 1] if n > 0 else days[-1])


def date_in(rule: str, year: int) -> dt.date | None:
    """The date a moment's rule gives in `year` (None when the rule cannot be read or has no date that year)."""
    rule = rule.split("..")[0].strip().lower()
    if "|" in rule or re.fullmatch(r"\d{4}-\d{2}-\d{2}", rule):
        found = [d for d in (_iso(x) for x in rule.split("|")) if d is not None and d.year == year]
        return found[0] if found else None
    whole = _base_date(rule, year)
    if whole is not None:
        return whole
    shift = re.fullmatch(r"(.+?)([+-]\d+)", rule)
    if shift is None:
        return None
    day = _base_date(shift.group(1), year)
    return day + dt.timedelta(days=int(shift.group(2))) if day is not None else None


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _base_date(rule: str, year: int) -> dt.date | None:
    try:
        if rule == "easter":
            return easter(year)
        if re.fullmatch(r"\d{2}-\d{2}", rule):
            month, day = map(int, rule.split("-"))
            return dt.date(year, month, day)
        match = re.fullmatch(r"(\d|last)-([a-z]{3})-(\d{2})", rule)
        if match and match.group(2) in DAY_NAMES:
            n = -1 if match.group(1) == "last" else int(match.group(1))
            return nth_weekday(year, int(match.group(3)), DAY_NAMES.index(match.group(2)), n)
    except ValueError:
        return None
    return None


def starts_a_word(words: list[str], text: str) -> bool:
    """True when one of `words` starts a word of `text` (case-insensitive)."""
    lowered = text.lower()
    return any(re.search(rf"(?<![a-z]){re.escape(w.lower())}", lowered) for w in words)


def mentions(words: list[str], brief: Brief) -> bool:
    """True when no words are required, or one of them is in the business's own words."""
    if not words:
        return True
    return starts_a_word(words, " ".join([brief.business.industry, brief.business.description,
                                          *brief.business.events]))


def specific_names(tables: Tables) -> set[str]:
    """Names of the moments written for some kinds of business (the rest are meant for every business)."""
    return {m.name for m in tables.moments if m.categories}


def _applies(moment: Moment, countries: list[str], kinds: list[str], minors: bool = False) -> bool:
    """In the markets, for these kinds of business, and no payday or tax refund for an audience of minors."""
    in_market = not moment.countries or any(c in moment.countries for c in countries)
    for_kind = not moment.categories or bool(set(kinds) & {c.value for c in moment.categories})
    return in_market and for_kind and not (minors and moment.kind == "payday")


def table_moments(brief: Brief, tables: Tables, countries: list[str], kinds: list[str], start: dt.date,
                  end: dt.date) -> list[tuple[Moment, dt.date]]:
    """Table moments that fall in the horizon for these markets and these kinds of business."""
    found = []
    minors = brief.audience.age_max < 18
    for moment in (m for m in tables.moments if _applies(m, countries, kinds, minors) and mentions(m.words, brief)):
        for year in range(start.year, end.year + 1):
            day = date_in(moment.date, year)
            if day is not None and start <= day <= end:
                found.append((moment, day))
    return sorted(found, key=lambda item: (item[1], item[0].name))


def event_dates(event: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Dates of a recurring event in the horizon: weekly on a weekday, or the n-th weekday of each month."""
    day = WEEKDAY.search(event)
    if day is None:
        return []
    weekday = next(i for i, name in enumerate(DAY_NAMES) if day.group(1).lower().startswith(name))
    nth = ORDINAL.search(event)
    if nth is not None and re.search(r"\bmonth", event, re.IGNORECASE):
        months = {(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1) for i in range(25)}
        dates = [nth_weekday(y, m, weekday, ORDINALS[nth.group(1).lower()]) for y, m in sorted(months)]
        return [d for d in dates if d is not None and start <= d <= end]
    first = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    return [first + dt.timedelta(weeks=w) for w in range((end - first).days // 7 + 1)]


RECURRENCE = re.compile(
    r"[\s,]+(?:(?:every|each|on)\s+(?:the\s+)?(?:other\s+)?(?:(?:first|second|third|fourth|last|\d+(?:st|nd|rd|th))"
    r"\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?(?:\s+(?:of\s+)?(?:each|every|the)\s+month)?|weekly|monthly)"
    r"\s*$",
    re.IGNORECASE)
OWN_EVENT_IDEA = "what is on this time, who it is for and how to come along"
"""What a post about the client's own recurring event says (its name and date lead the topic)."""


def event_title(event: str) -> str:
    """The client's event without its recurrence: 'Trivia night every Tuesday' -> 'Trivia night'."""
    return RECURRENCE.sub("", event).strip() or event


def plan_moments(brief: Brief, tables: Tables, countries: list[str], kinds: list[str], start: dt.date,
                 end: dt.date) -> list[PlanMoment]:
    """Every moment in the horizon: the table's (for the plan's kinds of business), then the client's own
    events, by date."""
    out = [PlanMoment(name=m.name, date=d, kind=m.kind, idea=m.idea_of(kinds), source=m.source,
                      on_the_day=any(c.value in kinds for c in m.on_the_day))
           for m, d in table_moments(brief, tables, countries, kinds, start, end)]
    for event in brief.business.events:
        out += [PlanMoment(name=event, date=d, kind="own_event", source="brief", idea=OWN_EVENT_IDEA)
                for d in event_dates(event, start, end)]
    return sorted(out, key=lambda m: (m.date, m.name))


def top_moments(moments: list[PlanMoment], tables: Tables) -> list[str]:
    """The two or three moments that matter most, named with their dates: this kind of business's own
    dates first, then shopping peaks and holidays; awareness days meant for everyone only to fill up."""
    specific = specific_names(tables)

    def rank(m: PlanMoment) -> tuple[bool, int, dt.date]:
        generic = m.name not in specific
        return generic, KIND_RANK.get(m.kind, 5) + (10 if generic and m.kind == "awareness" else 0), m.date

    ranked = sorted((m for m in moments if m.kind != "own_event"), key=rank)
    chosen = sorted({m.name: m for m in reversed(ranked)}.values(), key=rank)
    return [f"{m.name} ({m.date:%d %b})" for m in chosen[:TOP]]
