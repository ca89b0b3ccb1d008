"""Strategist expectations for the archetype briefs: read a case file, check a plan against it.

A case file (tests/eval/briefs/*.yaml) holds `brief` (a valid brief), `expect` (what an experienced
strategist would hold for that business) and `why` (one line per expectation: the reason and its source).
Everything here is pure: `failures(case, plan)` takes a plan (a Strategy or any object shaped like one)
and returns the failed expectation keys with messages. A plan missing a field (no category, no target,
no budget) fails that key; it never raises.

Expectation keys:
- `category`: an id or a list of acceptable ids; a category given in the brief must come back as `given`.
- `primary_in`: the primary channel is one of these.
- `include` / `exclude`: each is / none is recommended (role other than not_recommended).
- `paid_share`: inclusive [low, high] range for budget.paid_share.
- `goal_kpi`: true when at least one KPI has `goal` equal to the brief's primary goal.
- `target_reachable`: true | false | null (null: no verdict possible, or no target at all).
- `max_rank`: {platform: N}: the platform ranks N-th or lower among recommended channels (1 = primary).
- market fit: `area`, `rules`, `meta_no_targeting`, `zones_min`, `languages`, `moments_any`, `moments_none`,
  `slots_in`, `prerequisite` (see tests/eval/market_checks.py).
- content and measurement: `posts_on`, `target_counted_by`, `kpi_sources_none` (see tests/eval/plan_checks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from agent.model.brief import Brief, Category, Platform
from agent.model.brief_io import BriefError, read_brief_data, validate_brief
from tests.eval.market_checks import MARKET_CHECKS
from tests.eval.plan_checks import PLAN_CHECKS

BRIEFS_DIR = Path(__file__).parent / "briefs"
EXPECT_KEYS = ("category", "primary_in", "include", "exclude", "paid_share", "goal_kpi", "target_reachable", "max_rank",
               *MARKET_CHECKS, *PLAN_CHECKS)
ROLE_ORDER = {"primary": 0, "secondary": 1, "experimental": 2}
PLATFORMS = {p.value for p in Platform}
CATEGORIES = {c.value for c in Category}


@dataclass(frozen=True)
class Case:
    """One archetype: the brief, what a strategist expects of its plan, and why."""

    name: str
    brief: Brief
    expect: dict[str, Any]
    why: dict[str, str]


class Failure(NamedTuple):
    """One expectation the plan does not meet."""

    key: str
    message: str


def case_files(folder: Path = BRIEFS_DIR) -> list[Path]:
    """Every case file, sorted by name."""
    return sorted(folder.glob("*.yaml"))


def load_case(path: Path) -> Case:
    """Read a case file; BriefError when the file or its brief is not valid."""
    data = read_brief_data(path)
    if not isinstance(data.get("brief"), dict):
        raise BriefError(str(path), "brief", "is required (a mapping holding the brief)")
    brief = validate_brief(data["brief"], f"{path}: brief")
    expect, why = data.get("expect") or {}, data.get("why") or {}
    if not isinstance(expect, dict) or not isinstance(why, dict):
        raise BriefError(str(path), "expect/why", "must be mappings")
    return Case(name=path.stem, brief=brief, expect=expect, why={str(k): str(v) for k, v in why.items()})


def case_problems(case: Case) -> list[str]:
    """What is wrong with a case's expectations (unknown keys, missing reasons, unknown ids); [] when sound."""
    problems = [f"unknown expect key {k!r}" for k in case.expect if k not in EXPECT_KEYS]
    problems += [f"expect.{k} has no why" for k in case.expect if not case.why.get(k, "").strip()]
    problems += [f"why.{k} explains no expectation" for k in case.why if k not in case.expect]
    for key in ("primary_in", "include", "exclude"):
        unknown = [p for p in _as_list(case.expect.get(key)) if p not in PLATFORMS]
        problems += [f"expect.{key}: unknown platform {p!r}" for p in unknown]
    unknown = [c for c in _as_list(case.expect.get("category")) if c not in CATEGORIES]
    problems += [f"expect.category: unknown id {c!r}" for c in unknown]
    problems += _shape_problems(case.expect)
    return problems


def _shape_problems(expect: dict[str, Any]) -> list[str]:
    problems = []
    share = expect.get("paid_share")
    if "paid_share" in expect and not (isinstance(share, list) and len(share) == 2 and 0 <= share[0] <= share[1] <= 1):
        problems.append(f"expect.paid_share must be [low, high] within 0..1, got {share!r}")
    if "goal_kpi" in expect and not isinstance(expect["goal_kpi"], bool):
        problems.append("expect.goal_kpi must be true or false")
    if "target_reachable" in expect and expect["target_reachable"] not in (True, False, None):
        problems.append("expect.target_reachable must be true, false or null")
    ranks = expect.get("max_rank", {})
    bad = not isinstance(ranks, dict) or any(
        p not in PLATFORMS or not isinstance(n, int) or n < 1 for p, n in ranks.items()
    )
    if bad:
        problems.append(f"expect.max_rank must map platforms to ranks >= 1, got {ranks!r}")
    return problems


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _name(value: Any) -> Any:
    """An enum's value, or the value itself (plans hold enums, fabricated plans may hold strings)."""
    return getattr(value, "value", value)


def recommended(plan: Any) -> list[str]:
    """Recommended platforms in rank order: primary first, then secondary, experimental; by score within a role."""
    chosen = [c for c in getattr(plan, "channels", None) or [] if _name(c.role) in ROLE_ORDER]
    chosen.sort(key=lambda c: (ROLE_ORDER[_name(c.role)], -float(getattr(c, "score", 0) or 0)))
    return [str(_name(c.platform)) for c in chosen]


def primary(plan: Any) -> str | None:
    """The primary channel's platform, or None."""
    found = [c for c in getattr(plan, "channels", None) or [] if _name(c.role) == "primary"]
    return str(_name(found[0].platform)) if found else None


def _check_category(expected: Any, brief: Brief, plan: Any) -> str | None:
    choice = getattr(plan, "category", None)
    allowed = [str(c) for c in _as_list(expected)]
    if choice is None:
        return f"plan has no category (expected {' or '.join(allowed)})"
    value, source = str(_name(choice.value)), getattr(choice, "source", None)
    if value not in allowed:
        return f"category is {value} ({source}), expected {' or '.join(allowed)}"
    if brief.business.category is not None and source != "given":
        return f"the brief gives the category but the plan says source {source!r}"
    return None


def _check_primary(expected: Any, brief: Brief, plan: Any) -> str | None:
    lead = primary(plan)
    if lead in _as_list(expected):
        return None
    shown = lead or "none"
    return f"primary is {shown}, expected one of {', '.join(_as_list(expected))} (recommended: {_listed(plan)})"


def _check_include(expected: Any, brief: Brief, plan: Any) -> str | None:
    missing = [p for p in _as_list(expected) if p not in recommended(plan)]
    return f"not recommended: {', '.join(missing)} (recommended: {_listed(plan)})" if missing else None


def _check_exclude(expected: Any, brief: Brief, plan: Any) -> str | None:
    present = [p for p in _as_list(expected) if p in recommended(plan)]
    return f"recommended but should not be: {', '.join(present)} (recommended: {_listed(plan)})" if present else None


def _listed(plan: Any) -> str:
    return ", ".join(recommended(plan)) or "none"


def _check_paid_share(expected: Any, brief: Brief, plan: Any) -> str | None:
    share = getattr(getattr(plan, "budget", None), "paid_share", None)
    if share is None:
        return "plan has no budget.paid_share"
    low, high = float(expected[0]), float(expected[1])
    if low - 1e-9 <= float(share) <= high + 1e-9:
        return None
    return f"paid share {float(share):.2f} outside [{low:.2f}, {high:.2f}]"


def _check_goal_kpi(expected: Any, brief: Brief, plan: Any) -> str | None:
    goal = brief.goals.primary.value
    kpis = getattr(plan, "kpis", None) or []
    found = any(_name(getattr(k, "goal", None)) == goal for k in kpis)
    if found == bool(expected):
        return None
    names = "; ".join(f"{getattr(k, 'name', '?')} [{_name(getattr(k, 'goal', None))}]" for k in kpis) or "none"
    verb = "no KPI" if expected else "a KPI unexpectedly"
    return f"{verb} measures the primary goal {goal} (KPIs: {names})"


def _check_target(expected: Any, brief: Brief, plan: Any) -> str | None:
    target = getattr(plan, "target", None)
    if target is None:
        if expected is None and brief.goals.target is None:
            return None
        stated = brief.goals.target
        return f"plan has no target verdict (brief target: {stated!r}, expected reachable={_word(expected)})"
    verdict = getattr(target, "reachable", None)
    if verdict is expected:
        return None
    mid, monthly = getattr(target, "forecast_mid", None), getattr(target, "monthly_value", None)
    return f"reachable is {_word(verdict)}, expected {_word(expected)} (forecast_mid {mid}, monthly target {monthly})"


def _word(value: bool | None) -> str:
    return "null" if value is None else str(value).lower()


def _check_max_rank(expected: Any, brief: Brief, plan: Any) -> str | None:
    order = recommended(plan)
    wrong = [
        f"{p} ranks {order.index(p) + 1}, must not rank above {n}"
        for p, n in expected.items() if p in order and order.index(p) + 1 < int(n)
    ]
    return f"{'; '.join(wrong)} (recommended: {_listed(plan)})" if wrong else None


CHECKS: dict[str, Callable[[Any, Brief, Any], str | None]] = {
    "category": _check_category, "primary_in": _check_primary, "include": _check_include,
    "exclude": _check_exclude, "paid_share": _check_paid_share, "goal_kpi": _check_goal_kpi,
    "target_reachable": _check_target, "max_rank": _check_max_rank, **MARKET_CHECKS, **PLAN_CHECKS,
}


def failures(case: Case, plan: Any) -> list[Failure]:
    """The expectations of `case` that `plan` fails, in the order the case lists them."""
    out = []
    for key, expected in case.expect.items():
        check = CHECKS.get(key)
        if check is None:
            out.append(Failure(key, "unknown expectation key"))
            continue
        try:
            message = check(expected, case.brief, plan)
        except Exception as exc:  # a malformed plan part fails its key; the run goes on
            message = f"cannot check ({exc.__class__.__name__}: {exc})"
        if message:
            out.append(Failure(key, message))
    return out
