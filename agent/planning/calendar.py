"""Calendar engine: the horizon's weeks x the schedule -> dated posts with format, pillar and topic.

Pillars follow the content-mix rule for the primary goal, spread evenly by smooth weighted
round-robin per channel; formats rotate through the channel's formats; topics come from the brief
(interests, industry, offer). Public holidays of the audience's country are noted on the posts that
fall on them (holidays package).
"""

from __future__ import annotations

import calendar as cal
import datetime as dt

import holidays as holidays_lib

from agent.model.brief import Brief
from agent.model.plan import DAYS, CalendarPost, Pillar, ScheduleItem
from agent.planning.tables import PillarRule, Tables
from agent.planning.topics import topic_for


def end_of_horizon(start: dt.date, months: int) -> dt.date:
    """Last day of a plan that starts on `start` and lasts `months` months."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    if start.day <= cal.monthrange(year, month)[1]:
        return dt.date(year, month, start.day) - dt.timedelta(days=1)
    return dt.date(year, month, cal.monthrange(year, month)[1])


def pillar_rule(brief: Brief, tables: Tables) -> PillarRule:
    """The content-mix rule that covers the primary goal."""
    return next((r for r in tables.pillars if brief.goals.primary in r.goals), tables.pillars[0])


def pillars_of(rule: PillarRule) -> list[Pillar]:
    """The rule's pillars as plan models."""
    return [Pillar(name=n, share=s, purpose=rule.purposes.get(n, "")) for n, s in rule.pillars.items()]


def _round_robin(shares: dict[str, float], count: int) -> list[str]:
    """Smooth weighted round-robin: a sequence of `count` pillar names matching the shares."""
    current = dict.fromkeys(shares, 0.0)
    out = []
    for _ in range(count):
        for name, share in shares.items():
            current[name] += share
        pick = max(current, key=lambda n: (current[n], -list(shares).index(n)))
        current[pick] -= 1.0
        out.append(pick)
    return out


def public_holidays(country: str | None, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Public holidays of `country` between start and end (empty when unknown)."""
    if not country:
        return {}
    try:
        found = holidays_lib.country_holidays(country, years=range(start.year, end.year + 1))
    except NotImplementedError:
        return {}
    return {day: name for day, name in sorted(found.items()) if start <= day <= end}


def build_calendar(
    brief: Brief, tables: Tables, schedule: list[ScheduleItem], start: dt.date, country: str | None
) -> list[CalendarPost]:
    """Every post of the horizon, in date and time order."""
    end = end_of_horizon(start, brief.goals.horizon_months)
    days_off = public_holidays(country, start, end)
    rule = pillar_rule(brief, tables)
    dates = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    posts: list[CalendarPost] = []
    for item in schedule:
        slots = [(d, s) for d in dates for s in item.slots if DAYS[d.weekday()] == s.day]
        pillars = _round_robin(rule.pillars, len(slots))
        seen: dict[str, int] = {}
        for index, ((day, slot), pillar) in enumerate(zip(slots, pillars, strict=True)):
            seen[pillar] = seen.get(pillar, -1) + 1
            fmt = item.formats[index % len(item.formats)]
            note = f"Public holiday: {days_off[day]}" if day in days_off else ""
            posts.append(CalendarPost(
                date=day, time=slot.time, timezone=slot.timezone, platform=item.platform, format=fmt,
                pillar=pillar, topic=topic_for(brief, pillar, item.platform.value, seen[pillar]), note=note,
            ))
    return sorted(posts, key=lambda p: (p.date, p.time, p.platform.value))
