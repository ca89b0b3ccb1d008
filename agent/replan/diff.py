"""Compare two Strategy versions: brief fields, channel roles, split, budget lines, schedule, KPIs.

Pure: two plans in, a `Changes` record out. Unchanged things are not listed. Each change carries the
new plan's reason (the engine rationale) so a reader sees why it moved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from agent.model.brief import PLATFORM_NAMES
from agent.model.plan import Change, Changes, Kpi, ScheduleItem, Strategy

Area = Literal["brief", "channel", "split", "budget_line", "schedule", "kpi"]


def flatten(data: Any, prefix: str = "") -> dict[str, str]:
    """Nested brief data -> {'goals.primary': 'sales', ...} with list values as YAML-ish text."""
    if isinstance(data, dict):
        out: dict[str, str] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list) and any(isinstance(v, dict) for v in data):
        out = {}
        for index, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{index}]"))
        return out
    if isinstance(data, list):
        return {prefix: "[" + ", ".join(str(v) for v in data) + "]"}
    if isinstance(data, float):
        return {prefix: f"{data:g}"}
    return {prefix: "" if data is None else str(data)}


def brief_changes(old: Strategy, new: Strategy) -> list[Change]:
    """Fields of the brief that differ."""
    before = flatten(old.brief.model_dump(mode="json"))
    after = flatten(new.brief.model_dump(mode="json"))
    return [
        Change(area="brief", subject=key, before=before.get(key), after=after.get(key))
        for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)
    ]


def channel_changes(old: Strategy, new: Strategy) -> list[Change]:
    """Channels whose role moved."""
    was = {c.platform: c for c in old.channels}
    out = []
    for channel in new.channels:
        prior = was.get(channel.platform)
        if prior is None or prior.role != channel.role:
            out.append(Change(
                area="channel", subject=channel.platform.value,
                before=f"{prior.role} ({prior.score:.2f})" if prior else None,
                after=f"{channel.role} ({channel.score:.2f})", reason=channel.rationale,
            ))
    return out


def split_changes(old: Strategy, new: Strategy) -> list[Change]:
    """The organic/paid split and total, when they moved."""
    a, b = old.budget, new.budget
    if (a.paid_share, a.monthly_total, a.currency) == (b.paid_share, b.monthly_total, b.currency):
        return []
    text = "{:.0%} organic / {:.0%} paid of {:,.2f} {}"
    return [Change(area="split", subject="organic/paid split",
                   before=text.format(a.organic_share, a.paid_share, a.monthly_total, a.currency),
                   after=text.format(b.organic_share, b.paid_share, b.monthly_total, b.currency),
                   reason=b.rationale)]


def keyed_changes(
    area: Area, was: dict[Any, Any], now: dict[Any, Any], show: Callable[[Any], str], gone: str,
    subject: Callable[[Any], str] = str,
) -> list[Change]:
    """Items added, removed or shown differently, matched by key; the reason is the new item's rationale."""
    out = []
    for key in [*now, *(k for k in was if k not in now)]:
        a, b = was.get(key), now.get(key)
        before, after = (show(a) if a else None), (show(b) if b else None)
        if before != after:
            out.append(Change(area=area, subject=subject(key), before=before, after=after,
                              reason=b.rationale if b else gone))
    return out


def line_changes(old: Strategy, new: Strategy) -> list[Change]:
    """Budget lines added, removed or re-sized (keyed by item)."""
    return keyed_changes("budget_line", {x.item: x for x in old.budget.lines}, {x.item: x for x in new.budget.lines},
                         lambda line: f"{line.monthly_amount:,.2f}", "no longer funded")


def _schedule_text(item: ScheduleItem) -> str:
    slots = ", ".join(f"{s.day.capitalize()} {s.time}" for s in item.slots)
    return f"{item.posts_per_week}/week: {slots}"


def schedule_changes(old: Strategy, new: Strategy) -> list[Change]:
    """Posting frequency or slots that changed, per platform."""
    return keyed_changes("schedule", {s.platform: s for s in old.schedule}, {s.platform: s for s in new.schedule},
                         _schedule_text, "channel no longer scheduled", lambda p: PLATFORM_NAMES[p.value])


def _kpi_text(kpi: Kpi) -> str:
    start = f"{kpi.baseline:g} → " if kpi.baseline is not None else ""
    return f"{start}{kpi.target:g} {kpi.unit}"


def kpi_changes(old: Strategy, new: Strategy) -> list[Change]:
    """KPIs added, removed or retargeted (target or baseline moved)."""
    return keyed_changes("kpi", {k.name: k for k in old.kpis}, {k.name: k for k in new.kpis}, _kpi_text,
                         "no longer tracked for this goal")


def diff_plans(old: Strategy, new: Strategy) -> Changes:
    """Everything that moved from `old` to `new`."""
    items = (brief_changes(old, new) + channel_changes(old, new) + split_changes(old, new)
             + line_changes(old, new) + schedule_changes(old, new) + kpi_changes(old, new))
    return Changes(previous_version=old.version, summary=summarise(items), items=items)


def summarise(items: list[Change]) -> str:
    """One line: the brief changes in full, then counts of what moved."""
    brief = [f"{c.subject}: {c.before or '—'} → {c.after or '—'}" for c in items if c.area == "brief"]
    counts = []
    for area, word in (("channel", "channel roles"), ("split", "split"), ("budget_line", "budget lines"),
                       ("schedule", "schedules"), ("kpi", "KPIs")):
        n = sum(1 for c in items if c.area == area)
        if n:
            counts.append(f"{word} changed" if area == "split" else f"{n} {word} changed")
    return "; ".join(brief + counts) or "no change"
