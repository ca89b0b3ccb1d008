"""Compare two Strategy versions: brief fields, channel roles, split, budget lines, schedule, KPIs.

Pure: two plans in, a `Changes` record out. Unchanged things are not listed. Each change carries the
new plan's reason (the engine rationale) so a reader sees why it moved.
"""

from __future__ import annotations

from typing import Any

from agent.brief import PLATFORM_NAMES
from agent.plan import Change, Changes, ScheduleItem, Strategy


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


def line_changes(old: Strategy, new: Strategy) -> list[Change]:
    """Budget lines added, removed or re-sized (keyed by item)."""
    was = {line.item: line for line in old.budget.lines}
    now = {line.item: line for line in new.budget.lines}
    out = []
    for item in [*now, *(i for i in was if i not in now)]:
        a, b = was.get(item), now.get(item)
        if a and b and a.monthly_amount == b.monthly_amount:
            continue
        out.append(Change(
            area="budget_line", subject=item,
            before=f"{a.monthly_amount:,.2f}" if a else None, after=f"{b.monthly_amount:,.2f}" if b else None,
            reason=b.rationale if b else "no longer funded",
        ))
    return out


def _schedule_text(item: ScheduleItem) -> str:
    slots = ", ".join(f"{s.day.capitalize()} {s.time}" for s in item.slots)
    return f"{item.posts_per_week}/week: {slots}"


def schedule_changes(old: Strategy, new: Strategy) -> list[Change]:
    """Posting frequency or slots that changed, per platform."""
    was = {s.platform: s for s in old.schedule}
    now = {s.platform: s for s in new.schedule}
    out = []
    for platform in [*now, *(p for p in was if p not in now)]:
        a, b = was.get(platform), now.get(platform)
        before, after = (_schedule_text(a) if a else None), (_schedule_text(b) if b else None)
        if before != after:
            out.append(Change(area="schedule", subject=PLATFORM_NAMES[platform.value], before=before, after=after,
                              reason=b.rationale if b else "channel no longer scheduled"))
    return out


def kpi_changes(old: Strategy, new: Strategy) -> list[Change]:
    """KPIs added, removed or retargeted."""
    was = {k.name: k for k in old.kpis}
    now = {k.name: k for k in new.kpis}
    out = []
    for name in [*now, *(n for n in was if n not in now)]:
        a, b = was.get(name), now.get(name)
        if a and b and (a.target, a.baseline) == (b.target, b.baseline):
            continue
        out.append(Change(area="kpi", subject=name, before=f"{a.target:g} {a.unit}" if a else None,
                          after=f"{b.target:g} {b.unit}" if b else None,
                          reason=b.rationale if b else "no longer tracked for this goal"))
    return out


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
