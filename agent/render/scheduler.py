"""Scheduler-ready calendar files: calendar.csv for spreadsheets and Sprout Social bulk-import files.

calendar.csv starts with a UTF-8 byte-order mark so Excel on Windows reads accents and emoji, uses the
document's names for platforms and formats, and carries a caption draft per post.

Sprout Social's bulk scheduler (support article "How do I use bulk scheduling?", captured 2023-10) takes
a CSV with exactly the case-sensitive headers `date`, `time_24hr` and `message_text`, at most 350 messages
per file, at least 10 minutes apart; the date order (dd/mm/yyyy or mm/dd/yyyy) is chosen at import, and
the profiles are chosen at import too, so there is one file per platform: `sprout-<platform>.csv`, split
into `-2`, `-3`... beyond 350 posts. Dates are mm/dd/yyyy for a US audience and dd/mm/yyyy otherwise;
the document's calendar appendix says which to pick and which time zone to set.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from agent.model.plan import CalendarPost, Strategy
from agent.render.templating import format_name, platform_name

BOM = "\ufeff"
CSV_HEADER = ("date", "time", "timezone", "platform", "format", "pillar", "topic", "caption_draft", "note")
SPROUT_HEADER = ("date", "time_24hr", "message_text")
SPROUT_MAX_ROWS = 350
SPROUT_GAP = dt.timedelta(minutes=10)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a leading apostrophe when it could)."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv(rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def calendar_csv(strategy: Strategy) -> str:
    """calendar.csv: a BOM, then one RFC 4180 row per post (CRLF line ends) under `CSV_HEADER`."""
    rows = [
        (
            post.date.isoformat(), post.time, post.timezone, platform_name(post.platform), format_name(post.format),
            spreadsheet_safe(post.pillar), spreadsheet_safe(post.topic), spreadsheet_safe(post.caption),
            spreadsheet_safe(post.note),
        )
        for post in strategy.calendar
    ]
    return BOM + _csv([CSV_HEADER, *rows])


def sprout_date_format(strategy: Strategy) -> str:
    """The date order the Sprout files use: 'mm/dd/yyyy' for a US audience, else 'dd/mm/yyyy'."""
    countries = {c.upper() for c in strategy.brief.business.locations}
    return "mm/dd/yyyy" if countries and countries <= {"US", "USA", "UNITED STATES"} else "dd/mm/yyyy"


def sprout_files(strategy: Strategy) -> dict[str, str]:
    """`sprout-<platform>[-N].csv` -> its text, one file (or more, 350 rows each) per platform."""
    pattern = "%m/%d/%Y" if sprout_date_format(strategy) == "mm/dd/yyyy" else "%d/%m/%Y"
    by_platform: dict[str, list[CalendarPost]] = {}
    for post in sorted(strategy.calendar, key=lambda p: (p.date, p.time)):
        by_platform.setdefault(post.platform.value, []).append(post)
    files: dict[str, str] = {}
    for platform, posts in by_platform.items():
        times = spaced_times(posts)
        rows = [(when.strftime(pattern), when.strftime("%H:%M"), _message(post)) for post, when in zip(posts, times,
                                                                                                      strict=True)]
        for part, start in enumerate(range(0, len(rows), SPROUT_MAX_ROWS), start=1):
            name = f"sprout-{platform}.csv" if part == 1 else f"sprout-{platform}-{part}.csv"
            files[name] = _csv([SPROUT_HEADER, *rows[start : start + SPROUT_MAX_ROWS]])
    return files


def spaced_times(posts: list[CalendarPost]) -> list[dt.datetime]:
    """Each post's local date and time (posts in date and time order), moved later where needed so that
    posts are 10 minutes apart."""
    out: list[dt.datetime] = []
    for post in posts:
        hour, minute = (int(part) for part in post.time.split(":"))
        when = dt.datetime.combine(post.date, dt.time(hour, minute))
        if out and when < out[-1] + SPROUT_GAP:
            when = out[-1] + SPROUT_GAP
        out.append(when)
    return out


def _message(post: CalendarPost) -> str:
    return spreadsheet_safe(post.caption or post.topic)
