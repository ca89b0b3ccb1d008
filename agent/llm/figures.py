"""The engines' figures a section may state, picked from the Strategy as compact JSON-ready data.

Each section gets the figures it talks about (the paid section gets the budget lines and forecasts, the
schedule section the slots...), plus the plan's frame (client, period, currency). `key_figures` is the
short list the review call checks every section against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from agent.model.plan import Strategy

Figures = dict[str, Any]


def _frame(s: Strategy) -> Figures:
    return {
        "client": s.brief.business.name, "start_date": str(s.start_date), "end_date": str(s.end_date),
        "currency": s.budget.currency, "primary_goal": s.brief.goals.primary.value,
        "team_hours_per_week": s.brief.resources.team_hours_per_week,
        "post_languages": s.market.languages if s.market else [],
        "rules_to_respect": [r.says for r in s.market.rules] if s.market else [],
    }  # fmt: skip


def _channels(s: Strategy, factors: bool = False) -> list[Figures]:
    out = []
    for c in s.channels:
        item: Figures = {"platform": c.platform.value, "role": c.role, "score": c.score, "rationale": c.rationale}
        if factors:
            item["factors"] = [f.model_dump(mode="json") for f in c.factors]
        out.append(item)
    return out


def _budget(s: Strategy, forecasts: bool = True) -> Figures:
    b = s.budget
    lines = []
    for line in b.lines:
        item: Figures = {"platform": line.platform.value if line.platform else None, "kind": line.kind,
                         "item": line.item, "monthly_amount": line.monthly_amount}
        if forecasts and line.forecast:
            item["forecast"] = line.forecast.model_dump(mode="json", exclude={"citations", "source"})
        lines.append(item)
    return {"monthly_total": b.monthly_total, "organic_share": b.organic_share, "paid_share": b.paid_share,
            "lines": lines, "rationale": b.rationale}


def _schedule(s: Strategy, slots: bool = True) -> list[Figures]:
    out = []
    for item in s.schedule:
        row: Figures = {"platform": item.platform.value, "posts_per_week": item.posts_per_week,
                        "hours_per_week": item.hours_per_week, "formats": [f.value for f in item.formats],
                        "stories_per_week": item.stories_per_week}
        if slots:
            row["slots"] = [f"{slot.day} {slot.time}" for slot in item.slots]
            row["timezone"] = item.slots[0].timezone if item.slots else s.brief.audience.timezone
        out.append(row)
    return out


def _kpis(s: Strategy, detail: bool = True) -> list[Figures]:
    keys = {"name", "stage", "platform", "baseline", "target", "unit", "cadence"}
    if detail:
        keys |= {"formula", "data_source", "rationale"}
    return [k.model_dump(mode="json", include=keys) for k in s.kpis]


def _calendar(s: Strategy) -> Figures:
    per_platform = Counter(p.platform.value for p in s.calendar)
    per_pillar = Counter(p.pillar for p in s.calendar)
    return {
        "posts": len(s.calendar), "first_post": str(s.calendar[0].date) if s.calendar else None,
        "last_post": str(s.calendar[-1].date) if s.calendar else None, "posts_per_platform": dict(per_platform),
        "posts_per_pillar": dict(per_pillar), "pillar_rule": s.pillar_rule,
        "pillars": [p.model_dump(mode="json") for p in s.pillars],
    }  # fmt: skip


def _audience(s: Strategy) -> Figures:
    return {
        "audience": s.brief.audience.model_dump(mode="json"),
        "presence": [p.model_dump(mode="json") for p in s.brief.presence],
        "channels": [{"platform": c.platform.value, "role": c.role} for c in s.channels if c.role != "not_recommended"],
    }  # fmt: skip


def _chosen(s: Strategy) -> list[str]:
    return [c.platform.value for c in s.channels if c.role != "not_recommended"]


BUILDERS: dict[str, Callable[[Strategy], Figures]] = {
    "summary": lambda s: {"channels": _channels(s), "budget": _budget(s, forecasts=False),
                          "schedule": _schedule(s, slots=False), "kpis": _kpis(s, detail=False)[:4]},
    "goals_kpis": lambda s: {"kpis": _kpis(s)},
    "audience": _audience,
    "channels": lambda s: {"channels": _channels(s, factors=True)},
    "organic": lambda s: {"schedule": _schedule(s, slots=False), "organic_lines": [
        line for line in _budget(s)["lines"] if line["kind"] == "organic"], "chosen_platforms": _chosen(s)},
    "paid": lambda s: {"budget": _budget(s)},
    "schedule": lambda s: {"schedule": _schedule(s)},
    "calendar": _calendar,
    "competition": lambda s: {"competitors": s.brief.competitors, "chosen_platforms": _chosen(s)},
    "style_guide": lambda s: {"audience": s.brief.audience.model_dump(mode="json"), "chosen_platforms": _chosen(s),
                              "formats": [f.value for f in s.brief.resources.formats]},
    "measurement": lambda s: {"kpis": _kpis(s)},
}  # fmt: skip


def section_figures(strategy: Strategy, section_id: str) -> Figures:
    """The frame of the plan and the figures of one section."""
    build = BUILDERS.get(section_id)
    return {**_frame(strategy), **(build(strategy) if build else {})}


def key_figures(strategy: Strategy) -> Figures:
    """The figures every section must agree with (for the review call)."""
    return {
        **_frame(strategy), "channels": [{"platform": c.platform.value, "role": c.role} for c in strategy.channels],
        "budget": _budget(strategy, forecasts=False), "schedule": _schedule(strategy),
        "kpis": _kpis(strategy, detail=False), "calendar_posts": len(strategy.calendar),
        "category": strategy.category.name if strategy.category else None,
        "target": strategy.target.model_dump(exclude={"citations"}) if strategy.target else None,
    }  # fmt: skip
