"""Frequency engine: posts per week per recommended channel, fitted to the team's hours.

Start from the platform guidance (recommended for the primary channel, a lighter cadence for
secondary ones, the minimum for experiments), cost every post by its formats, add community and
planning time, then trim the least important channels until the plan fits team_hours_per_week.
"""

from __future__ import annotations

from pydantic import BaseModel

from agent.model.brief import Brief, Format, Platform
from agent.model.plan import Channel
from agent.planning.channels import profile_for
from agent.planning.tables import Tables

CHEAPEST_FIRST = "cheapest"
ROLE_ORDER = {"primary": 0, "secondary": 1, "experimental": 2}


class PlanningError(ValueError):
    """The brief cannot produce a plan; str() is '<field>: <what>'."""


class Cadence(BaseModel):
    """Posts per week and effort on one channel."""

    platform: Platform
    role: str
    posts_per_week: int
    minimum: int
    formats: list[Format]
    hours_per_post: float
    community_hours: float
    rationale: str
    citations: list[str]

    @property
    def hours(self) -> float:
        """Weekly hours this channel needs."""
        return round(self.posts_per_week * self.hours_per_post + self.community_hours, 2)


def channel_formats(brief: Brief, tables: Tables, channel: Channel) -> list[Format]:
    """Formats to use on a channel: native formats the team can make, best first (max 3)."""
    profile = profile_for(tables, channel.platform)
    usable = [f for f in profile.formats if f in brief.resources.formats]
    return usable[:3] or [min(brief.resources.formats, key=lambda f: tables.effort.hours_per_post[f])]


def overheads(brief: Brief, tables: Tables, channels: int) -> tuple[float, float]:
    """(weekly planning overhead, community hours per channel), capped for very small teams."""
    hours = brief.resources.team_hours_per_week
    overhead = min(tables.effort.weekly_overhead_hours, 0.1 * hours)
    community = min(tables.effort.community_hours_per_channel, 0.15 * hours / max(channels, 1))
    return round(overhead, 2), round(community, 2)


def _start(brief: Brief, tables: Tables, channel: Channel, community: float) -> Cadence:
    guide = next(f for f in tables.frequency if f.platform == channel.platform)
    formats = channel_formats(brief, tables, channel)
    per_post = sum(tables.effort.hours_per_post[f] for f in formats) / len(formats)
    if channel.role == "primary":
        posts = guide.recommended
    elif channel.role == "secondary":
        posts = max(guide.minimum, round(guide.recommended * 0.75))
    else:
        posts = guide.minimum
    return Cadence(
        platform=channel.platform,
        role=channel.role,
        posts_per_week=posts,
        minimum=guide.minimum,
        formats=formats,
        hours_per_post=round(per_post, 2),
        community_hours=community,
        rationale=f"guidance is {guide.minimum}–{guide.maximum} posts a week, {guide.recommended} recommended",
        citations=[guide.source, tables.effort.source],
    )


def _trim(cadences: list[Cadence], available: float) -> bool:
    """Lower posts on the least important channels down to their minimum; True if it fits.

    The primary channel is never cut below the busiest other channel: when that would be needed, it
    is better to drop a channel (the caller does) than to starve the one that matters most.
    """
    while sum(c.hours for c in cadences) > available + 1e-9:
        others = max((c.posts_per_week for c in cadences[1:]), default=0)
        spare = [c for i, c in enumerate(cadences) if c.posts_per_week > c.minimum
                 and (i > 0 or c.posts_per_week > others)]
        if not spare:
            return False
        spare[-1].posts_per_week -= 1
    return True


def _squeeze_primary(brief: Brief, tables: Tables, cadence: Cadence, available: float) -> bool:
    """Last resort for a lone primary channel: fewer posts, then the cheapest format."""
    while cadence.hours > available + 1e-9 and cadence.posts_per_week > 1:
        cadence.posts_per_week -= 1
    if cadence.hours <= available + 1e-9:
        return True
    cheapest = min(cadence.formats, key=lambda f: tables.effort.hours_per_post[f])
    cadence.formats = [cheapest]
    cadence.hours_per_post = tables.effort.hours_per_post[cheapest]
    return cadence.hours <= available + 1e-9


def fit_frequency(brief: Brief, tables: Tables, channels: list[Channel]) -> tuple[list[Cadence], list[Channel], float]:
    """Cadences that fit the team's hours, channels with any demotions applied, and weekly overhead."""
    active = sorted((c for c in channels if c.role in ROLE_ORDER), key=lambda c: (ROLE_ORDER[c.role], -c.score))
    dropped: list[str] = []
    hours = brief.resources.team_hours_per_week
    while True:
        overhead, community = overheads(brief, tables, len(active))
        cadences = [_start(brief, tables, c, community) for c in active]
        wanted = {c.platform: c.posts_per_week for c in cadences}
        available = hours - overhead
        fits = _trim(cadences, available)
        if not fits and len(active) == 1:
            fits = _squeeze_primary(brief, tables, cadences[0], available)
        if fits:
            break
        if len(active) == 1:
            need = cadences[0].hours + overhead
            raise PlanningError(
                f"resources.team_hours_per_week: {hours:g} hours cannot sustain even one post a week "
                f"(needs about {need:.1f})"
            )
        dropped.append(active.pop().platform.value)
    for cadence in cadences:
        _explain(cadence, wanted[cadence.platform], hours)
    return cadences, _demote(channels, dropped, hours), overhead


def _explain(cadence: Cadence, wanted: int, hours: float) -> None:
    formats = ", ".join(f.value.replace("_", " ") for f in cadence.formats)
    text = (
        f"{cadence.rationale}; planned {cadence.posts_per_week} a week at about {cadence.hours_per_post:g} h "
        f"per post ({formats}) plus {cadence.community_hours:g} h of replies = {cadence.hours:g} h a week"
    )
    if cadence.posts_per_week < wanted:
        text += f"; trimmed from {wanted} to fit {hours:g} team hours"
    cadence.rationale = text + "."


def _demote(channels: list[Channel], dropped: list[str], hours: float) -> list[Channel]:
    out = []
    for channel in channels:
        if channel.platform.value in dropped:
            reason = (
                f"Left out for now: with {hours:g} team hours a week there is no time left for it "
                f"after the higher-priority channels [focus-over-spread]."
            )
            channel = channel.model_copy(
                update={
                    "role": "not_recommended",
                    "rationale": f"{reason} {channel.rationale.split('. ', 1)[-1]}",
                    "citations": list(dict.fromkeys([*channel.citations, "focus-over-spread"])),
                }
            )
        out.append(channel)
    return out
