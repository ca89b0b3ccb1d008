"""Calendar engine: the horizon's weeks x the schedule -> dated posts with format, pillar and topic.

Pillars are the business's own (agent.planning.pillars: the category's pillars, shares from the goal's
content-mix rule), spread by smooth weighted round-robin per channel; formats rotate through the channel's
formats. Public holidays of the audience's country are noted on the posts that fall on them (holidays
package). Each moment of the horizon (seasons, shopping peaks, sector dates, the client's own events) takes
over the topic of one primary-channel post in its lead-up: the last one on or before the day, within the
moment's lead time (a week for the client's own events), and for long lead times the first one too; a
business that trades on the day itself (a restaurant on Cinco de Mayo, a shop on Black Friday) also posts on
it, the channel's next post moving onto the day when it is not a posting day. The other posts take their
topics, in date order, from the category's topic bank filled with the business's own products
(agent.planning.topics): no topic twice in a calendar month.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt

import holidays as holidays_lib

from agent.model.brief import Brief, Format
from agent.model.market import PlanMoment
from agent.model.plan import DAYS, CalendarPost, ScheduleItem
from agent.planning.moments import event_title, specific_names
from agent.planning.pillars import PlanPillar
from agent.planning.rotation import format_shares
from agent.planning.tables import Tables
from agent.planning.topics import TopicPicker, TopicSource


def end_of_horizon(start: dt.date, months: int) -> dt.date:
    """Last day of a plan that starts on `start` and lasts `months` months."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    if start.day <= cal.monthrange(year, month)[1]:
        return dt.date(year, month, start.day) - dt.timedelta(days=1)
    return dt.date(year, month, cal.monthrange(year, month)[1])


def _round_robin(shares: dict[str, float], count: int) -> list[str]:
    """Smooth weighted round-robin: a sequence of `count` names (pillars, formats) matching the shares."""
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
REMINDER = "last reminder: the date, your opening hours or last order day, and how to book or order"
"""What the second post of a trading date says (the first carried the idea and its lead time)."""
DAY_OF = "today: what is on, your hours, and how to book or order"
"""What the post on the day itself says, for a business that trades on it (`PlanMoment.on_the_day`)."""
TRADING_KINDS = frozenset(("holiday", "shopping", "season"))


def with_moments(posts: list[CalendarPost], moments: list[PlanMoment], tables: Tables,
                 platform: str | None) -> list[CalendarPost]:
    """Posts with the primary-channel posts of each moment's lead-up given over to it: the last one on or
    before the day, and for long lead times the first one in the window too (people plan ahead). The topic
    names the moment's date, so a weekly event's posts differ; the early post says it is early notice, and the
    later post of a trading date is a reminder of the date, the hours and the last day to order or book.
    Awareness days meant for every business get no post (`_for_everyone`); a business that trades on the day
    itself also posts on it (`_on_the_day`)."""
    taken: set[int] = set()
    for moment in (m for m in moments if not _for_everyone(m, tables)):
        lead = _lead(moment, tables)
        window = [i for i, p in enumerate(posts) if p.platform.value == platform and i not in taken
                  and moment.date - dt.timedelta(days=lead) <= p.date <= moment.date]
        chosen = {window[0], window[-1]} if window and lead >= EARLY_LEAD else set(window[-1:])
        for index in sorted(chosen):
            taken.add(index)
            post = posts[index]
            place = "early" if index != window[-1] else "last" if len(chosen) > 1 else "only"
            if post.date == moment.date and moment.on_the_day:
                place = "day"
            posts[index] = post.model_copy(update={"topic": _moment_topic(moment, place),
                                                   "note": _moment_note(post, moment)})
        if moment.on_the_day:
            _on_the_day(posts, moment, platform, taken)
    return sorted(posts, key=lambda p: (p.date, p.time, p.platform.value))


def _moment_note(post: CalendarPost, moment: PlanMoment, moved: str = "") -> str:
    when = "today" if post.date == moment.date else f"{moment.date:%a %d %b}"
    return "; ".join(x for x in (post.note, f"Moment: {moment.name} ({when}){moved}") if x)


def _on_the_day(posts: list[CalendarPost], moment: PlanMoment, platform: str | None, taken: set[int]) -> None:
    """For a business that trades on the moment's day: when no post of the primary channel falls on it, the
    channel's next post within six days moves onto the day (same time; the plan keeps its number of posts)."""
    if any(p.platform.value == platform and p.date == moment.date for p in posts):
        return
    after = [i for i, p in enumerate(posts) if p.platform.value == platform and i not in taken
             and moment.date < p.date <= moment.date + dt.timedelta(days=6)]
    if not after:
        return
    taken.add(after[0])
    post = posts[after[0]]
    moved = post.model_copy(update={"date": moment.date, "note": ""})
    note = _moment_note(moved, moment, f", moved from {post.date:%a %d %b}")
    posts[after[0]] = moved.model_copy(update={"topic": _moment_topic(moment, "day"), "note": note})


def _for_everyone(moment: PlanMoment, tables: Tables) -> bool:
    """An awareness day meant for every kind of business (Earth Day, Pride Month): listed in the plan, but given
    no post of its own, as a small team's slots go to the business's own dates and products first."""
    return moment.kind == "awareness" and moment.name not in specific_names(tables)


def _moment_topic(moment: PlanMoment, place: str) -> str:
    """A moment post's topic: its idea, marked early notice on the first of two posts; the second of two for a
    trading date reminds of the date, the hours and the last day to order instead of repeating the idea; a post
    on the day itself (`place` 'day') says what is on today."""
    own = moment.kind == "own_event"  # a weekly event is named without its recurrence, with its weekday
    head = f"{event_title(moment.name)} ({moment.date:%a %d %b})" if own else f"{moment.name} ({moment.date:%d %b})"
    if place == "early":
        return f"{head}, early notice: {moment.idea}"
    if place == "last" and moment.kind in TRADING_KINDS:
        return f"{head}, {REMINDER}"
    if place == "day":
        return f"{head}, {DAY_OF}"
    return f"{head}: {moment.idea}"


def _format_rotation(tables: Tables, formats: list[Format], count: int) -> list[str]:
    """The formats of a channel's `count` posts in turn: each in order, or by their shares when one is capped
    (a live stream every fifth post, not every third)."""
    shares = format_shares(tables, formats)
    if len(set(shares.values())) <= 1:
        return [formats[i % len(formats)].value for i in range(count)]
    return _round_robin({f.value: share for f, share in shares.items()}, count)


def _dated_posts(brief: Brief, tables: Tables, schedule: list[ScheduleItem], start: dt.date, country: str | None,
                 pillars: list[PlanPillar]) -> list[CalendarPost]:
    """Every slot of the horizon as a post with its format and pillar (no topic yet), in date and time order."""
    end = end_of_horizon(start, brief.goals.horizon_months)
    days_off = public_holidays(country, start, end)
    dates = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    shares = {p.name: p.share for p in pillars}
    posts: list[CalendarPost] = []
    for item in schedule:
        slots = [(d, s) for d in dates for s in item.slots if DAYS[d.weekday()] == s.day]
        formats = _format_rotation(tables, item.formats, len(slots))
        for (day, slot), pillar, fmt in zip(slots, _round_robin(shares, len(slots)), formats, strict=True):
            note = f"Public holiday: {days_off[day]}" if day in days_off else ""
            posts.append(CalendarPost(
                date=day, time=slot.time, timezone=slot.timezone, platform=item.platform,
                format=Format(fmt), pillar=pillar, topic="", note=note,
            ))
    return sorted(posts, key=lambda p: (p.date, p.time, p.platform.value))


def build_calendar(
    brief: Brief, tables: Tables, schedule: list[ScheduleItem], start: dt.date, country: str | None,
    pillars: list[PlanPillar], topics: TopicSource, moments: list[PlanMoment] | None = None,
) -> list[CalendarPost]:
    """Every post of the horizon, in date and time order: moments first, then topics from the bank."""
    primary = schedule[0].platform.value if schedule else None
    posts = with_moments(_dated_posts(brief, tables, schedule, start, country, pillars), moments or [], tables,
                         primary)
    picker = TopicPicker(topics)
    for post in posts:
        if post.topic:
            picker.reserve(post.topic, post.date)
    return [post if post.topic else post.model_copy(update={"topic": picker.pick(post.pillar, post.date)})
            for post in posts]
