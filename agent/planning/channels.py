"""Channel engine: score the eight platforms for a brief and give each a role.

Score = weighted sum of factors (audience reach, goal fit, business-model fit, formats the team can
make, current presence, budget fit). Exclusions and video-first platforms without video are not
recommended outright. A small team gets fewer channels: focus beats spread.
"""

from __future__ import annotations

import math

from agent.model.brief import Brief, Format, Platform
from agent.model.plan import Channel, Factor, Role
from agent.planning.audience import population_note, reach_share, usage_for
from agent.planning.tables import Profile, Tables

WEIGHTS = {"reach": 0.30, "goal": 0.25, "model": 0.15, "formats": 0.10, "presence": 0.10, "budget": 0.10}
VIDEO = {Format.short_video, Format.long_video, Format.live}
MIN_SCORE = 0.35
FOCUS = "focus-over-spread"
VIDEO_ENTRY = "video-first-platforms"


def channel_capacity(team_hours: float) -> int:
    """How many channels a team can run well at its weekly hours."""
    for limit, count in ((4, 1), (8, 2), (15, 3), (25, 4)):
        if team_hours < limit:
            return count
    return 5


def profile_for(tables: Tables, platform: Platform) -> Profile:
    """The platform's profile row (every platform has one)."""
    return next(p for p in tables.profiles if p.platform == platform)


def _reach_factor(brief: Brief, tables: Tables, platform: Platform, best: float) -> Factor:
    usage = usage_for(tables, platform)
    share = reach_share(usage, brief) if usage else 0.0
    span = f"{brief.audience.age_min}–{brief.audience.age_max}"
    note = f"about {share:.0%} of people aged {span} use it"
    if brief.audience.gender != "any":
        note += f" ({brief.audience.gender.replace('_', ' ')} audience)"
    return Factor(name="audience reach", value=round(share / best, 3) if best else 0.0,
                  weight=WEIGHTS["reach"], note=note)


def _goal_factor(brief: Brief, profile: Profile) -> Factor:
    primary = profile.goals.get(brief.goals.primary, 0.0)
    value = primary
    if brief.goals.secondary:
        other = sum(profile.goals.get(g, 0.0) for g in brief.goals.secondary) / len(brief.goals.secondary)
        value = 0.75 * primary + 0.25 * other
    word = "strong" if primary >= 0.7 else "fair" if primary >= 0.45 else "weak"
    return Factor(name="goal fit", value=round(value, 3), weight=WEIGHTS["goal"],
                  note=f"{word} fit for {brief.goals.primary.value.replace('_', ' ')}")


def _model_factor(brief: Brief, profile: Profile) -> Factor:
    model = brief.business.model
    value = profile.b2b if model == "b2b" else profile.b2c if model == "b2c" else (profile.b2b + profile.b2c) / 2
    return Factor(name="business-model fit", value=value, weight=WEIGHTS["model"],
                  note=f"{'strong' if value >= 0.7 else 'moderate' if value >= 0.45 else 'weak'} {model.upper()} fit")


def _format_factor(brief: Brief, profile: Profile) -> Factor:
    top = profile.formats[:3]
    can = [f for f in top if f in brief.resources.formats]
    value = len(can) / len(top) if top else 0.0
    if profile.video_first and not VIDEO & set(brief.resources.formats):
        return Factor(name="formats", value=0.0, weight=WEIGHTS["formats"],
                      note="video-first, and the team makes no video")
    names = ", ".join(f.value.replace("_", " ") for f in can)
    if len(can) == len(top):
        note = f"team makes its main formats ({names})"
    else:
        note = f"team makes {len(can)} of its {len(top)} main formats" + (f" ({names})" if names else "")
    return Factor(name="formats", value=round(value, 3), weight=WEIGHTS["formats"], note=note)


def _presence_factor(brief: Brief, platform: Platform) -> Factor:
    account = brief.presence_for(platform)
    if account is None or account.followers <= 0:
        return Factor(name="presence", value=0.0, weight=WEIGHTS["presence"], note="no existing audience")
    value = min(1.0, math.log10(account.followers + 1) / 5)
    return Factor(name="presence", value=round(value, 3), weight=WEIGHTS["presence"],
                  note=f"existing account with {account.followers:,} followers")


def _budget_factor(brief: Brief, tables: Tables, platform: Platform) -> Factor:
    paid = next(p for p in tables.paid if p.platform == platform)
    rate = tables.fx_to_usd.get(brief.resources.currency, 1.0)
    budget_usd = brief.resources.monthly_budget / rate
    if budget_usd >= paid.min_monthly_useful * 2:
        return Factor(name="budget fit", value=1.0, weight=WEIGHTS["budget"],
                      note="budget can fund ads here if needed")
    value = 0.6 if platform_is_organic_friendly(tables, platform) else 0.3
    return Factor(name="budget fit", value=value, weight=WEIGHTS["budget"],
                  note=f"budget is below a useful ad spend here (about {paid.min_monthly_useful:,.0f} USD/month)")


def platform_is_organic_friendly(tables: Tables, platform: Platform) -> bool:
    """True when organic reach per post is at least the median across platforms."""
    rates = sorted(e.reach_rate for e in tables.engagement)
    mine = next(e.reach_rate for e in tables.engagement if e.platform == platform)
    return mine >= rates[len(rates) // 2]


def _factors(brief: Brief, tables: Tables, platform: Platform, best_reach: float) -> list[Factor]:
    profile = profile_for(tables, platform)
    return [
        _reach_factor(brief, tables, platform, best_reach),
        _goal_factor(brief, profile),
        _model_factor(brief, profile),
        _format_factor(brief, profile),
        _presence_factor(brief, platform),
        _budget_factor(brief, tables, platform),
    ]


def _citations(tables: Tables, platform: Platform) -> list[str]:
    usage = usage_for(tables, platform)
    profile = profile_for(tables, platform)
    ids = [usage.source] if usage else []
    ids.append(profile.source)
    return list(dict.fromkeys(ids))


def _blocked(brief: Brief, tables: Tables, platform: Platform) -> str:
    """Why a platform cannot be recommended at all, or ''."""
    if platform in brief.exclude_platforms:
        return "excluded by the brief"
    if profile_for(tables, platform).video_first and not VIDEO & set(brief.resources.formats):
        return "video-first platform and the team makes no video"
    return ""


def score_channels(brief: Brief, tables: Tables) -> list[Channel]:
    """Score every platform and assign roles; sorted by score, best first."""
    shares = {p: reach_share(u, brief) for p in Platform if (u := usage_for(tables, p))}
    best = max(shares.values(), default=1.0)
    scored: list[tuple[float, Platform, list[Factor], str]] = []
    for platform in Platform:
        factors = _factors(brief, tables, platform, best)
        score = round(sum(f.value * f.weight for f in factors), 3)
        scored.append((score, platform, factors, _blocked(brief, tables, platform)))
    scored.sort(key=lambda item: (-item[0], list(Platform).index(item[1])))
    return assign_roles(brief, tables, scored)


def assign_roles(
    brief: Brief, tables: Tables, scored: list[tuple[float, Platform, list[Factor], str]]
) -> list[Channel]:
    """Top channels within the team's capacity get roles; the rest are not recommended."""
    capacity = channel_capacity(brief.resources.team_hours_per_week)
    eligible = [s for s in scored if not s[3] and s[0] >= MIN_SCORE] or [next(s for s in scored if not s[3])]
    chosen = [s[1] for s in eligible[:capacity]]
    channels: list[Channel] = []
    for score, platform, factors, blocked in scored:
        role, extra = _role(platform, chosen, score, capacity, blocked, brief)
        cites = _citations(tables, platform) + ([FOCUS] if FOCUS in extra else [])
        if "video" in blocked:
            cites.append(VIDEO_ENTRY)
        note = population_note(brief, tables)
        channels.append(Channel(
            platform=platform, role=role, score=min(1.0, max(0.0, score)),
            rationale=_rationale(role, factors, extra, note), citations=cites, factors=factors,
        ))
    return channels


def _role(
    platform: Platform, chosen: list[Platform], score: float, capacity: int, blocked: str, brief: Brief
) -> tuple[Role, str]:
    if blocked:
        return "not_recommended", f"Left out: {blocked}."
    if platform not in chosen:
        hours = f"{brief.resources.team_hours_per_week:g}"
        if score < MIN_SCORE:
            return "not_recommended", "Left out: the overall fit is too weak to earn team time."
        return "not_recommended", (
            f"Left out for now: a team with {hours} hours a week can run {capacity} "
            f"channel{'s' if capacity > 1 else ''} well, and focus beats spread [{FOCUS}]."
        )
    rank = chosen.index(platform)
    if rank == 0:
        return "primary", "The best overall fit, so it gets most of the effort."
    if rank == len(chosen) - 1 and capacity >= 3 and score < 0.5:
        return "experimental", "Worth a time-boxed test at minimum frequency before committing."
    return "secondary", "A strong supporting channel."


def _rationale(role: str, factors: list[Factor], verdict: str, population: str) -> str:
    ranked = sorted(factors, key=lambda f: -(f.value * f.weight))
    strengths = "; ".join(f.note for f in ranked[:3] if f.value > 0)
    weak = [f.note for f in factors if f.value < 0.35]
    text = f"{verdict} Strengths: {strengths or 'none of note'}."
    if weak:
        text += f" Limits: {'; '.join(weak[:2])}."
    if population:
        text += f" {population}"
    return text
