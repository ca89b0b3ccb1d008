"""Timing engine: weekly posting slots per channel, in the audience's time zone.

Each published window adds its study weight to a weekday x hour grid. Windows reported in the
audience's local time (Sprout Social since 2023) are used as they are. Windows reported in one fixed
zone (Hootsuite in PST, others in ET or UTC) are converted instant-for-instant when the audience is
in the Americas, where those samples come from; elsewhere the fixed-zone clock time is read as local
time (people's daily rhythm, not the instant, is what transfers) at a lower weight, and the rationale
says so. Slots go to the best hours of the best distinct days.

When the user's own posts were scored (`agent.analytics.scoring.Posterior`: their slot results
shrunk toward this benchmark grid), slots are picked on those scores instead; a slot where the
user's posts weigh at least as much as the benchmark is labelled `own_data`, with their share of
the estimate as its confidence, and the rest keep the benchmark label and confidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from agent.analytics.scoring import OWN_SHARE, Posterior
from agent.model.plan import DAYS, Slot
from agent.planning.tables import Routine, Tables, TimeWindow

Grid = list[list[float]]
FOREIGN_WEIGHT = 0.6
MIN_GAP_HOURS = 4


def _reference_monday(start: dt.date) -> dt.date:
    return start - dt.timedelta(days=start.weekday())


def in_americas(zone: str, start: dt.date) -> bool:
    """True when `zone` is an American zone at a UTC offset from -10 to -4 hours."""
    if not zone.startswith(("America/", "US/", "Canada/", "Pacific/Honolulu")):
        return False
    offset = dt.datetime.combine(start, dt.time(12), ZoneInfo(zone)).utcoffset()
    hours = offset.total_seconds() / 3600 if offset else 0
    return -10 <= hours <= -4


def convert(window: TimeWindow, day: int, hour: int, zone: str, start: dt.date) -> tuple[int, int, float]:
    """(day, hour, weight factor) of one window hour, in the audience zone."""
    if window.zone == "local":
        return day, hour, 1.0
    if not in_americas(zone, start) and window.zone != "UTC":
        return day, hour, FOREIGN_WEIGHT
    moment = dt.datetime.combine(
        _reference_monday(start) + dt.timedelta(days=day), dt.time(hour), ZoneInfo(window.zone)
    )
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday(), local.hour, 1.0


def build_grid(windows: list[TimeWindow], zone: str, start: dt.date) -> Grid:
    """Weighted weekday x hour grid for one platform, in the audience zone."""
    grid: Grid = [[0.0] * 24 for _ in range(7)]
    for window in windows:
        for day_name in window.days:
            day = DAYS.index(day_name)
            for hour in range(window.start, window.end):
                d, h, factor = convert(window, day, hour, zone, start)
                grid[d][h] += window.weight * factor
    return grid


AVOIDED = -1.0
FAVOUR_SHARE = 1.05
"""Routines: avoided hours are never picked (below any real weight); favoured hours gain a little more than
the grid's best weight times the routine's weight, so the slots land in them (the benchmark still ranks hours
within them), and in a weight-2 routine's hours before a weight-1 routine's."""


def with_routines(grid: Grid, routines: list[Routine]) -> Grid:
    """The grid with the audience's routines applied (local clock hours)."""
    if not routines:
        return grid
    out = [row[:] for row in grid]
    top = max(max(row) for row in grid) or 1.0
    for routine in routines:
        for days, first, last in routine.favour:
            for day in days:
                for hour in range(first, last):
                    out[DAYS.index(day)][hour] += FAVOUR_SHARE * top * routine.weight
        for days, first, last in routine.avoid:
            for day in days:
                for hour in range(first, last):
                    out[DAYS.index(day)][hour] = AVOIDED
    return out


def pick_slots(grid: Grid, count: int) -> list[tuple[int, int]]:
    """`count` (day, hour) picks: best hour of the best distinct days, then second slots per day."""
    best_hour = [max(range(24), key=lambda h: (grid[d][h], -abs(h - 11))) for d in range(7)]
    days = sorted(range(7), key=lambda d: (-grid[d][best_hour[d]], d))
    picks = [(d, best_hour[d]) for d in days[:count]]
    rounds = 1
    while len(picks) < count and rounds < 4:
        rounds += 1
        for d in days:
            if len(picks) >= count:
                break
            taken = [h for pd, h in picks if pd == d]
            free = [h for h in range(7, 22) if all(abs(h - t) >= MIN_GAP_HOURS for t in taken)]
            if free:
                picks.append((d, max(free, key=lambda h: (grid[d][h], -h))))
    return sorted(picks)


@dataclass(frozen=True)
class Timing:
    """The slots of one channel, why, and the entries cited."""

    slots: list[Slot]
    rationale: str
    citations: list[str]


def benchmark_grid(tables: Tables, platform: str, zone: str, start: dt.date) -> Grid:
    """The benchmark grid of one platform in the audience zone."""
    return build_grid([w for w in tables.times if w.platform.value == platform], zone, start)


def timing_for(
    tables: Tables, platform: str, count: int, zone: str, start: dt.date, own: Posterior | None = None,
    routines: list[Routine] | None = None,
) -> Timing:
    """Slots for one channel from the benchmark (moved by the audience's routines), or from the user's
    own scored posts when given."""
    windows = [w for w in tables.times if w.platform.value == platform]
    grid = with_routines(build_grid(windows, zone, start), routines or [])
    studies: dict[str, float] = {}
    for w in windows:
        studies[w.study] = max(studies.get(w.study, 0.0), w.weight)
    total = sum(studies.values()) or 1.0
    solid = any(not w.uncertain for w in windows)
    slots = []
    for d, h in pick_slots(own.scores if own else grid, count):
        share = own.data_share[d][h] if own else 0.0
        own_slot = share >= OWN_SHARE
        confidence = share if own_slot else max(0.0, min(1.0, grid[d][h] / total)) * (0.9 if solid else 0.6)
        slots.append(
            Slot(
                day=DAYS[d],
                time=f"{h:02d}:00",
                timezone=zone,
                source="own_data" if own_slot else "benchmark",
                confidence=round(confidence, 2),
            )
        )
    why = _timing_rationale(windows, zone, start)
    if routines:
        why += " " + " ".join(r.says for r in routines)
    if own is not None:
        why += _own_rationale(own, slots)
    cites = sorted({w.source for w in windows} | {r.source for r in routines or []})
    return Timing(slots, why, cites)


def slots_for(
    tables: Tables, platform: str, count: int, zone: str, start: dt.date
) -> tuple[list[Slot], str, list[str]]:
    """Benchmark slots for one channel, a rationale and the entries cited."""
    timing = timing_for(tables, platform, count, zone, start)
    return timing.slots, timing.rationale, timing.citations


def _own_rationale(own: Posterior, slots: list[Slot]) -> str:
    mine = sum(s.source == "own_data" for s in slots)
    posts = sum(map(sum, own.weights))
    return (
        f" {mine} of the {len(slots)} slots come from the account's own posts ({posts:.0f} recent posts with a"
        f" posting hour, the last 16 weeks counting most): each slot's expected result blends the average of"
        f" the posts published in it with the benchmark expectation, the benchmark counting as {own.k:.1f}"
        f" posts. That weight was estimated from the posts themselves: how much single posts vary within a"
        f" slot against how much the slots really differ. A slot is marked own data once its posts outweigh"
        f" the benchmark."
    )


def _timing_rationale(windows: list[TimeWindow], zone: str, start: dt.date) -> str:
    studies = sorted({w.study for w in windows})
    fixed = sorted({w.zone for w in windows if w.zone != "local"})
    text = f"Slots combine {', '.join(studies) or 'no study'} in {zone} time."
    if fixed and in_americas(zone, start):
        text += f" Studies reported in {', '.join(fixed)} were converted to {zone}."
    elif fixed:
        text += (
            f" Studies reported in {', '.join(fixed)} describe American audiences; their clock times"
            f" are read as local {zone} time at lower weight."
        )
    if all(w.uncertain for w in windows):
        text += " The evidence for this platform is thin, so confidence is low: test and adjust."
    return text
