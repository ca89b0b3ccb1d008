"""Content and measurement expectations for the archetype briefs (the keys checks.py registers beside its own).

- `posts_on`: moments whose day itself carries a post about them (a business that trades on the day posts on it).
- `target_counted_by`: words each found in the name of a KPI that counts the client's target (plan.target
  .measured_by), for a target no forecast can judge (a reputation).
- `kpi_sources_none`: words no KPI's data source may contain (a business without a website has no web analytics).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def check_posts_on(expected: Any, brief: Any, plan: Any) -> str | None:
    moments = {m.name: m.date for m in getattr(getattr(plan, "market", None), "moments", None) or []}
    posts = getattr(plan, "calendar", None) or []
    missing = [name for name in expected if not any(
        name in moments and p.date == moments[name] and f"Moment: {name}" in p.note for p in posts)]
    return f"no post on the day of {', '.join(missing)}" if missing else None


def check_target_counted_by(expected: Any, brief: Any, plan: Any) -> str | None:
    names = list(getattr(getattr(plan, "target", None), "measured_by", None) or [])
    missing = [word for word in expected if not any(word.lower() in name.lower() for name in names)]
    return f"no KPI counting the target names {', '.join(missing)} (counted by: {names or 'none'})" if missing else None


def check_kpi_sources_none(expected: Any, brief: Any, plan: Any) -> str | None:
    wrong = [f"{k.name}: {k.data_source}" for k in getattr(plan, "kpis", None) or []
             if any(word.lower() in k.data_source.lower() for word in expected)]
    return f"KPIs measured where the business cannot: {'; '.join(wrong)}" if wrong else None


PLAN_CHECKS: dict[str, Callable[[Any, Any, Any], str | None]] = {
    "posts_on": check_posts_on, "target_counted_by": check_target_counted_by,
    "kpi_sources_none": check_kpi_sources_none,
}
