"""The brief as a short readable summary, shown at the confirm step."""

from __future__ import annotations

from agent.model.brief import PLATFORM_NAMES, Brief, Presence


def brief_summary(brief: Brief, category: str = "") -> str:
    """A few lines a founder can check at a glance; `category` is the kind-of-business line, when known."""
    b, a, g, r = brief.business, brief.audience, brief.goals, brief.resources
    lines = [
        f"Business: {b.name} ({b.industry}, {b.model.upper()}, {b.stage} stage)"
        + (f", {b.website}" if b.website else ""),
        f"Offer: {b.description}",
        *([category] if category else []),
        f"Audience: {a.description}; ages {a.age_min}-{a.age_max}; gender {a.gender.replace('_', ' ')}; "
        f"time zone {a.timezone}" + (f"; markets {', '.join(b.locations)}" if b.locations else ""),
        f"Interests: {', '.join(a.interests) or 'none given'}",
        f"Goal: {g.primary.value}" + (f" (then {', '.join(x.value for x in g.secondary)})" if g.secondary else "")
        + f" over {g.horizon_months} months" + (f"; target: {g.target}" if g.target else ""),
        f"Resources: {r.monthly_budget:,.0f} {r.currency} a month; {r.team_hours_per_week:g} team hours a week; "
        f"formats: {', '.join(f.value for f in r.formats)}",
        "Accounts: " + (", ".join(_account(p, brief) for p in brief.presence) or "none yet"),
        f"Excluded: {', '.join(PLATFORM_NAMES[p.value] for p in brief.exclude_platforms) or 'none'}; "
        f"competitors: {', '.join(brief.competitors) or 'none'}",
        f"Start: {brief.start_date.isoformat() if brief.start_date else 'next Monday'}",
    ]
    return "\n".join(lines)


def _account(presence: Presence, brief: Brief) -> str:
    """'Instagram 2,400 (2 a week)'; an excluded platform's account says it is left out of the plan."""
    text = f"{PLATFORM_NAMES[presence.platform.value]} {presence.followers:,}"
    if presence.posts_per_week:
        text += f" ({presence.posts_per_week:g} a week)"
    return text + (" (excluded: not in the plan)" if presence.platform in brief.exclude_platforms else "")
