"""The files of one plan version: strategy.md, .html, .docx and .pdf, plan.json, calendar.csv, calendar.ics,
a Sprout Social bulk-import file per platform, the charts as SVG, and a `heatmap-<platform>.png` per platform
of the user's own analytics (the charts and heatmaps are embedded in the documents too).

Every function here is pure: a Strategy in, text or bytes out, the same bytes for the same Strategy.
Writing them to disk is `agent.render.versions`' job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from agent.model.brand import LoadedBrand
from agent.model.plan import CalendarPost, Strategy
from agent.render.charts import build_charts
from agent.render.document import heatmap_files, html_body, render_html, render_markdown
from agent.render.scheduler import calendar_csv, sprout_files
from agent.render.templating import format_name, platform_name

DOCUMENTS = frozenset({"docx", "pdf"})
"""The optional documents `render_files` writes by default."""
PRODID = "-//Socialplan//Social media content calendar//EN"
POST_MINUTES = 30


def plan_json(strategy: Strategy) -> str:
    """plan.json: the Strategy as indented JSON, fields in model order, ending with a newline."""
    return strategy.model_dump_json(indent=2) + "\n"


def calendar_ics(strategy: Strategy) -> bytes:
    """calendar.ics: one 30-minute VEVENT per post in the audience's time zone, with its VTIMEZONE.

    The bytes are icalendar's. When every post shares one time zone, icalendar writes the calendar's
    head, the VTIMEZONE and the first event, and the other events are written here line for line as
    icalendar writes them (`_event_lines`: its property order, TEXT escaping and 75-octet folding),
    which takes a tenth of the time; the first event checks that, and any difference falls back to
    icalendar for the whole calendar."""
    zones = {post.timezone for post in strategy.calendar}
    if len(zones) != 1 or len(strategy.calendar) < 2:
        return _calendar(strategy, strategy.calendar).to_ical()
    seen: set[str] = set()
    first, rest = strategy.calendar[0], strategy.calendar[1:]
    head = _calendar(strategy, [first], seen).to_ical()
    cut = head.index(b"BEGIN:VEVENT\r\n")
    end = head.rindex(b"END:VCALENDAR\r\n")
    stamp = strategy.created_at.astimezone(dt.UTC)
    if _event_lines(first, next(iter(seen)), stamp) != head[cut:end]:
        return _calendar(strategy, strategy.calendar).to_ical()
    events = b"".join(_event_lines(post, post_uid(strategy, post, seen), stamp) for post in rest)
    return head[:end] + events + head[end:]


def _calendar(strategy: Strategy, posts: list[CalendarPost], seen: set[str] | None = None) -> Calendar:
    """The calendar with an event per post in `posts`, its time zones spanning the whole plan."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{strategy.brief.business.name}: social media calendar")
    cal.add("x-wr-timezone", strategy.brief.audience.timezone)
    stamp = strategy.created_at.astimezone(dt.UTC)
    seen = set() if seen is None else seen
    for post in posts:
        cal.add_component(_event(strategy, post, stamp, seen))
    if strategy.calendar:
        first = min(post.date for post in strategy.calendar) - dt.timedelta(days=1)
        last = max(post.date for post in strategy.calendar) + dt.timedelta(days=2)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal


def _summary(post: CalendarPost) -> str:
    return f"{platform_name(post.platform)}: {format_name(post.format).capitalize()} — {post.topic}"


def _description(post: CalendarPost) -> str:
    description = f"Pillar: {post.pillar}"
    return f"{description}\n{post.note}" if post.note else description


def _event_lines(post: CalendarPost, uid: str, stamp: dt.datetime) -> bytes:
    """One VEVENT as icalendar writes `_event`'s: properties in its canonical order, then by name."""
    hour, minute = (int(part) for part in post.time.split(":"))
    start = dt.datetime.combine(post.date, dt.time(hour, minute))
    end = start + dt.timedelta(minutes=POST_MINUTES)
    zone = post.timezone
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_ical_text(_summary(post))}",
        f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%S}Z",
        f"UID:{_ical_text(uid)}",
        f"CATEGORIES:{_ical_text(platform_name(post.platform))},{_ical_text(post.pillar)}",
        f"DESCRIPTION:{_ical_text(_description(post))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _ical_text(text: str) -> str:
    """iCalendar TEXT escaping, replacements in icalendar's order."""
    return (
        text.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
        .replace("\r\n", r"\n").replace("\n", r"\n").replace("\r", r"\n")
    )


def _fold(line: str, limit: int = 75) -> str:
    """A content line folded as icalendar folds it: segments under `limit` octets, never splitting a
    backslash or caret escape from the character after it."""
    if len(line) < limit and (line.isascii() or len(line.encode("utf-8")) < limit):
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and count + size >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, count = [carried], len(carried.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def _event(strategy: Strategy, post: CalendarPost, stamp: dt.datetime, seen: set[str]) -> Event:
    hour, minute = (int(part) for part in post.time.split(":"))
    start = dt.datetime.combine(post.date, dt.time(hour, minute), tzinfo=ZoneInfo(post.timezone))
    event = Event()
    event.add("uid", post_uid(strategy, post, seen))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=POST_MINUTES))
    event.add("summary", _summary(post))
    event.add("description", _description(post))
    event.add("categories", [platform_name(post.platform), post.pillar])
    event.add("transp", "TRANSPARENT")
    return event


def post_uid(strategy: Strategy, post: CalendarPost, seen: set[str]) -> str:
    """A UID stable across runs: a hash of client, version, date, time and platform (numbered if repeated)."""
    key = f"{strategy.client}|{strategy.version}|{post.date.isoformat()}|{post.time}|{post.platform.value}"
    base = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    uid, n = f"{base}@socialplan", 1
    while uid in seen:
        n += 1
        uid = f"{base}-{n}@socialplan"
    seen.add(uid)
    return uid


def heatmaps(strategy: Strategy) -> dict[str, bytes]:
    """heatmap-<platform>.png for each platform of the own-analytics summary with a slot grid."""
    names = heatmap_files(strategy)
    if not names or strategy.analytics is None:
        return {}
    from agent.analytics.heatmap import heatmap_png

    zone = strategy.brief.audience.timezone
    slots = {item.platform.value: item.slots for item in strategy.schedule}
    return {
        names[own.platform.value]: heatmap_png(own, slots.get(own.platform.value, []), zone)
        for own in strategy.analytics.platforms
        if own.platform.value in names
    }


def render_files(
    strategy: Strategy, brand: LoadedBrand | None = None, documents: frozenset[str] = DOCUMENTS
) -> dict[str, bytes]:
    """Every file of a version folder, by name: the documents (strategy.docx and .pdf when `documents`
    names them), plan.json, the calendars, the charts as SVG and any own-analytics heatmaps."""
    charts = build_charts(strategy, brand.colour if brand else None)
    svgs = {f"chart-{c.name}.svg": c.svg.encode("utf-8") for c in charts}
    markdown_text = render_markdown(strategy, {c.name: c.title for c in charts}, brand)
    images = {**heatmaps(strategy), **svgs}
    page = render_html(strategy, markdown_text, images, brand)
    files = {
        "strategy.md": markdown_text.encode("utf-8"),
        "strategy.html": page.encode("utf-8"),
        "plan.json": plan_json(strategy).encode("utf-8"),
        "calendar.csv": calendar_csv(strategy).encode("utf-8"),
        "calendar.ics": calendar_ics(strategy),
        **{name: text.encode("utf-8") for name, text in sprout_files(strategy).items()},
        **images,
    }
    if "docx" in documents:
        from agent.render.docx_file import strategy_docx

        pngs = {**images, **{f"chart-{c.name}.png": c.png() for c in charts}}
        title = f"Social media strategy: {' '.join(strategy.brief.business.name.split())}"
        files["strategy.docx"] = strategy_docx(
            title, html_body(markdown_text, images), pngs, brand, client_name=strategy.brief.business.name
        )
    if "pdf" in documents:
        from agent.render.pdf_file import strategy_pdf

        files["strategy.pdf"] = strategy_pdf(page)
    return files
