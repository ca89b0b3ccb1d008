"""Market-fit expectations for the archetype briefs (the keys checks.py registers beside its own).

- `area`: the targeting area's kind: radius | regions | countries.
- `rules`: rule ids that must bind the plan (plan.market.rules).
- `meta_no_targeting`: fields (ages, genders, interests) left empty on every Facebook/Instagram paid line.
- `zones_min`: at least this many distinct time zones among the posting slots.
- `languages`: languages the plan must say to write in.
- `moments_any`: at least one plan moment whose name contains one of these words.
- `moments_none`: no plan moment whose name contains one of these words (dates of another kind of business).
- `slots_in`: every posting slot on one of `days` and at an hour in [`hours`[0], `hours`[1]).
- `prerequisite`: words that must appear in one of the plan's before-the-first-post checklists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

META = {"facebook", "instagram"}


def _market(plan: Any) -> Any:
    return getattr(plan, "market", None)


def _value(item: Any) -> str:
    return str(getattr(item, "value", item))


def check_area(expected: Any, brief: Any, plan: Any) -> str | None:
    market = _market(plan)
    kind = getattr(getattr(market, "area", None), "kind", None)
    if kind == expected:
        return None
    return f"area is {kind or 'missing'} ({getattr(market, 'area', None)}), expected {expected}"


def check_rules(expected: Any, brief: Any, plan: Any) -> str | None:
    ids = {r.id for r in getattr(_market(plan), "rules", None) or []}
    missing = [r for r in expected if r not in ids]
    return f"rules not applied: {', '.join(missing)} (applied: {', '.join(sorted(ids)) or 'none'})" if missing else None


def check_meta_targeting(expected: Any, brief: Any, plan: Any) -> str | None:
    lines = [x for x in getattr(getattr(plan, "budget", None), "lines", None) or []
             if getattr(x, "kind", "") == "paid" and _value(getattr(x, "platform", "")) in META]
    wrong = [f"{_value(x.platform)} targets {field}" for x in lines for field in expected
             if getattr(getattr(x, "targeting", None), field, None)]
    if not lines:
        return None
    missing = [_value(x.platform) for x in lines if getattr(x, "targeting", None) is None]
    wrong += [f"{p} has no targeting" for p in missing]
    return "; ".join(wrong) or None


def check_zones(expected: Any, brief: Any, plan: Any) -> str | None:
    zones = {s.timezone for item in getattr(plan, "schedule", None) or [] for s in item.slots}
    return None if len(zones) >= int(expected) else f"slots use {len(zones)} zone(s) ({', '.join(sorted(zones))})"


def check_languages(expected: Any, brief: Any, plan: Any) -> str | None:
    found = getattr(_market(plan), "languages", None) or []
    missing = [lang for lang in expected if lang not in found]
    return f"languages {found} lack {', '.join(missing)}" if missing else None


def check_moments(expected: Any, brief: Any, plan: Any) -> str | None:
    names = [m.name for m in getattr(_market(plan), "moments", None) or []]
    if any(word.lower() in name.lower() for word in expected for name in names):
        return None
    return f"no moment names any of {expected} (moments: {', '.join(dict.fromkeys(names)) or 'none'})"


def check_no_moments(expected: Any, brief: Any, plan: Any) -> str | None:
    names = [m.name for m in getattr(_market(plan), "moments", None) or []]
    wrong = [name for name in dict.fromkeys(names) if any(word.lower() in name.lower() for word in expected)]
    return f"moments of another kind of business: {', '.join(wrong)}" if wrong else None


def check_slots(expected: Any, brief: Any, plan: Any) -> str | None:
    first, last = expected["hours"]
    slots = [(s.day, s.time) for item in getattr(plan, "schedule", None) or [] for s in item.slots]
    wrong = [f"{day} {time}" for day, time in slots if day not in expected["days"] or not first <= int(time[:2]) < last]
    return f"slots outside {expected}: {', '.join(wrong)}" if wrong or not slots else None


def check_prerequisite(expected: Any, brief: Any, plan: Any) -> str | None:
    items = getattr(_market(plan), "prerequisites", None) or []
    return None if any(expected.lower() in p.lower() for p in items) else f"no prerequisite mentions {expected!r}"


MARKET_CHECKS: dict[str, Callable[[Any, Any, Any], str | None]] = {
    "area": check_area, "rules": check_rules, "meta_no_targeting": check_meta_targeting, "zones_min": check_zones,
    "languages": check_languages, "moments_any": check_moments, "moments_none": check_no_moments,
    "slots_in": check_slots, "prerequisite": check_prerequisite,
}
