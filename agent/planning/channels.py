"""Channel engine: score the eight platforms for a brief and give each a role.

Score = weighted sum of factors: audience reach (share of the audience on the platform, from the
country's survey where published, tempered by daily use; never normalised to the best platform),
category fit (how well the platform serves this kind of business, knowledge/data/categories.yaml),
goal fit, formats the team can make, current presence, and budget fit. Exclusions, bans and
video-first platforms without video are not recommended outright. A small team gets fewer channels
(focus beats spread), but a channel where the client already has an active audience keeps its place
unless a stated reason rules it out, and then the rationale says how to move that audience.
"""

from __future__ import annotations

import math

from agent.model.brief import PLATFORM_NAMES, Brief, Format, Platform
from agent.model.plan import CategoryChoice, Channel, Factor, Role
from agent.planning.audience import audience_reach, population_note
from agent.planning.category import category_row, detect_category
from agent.planning.errors import PlanningError
from agent.planning.tables import Profile, Tables

WEIGHTS = {"reach": 0.2, "category": 0.25, "goal": 0.2, "formats": 0.1, "presence": 0.2, "budget": 0.05}
VIDEO = {Format.short_video, Format.long_video, Format.live}
MIN_SCORE = 0.35
ACTIVE_FOLLOWERS = 500
"""An account with at least this many followers that posts every week is an active audience."""
LARGE_FOLLOWERS = 2000
"""An account this large counts as an audience even when it posts rarely."""
YOUNG_MAX_AGE = 24
YOUNG_MIN_REACH = 0.35
"""An audience entirely under 25 is not planned on a platform fewer than this share of it use (Facebook
reaches about 31% of US teens, Pew 2025), unless the client already has an active audience there."""
ENGAGED = 2.0
"""An account whose engagement rate is this multiple of the platform's median earns extra presence."""
LEAD_FIT = 0.5
"""The primary channel must serve the primary goal at least fairly: the best-scored channel below this
goal fit (YouTube for app installs, whose install value is paid inventory) supports instead of leading."""
LEVEL = 0.10
"""Scores closer than this are level: the weights are judgement, not measurement, and one factor's judgement
(category values a tenth apart, reach read from another country's survey) moves a score by about this much,
so a smaller gap does not decide the lead. Between level channels the one with the larger active audience
leads, because a strategist builds on the audience a client already has: a salon's 1,500 Instagram followers
who see 3 posts a week, not its 700 on Facebook (Socialplan judgement)."""
FOCUS = "focus-over-spread"
VIDEO_ENTRY = "video-first-platforms"
Scored = tuple[float, Platform, list[Factor], str]


def channel_capacity(team_hours: float) -> int:
    """How many channels a team can run well at its weekly hours."""
    for limit, count in ((4, 1), (8, 2), (15, 3), (25, 4)):
        if team_hours < limit:
            return count
    return 5


def profile_for(tables: Tables, platform: Platform) -> Profile:
    """The platform's profile row (every platform has one)."""
    return next(p for p in tables.profiles if p.platform == platform)


def in_sentence(name: str) -> str:
    """A name as it reads mid-sentence: 'Local food and drink' -> 'local food and drink'; acronyms kept."""
    first = name.split(" ", 1)[0]
    return name if any(c.isupper() for c in first[1:]) else name[:1].lower() + name[1:]


def is_active(brief: Brief, platform: Platform) -> bool:
    """True when the client already has an audience on the platform worth keeping."""
    account = brief.presence_for(platform)
    if account is None:
        return False
    return account.followers >= LARGE_FOLLOWERS or (
        account.followers >= ACTIVE_FOLLOWERS and account.posts_per_week >= 1)


def _reach_factor(brief: Brief, tables: Tables, platform: Platform) -> Factor:
    reach = audience_reach(brief, tables, platform)
    note = reach.note
    if brief.audience.gender != "any" and not reach.banned:
        note += f" ({brief.audience.gender.replace('_', ' ')} audience)"
    if reach.share and not reach.banned:
        note += f", {reach.daily:.0%} of users daily"
    return Factor(name="audience reach", value=reach.value, weight=WEIGHTS["reach"], note=note)


def _category_factor(brief: Brief, tables: Tables, profile: Profile, category: CategoryChoice) -> Factor:
    row = category_row(tables, category.value)
    model = brief.business.model
    fit = profile.b2b if model == "b2b" else profile.b2c if model == "b2c" else (profile.b2b + profile.b2c) / 2
    if row is None:
        return Factor(name="category fit", value=round(fit, 3), weight=WEIGHTS["category"],
                      note=f"{model.upper()} fit")
    affinity = row.affinity.get(profile.platform, 0.0)
    value = round(0.75 * affinity + 0.25 * fit, 3)
    word = "strong" if affinity >= 0.75 else "fair" if affinity >= 0.45 else "weak"
    return Factor(name="category fit", value=value, weight=WEIGHTS["category"],
                  note=f"{word} fit for {in_sentence(row.name)}")


def _goal_factor(brief: Brief, profile: Profile) -> Factor:
    primary = profile.goals.get(brief.goals.primary, 0.0)
    value = primary
    if brief.goals.secondary:
        other = sum(profile.goals.get(g, 0.0) for g in brief.goals.secondary) / len(brief.goals.secondary)
        value = 0.75 * primary + 0.25 * other
    word = "strong" if primary >= 0.7 else "fair" if primary >= 0.45 else "weak"
    return Factor(name="goal fit", value=round(value, 3), weight=WEIGHTS["goal"],
                  note=f"{word} fit for {brief.goals.primary.value.replace('_', ' ')}")


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


def _presence_factor(brief: Brief, tables: Tables, platform: Platform) -> Factor:
    account = brief.presence_for(platform)
    if account is None or account.followers <= 0:
        return Factor(name="presence", value=0.0, weight=WEIGHTS["presence"], note="no existing audience")
    value = min(1.0, math.log10(account.followers + 1) / 4) * (1.0 if account.posts_per_week >= 1 else 0.6)
    posting = f", posting {account.posts_per_week:g} a week" if account.posts_per_week else ""
    median = next(e.rate for e in tables.engagement if e.platform == platform)
    if account.engagement_rate is not None and median and account.engagement_rate >= ENGAGED * median:
        value = min(1.0, value + 0.1)
        posting += f" with {account.engagement_rate:.1%} engagement (median {median:.1%})"
    return Factor(name="presence", value=round(value, 3), weight=WEIGHTS["presence"],
                  note=f"existing account with {account.followers:,} followers{posting}")


def _budget_factor(brief: Brief, tables: Tables, platform: Platform) -> Factor:
    paid = next(p for p in tables.paid if p.platform == platform)
    rate = tables.fx_to_usd.get(brief.resources.currency, 1.0)
    budget_usd = brief.resources.monthly_budget / rate
    if budget_usd >= paid.min_monthly_useful * 2:
        return Factor(name="budget fit", value=1.0, weight=WEIGHTS["budget"],
                      note="budget can fund ads here if needed")
    value = 0.6 if platform_is_organic_friendly(tables, platform) else 0.3
    short = "is below" if budget_usd < paid.min_monthly_useful else "is less than twice"
    return Factor(name="budget fit", value=value, weight=WEIGHTS["budget"],
                  note=f"budget {short} a useful ad spend here (about {paid.min_monthly_useful:,.0f} USD/month)")


def platform_is_organic_friendly(tables: Tables, platform: Platform) -> bool:
    """True when organic reach per post is at least the median across platforms."""
    rates = sorted(e.reach_rate for e in tables.engagement)
    mine = next(e.reach_rate for e in tables.engagement if e.platform == platform)
    return mine >= rates[len(rates) // 2]


def _factors(brief: Brief, tables: Tables, platform: Platform, category: CategoryChoice) -> list[Factor]:
    profile = profile_for(tables, platform)
    return [
        _reach_factor(brief, tables, platform),
        _category_factor(brief, tables, profile, category),
        _goal_factor(brief, profile),
        _format_factor(brief, profile),
        _presence_factor(brief, tables, platform),
        _budget_factor(brief, tables, platform),
    ]


def _citations(brief: Brief, tables: Tables, platform: Platform, category: CategoryChoice) -> list[str]:
    ids = audience_reach(brief, tables, platform).citations
    ids.append(profile_for(tables, platform).source)
    row = category_row(tables, category.value)
    if row is not None:
        ids.append(row.source)
    return list(dict.fromkeys(ids))


def _blocked(brief: Brief, tables: Tables, platform: Platform) -> str:
    """Why a platform cannot be recommended at all, or ''."""
    if platform in brief.exclude_platforms:
        return "excluded by the brief"
    reach = audience_reach(brief, tables, platform)
    if reach.banned:
        return "not available in the audience's country"
    if brief.audience.age_max <= YOUNG_MAX_AGE and reach.share < YOUNG_MIN_REACH and not is_active(brief, platform):
        return (f"only about {reach.share:.0%} of people aged {brief.audience.age_min}–{brief.audience.age_max} "
                "use it; young audiences are on TikTok, Instagram and YouTube")
    if profile_for(tables, platform).video_first and not VIDEO & set(brief.resources.formats):
        return "video-first platform and the team makes no video"
    return ""


def score_channels(brief: Brief, tables: Tables, category: CategoryChoice | None = None,
                   banned: dict[str, str] | None = None) -> list[Channel]:
    """Score every platform and assign roles; sorted by score, best first (`banned`: platforms a rule
    takes out, with the rule)."""
    chosen_category = category or detect_category(brief, tables)
    scored: list[Scored] = []
    for platform in Platform:
        factors = _factors(brief, tables, platform, chosen_category)
        score = round(sum(f.value * f.weight for f in factors), 3)
        blocked = (banned or {}).get(platform.value) or _blocked(brief, tables, platform)
        scored.append((score, platform, factors, blocked))
    scored.sort(key=lambda item: (-item[0], list(Platform).index(item[1])))
    return assign_roles(brief, tables, scored, chosen_category)


def pick(brief: Brief, scored: list[Scored], capacity: int) -> list[Platform]:
    """The platforms that get a role, best first: the top ones within capacity, active audiences kept."""
    open_ = [s for s in scored if not s[3]]
    if not open_:
        reasons = "; ".join(f"{PLATFORM_NAMES[p.value]}: {why}" for _, p, _, why in scored)
        raise PlanningError(f"audience: no platform can be planned for this audience ({reasons})")
    eligible = [s for s in open_ if s[0] >= MIN_SCORE] or open_[:1]
    chosen = [s[1] for s in eligible[:capacity]]
    for _, platform, _, blocked in scored:
        if blocked or platform in chosen or not is_active(brief, platform):
            continue
        spare = [p for p in reversed(chosen) if not is_active(brief, p)]
        if len(chosen) < capacity:
            chosen.append(platform)
        elif spare and chosen.index(spare[0]) > 0:
            chosen[chosen.index(spare[0])] = platform
    order = [s[1] for s in scored]
    chosen.sort(key=order.index)
    leader = _leader(brief, scored, chosen)
    if leader is not None:
        chosen.remove(leader)
        chosen.insert(0, leader)
    return chosen


def _leader(brief: Brief, scored: list[Scored], chosen: list[Platform]) -> Platform | None:
    """The best-scored channel that serves the goal well enough to lead (`LEAD_FIT`); among channels
    level with it (`LEVEL`), the one with the largest active audience."""
    best = _best_fit(brief, scored, chosen)
    if best is None:
        return None
    score = {s[1]: s[0] for s in scored}
    level = [p for p in chosen if goal_fit(brief, scored, p) >= LEAD_FIT
             and score[best] - score[p] <= LEVEL + 1e-9 and is_active(brief, p)]
    return max(level, key=lambda p: _followers(brief, p), default=best)


def _best_fit(brief: Brief, scored: list[Scored], chosen: list[Platform]) -> Platform | None:
    """The best-scored chosen channel that serves the goal well enough to lead (`LEAD_FIT`)."""
    return next((s[1] for s in scored if s[1] in chosen and goal_fit(brief, scored, s[1]) >= LEAD_FIT), None)


def _followers(brief: Brief, platform: Platform) -> int:
    account = brief.presence_for(platform)
    return account.followers if account else 0


def goal_fit(brief: Brief, scored: list[Scored], platform: Platform) -> float:
    """The platform's goal-fit factor value."""
    factors = next(s[2] for s in scored if s[1] == platform)
    return next(f.value for f in factors if f.name == "goal fit")


def assign_roles(brief: Brief, tables: Tables, scored: list[Scored], category: CategoryChoice) -> list[Channel]:
    """Top channels within the team's capacity get roles; the rest are not recommended."""
    capacity = channel_capacity(brief.resources.team_hours_per_week)
    chosen = pick(brief, scored, capacity)
    best = _best_fit(brief, scored, chosen)
    level = best is not None and chosen[0] != best  # it leads by the `LEVEL` rule, not on score
    channels: list[Channel] = []
    for score, platform, factors, blocked in scored:
        role, extra = _role(platform, chosen, (score, level), capacity, blocked, brief)
        if role == "not_recommended" and is_active(brief, platform):
            extra += " " + migration_note(brief, platform, chosen)
        cites = _citations(brief, tables, platform, category) + ([FOCUS] if FOCUS in extra else [])
        if "video" in blocked:
            cites.append(VIDEO_ENTRY)
        note = population_note(brief, tables)
        channels.append(Channel(
            platform=platform, role=role, score=min(1.0, max(0.0, score)),
            rationale=_rationale(role, factors, extra, note), citations=cites, factors=factors,
        ))
    return channels


def migration_note(brief: Brief, platform: Platform, chosen: list[Platform]) -> str:
    """What to do with an active audience on a channel the plan leaves out."""
    account = brief.presence_for(platform)
    followers = f"{account.followers:,}" if account else "the"
    where = PLATFORM_NAMES[chosen[0].value] if chosen else "the recommended channels"
    return (f"Your {followers} followers there are not abandoned: keep the profile live, pin a post that points "
            f"to {where}, post there once a week at most, and answer messages.")


def _role(
    platform: Platform, chosen: list[Platform], scored: tuple[float, bool], capacity: int, blocked: str,
    brief: Brief,
) -> tuple[Role, str]:
    """The channel's role and the verdict that opens its rationale (`scored`: its score, and whether the lead
    went to it as level with a better-scored channel)."""
    score, level = scored
    if blocked:
        return "not_recommended", f"Left out: {blocked}."
    if platform not in chosen:
        hours = f"{brief.resources.team_hours_per_week:g}"
        if score < MIN_SCORE:
            return "not_recommended", "Left out: the overall fit is too weak to earn team time."
        return "not_recommended", (
            f"Left out for now: a team with {hours} hours a week is best on {capacity} "
            f"channel{'s' if capacity > 1 else ''} at most, and focus beats spread [{FOCUS}]."
        )
    rank = chosen.index(platform)
    if rank == 0:
        account = brief.presence_for(platform)
        if account is not None and level:
            return "primary", (f"Within {LEVEL:.2f} of the best-scored channel on fit, and it already has the "
                               f"largest active audience ({account.followers:,} followers), so it leads.")
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
