"""Calendar engine: the horizon's weeks x the schedule -> dated posts with format, pillar and topic.

Pillars follow the content-mix rule for the primary goal, spread evenly by smooth weighted
round-robin per channel; formats rotate through the channel's formats; topics come from the brief
(interests, industry, offer). Public holidays of the audience's country are noted on the posts that
fall on them (holidays package). Each moment of the horizon (seasons, shopping peaks, sector dates,
the client's own events) takes over the topic of one primary-channel post in its lead-up: the last
one on or before the day, within the moment's lead time (a week for the client's own events).
"""

from __future__ import annotations

import calendar as cal
import datetime as dt

import holidays as holidays_lib

from agent.model.brief import Brief
from agent.model.market import PlanMoment
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


def _lead(moment: PlanMoment, tables: Tables) -> int:
    if moment.kind == "own_event":
        return 6
    return next((m.lead_days for m in tables.moments if m.name == moment.name), 14)


EARLY_LEAD = 14
"""Moments with at least this lead time get two posts: one as the lead time opens, one just before."""


def with_moments(posts: list[CalendarPost], moments: list[PlanMoment], tables: Tables,
                 platform: str | None) -> list[CalendarPost]:
    """Posts with the primary-channel posts of each moment's lead-up given over to it: the last one on or
    before the day, and for long lead times the first one in the window too (people plan ahead)."""
    taken: set[int] = set()
    for moment in moments:
        lead = _lead(moment, tables)
        window = [i for i, p in enumerate(posts) if p.platform.value == platform and i not in taken
                  and moment.date - dt.timedelta(days=lead) <= p.date <= moment.date]
        chosen = {window[0], window[-1]} if window and lead >= EARLY_LEAD else set(window[-1:])
        for index in sorted(chosen):
            taken.add(index)
            post = posts[index]
            when = "today" if post.date == moment.date else f"{moment.date:%a %d %b}"
            note = "; ".join(x for x in (post.note, f"Moment: {moment.name} ({when})") if x)
            posts[index] = post.model_copy(update={"topic": f"{moment.name}: {moment.idea}", "note": note})
    return posts


def build_calendar(
    brief: Brief, tables: Tables, schedule: list[ScheduleItem], start: dt.date, country: str | None,
    moments: list[PlanMoment] | None = None,
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
    ordered = sorted(posts, key=lambda p: (p.date, p.time, p.platform.value))
    primary = schedule[0].platform.value if schedule else None
    return with_moments(ordered, moments or [], tables, primary)
