"""Frequency engine: posts per week per recommended channel, fitted to the team's hours.

Start from the platform guidance (recommended for the primary channel, a lighter cadence for
secondary ones, the minimum for experiments), cost every post by the formats it rotates through,
with a stated credit when a secondary channel adapts an asset already made for a channel above it
(knowledge/data/effort.yaml: an assumption, no study measures it), add community, planning and
ad-account time, then trim the least important channels until the plan fits team_hours_per_week.
Secondary channels may go down to half the platform minimum; a channel with an active audience is
dropped last, and its rationale says how to keep that audience.
"""

from __future__ import annotations

import math

from agent.model.brief import PLATFORM_NAMES, Brief, Format, Platform
from agent.model.plan import Channel
from agent.planning.cadence import Cadence
from agent.planning.channels import is_active, migration_note, profile_for
from agent.planning.errors import PlanningError
from agent.planning.pace import own_pace, pace_text, paced, rhythm_posts
from agent.planning.rotation import (
    adapted_formats,
    assets,
    borrowed_formats,
    channel_formats,
    mean_pieces,
    post_hours,
    story_hours,
)
from agent.planning.stories import cut_story, fill_stories, stories_text
from agent.planning.tables import Tables

CHEAPEST_FIRST = "cheapest"
LEAN_STEPS = 2
"""How many of its most expensive formats a rotation may shed before a channel is dropped; one step
more lets the primary channel post once below its minimum when the alternative is losing an active
audience elsewhere."""
ROLE_ORDER = {"primary": 0, "secondary": 1, "experimental": 2}


def overheads(brief: Brief, tables: Tables, channels: int) -> tuple[float, float]:
    """(weekly planning overhead, community hours per channel), capped for very small teams."""
    hours = brief.resources.team_hours_per_week
    overhead = min(tables.effort.weekly_overhead_hours, 0.1 * hours)
    community = min(tables.effort.community_hours_per_channel, 0.15 * hours / max(channels, 1))
    return round(overhead, 2), round(community, 2)


def _start(brief: Brief, tables: Tables, channel: Channel, community: float, made: set[Format],
           lean: int, keep_lead: bool = False, shared: int = 0) -> Cadence:
    guide = next(f for f in tables.frequency if f.platform == channel.platform)
    formats = channel_formats(brief, tables, channel, lean, frozenset(made), keep_lead and channel.role == "primary")
    adapted = adapted_formats(tables, formats, frozenset(made), channel.role == "primary")
    borrowed = borrowed_formats(tables, adapted, frozenset(made))
    if channel.role == "primary":
        posts, minimum = guide.recommended, guide.minimum if lean <= LEAN_STEPS else max(1, guide.minimum - 1)
    elif channel.role == "secondary":
        posts, minimum = max(guide.minimum, round(guide.recommended * 0.75)), math.ceil(guide.minimum / 2)
    else:
        posts, minimum = guide.minimum, math.ceil(guide.minimum / 2)
    account, active = brief.presence_for(channel.platform), is_active(brief, channel.platform)
    rhythm = min(round(account.posts_per_week), guide.maximum) if active and account is not None else 0
    posts = max(posts, rhythm)  # an audience used to a rhythm keeps it, within the guidance
    if rhythm and channel.role != "primary":  # ...and a supporting one may go back to it before the lead is cut
        minimum = min(minimum, rhythm)
    story = story_hours(brief, tables, channel, formats, bool(shared))
    stories = min(guide.stories, shared or guide.stories)  # a shared channel wants no more than its source
    return Cadence(
        platform=channel.platform, role=channel.role, posts_per_week=posts, minimum=minimum, formats=formats,
        hours_per_post=post_hours(tables, formats, adapted), community_hours=community, adapted=adapted,
        borrowed=borrowed,
        wanted=posts, active=active, rhythm=rhythm, pieces=mean_pieces(tables, formats),
        story_hours=story, stories_wanted=stories, stories=stories if story else 0,
        shares_stories=bool(shared and story),
        rationale=f"guidance is {guide.minimum}–{guide.maximum} posts a week, {guide.recommended} recommended",
        citations=[guide.source, tables.effort.source],
    )


def _cadences(brief: Brief, tables: Tables, active: list[Channel], community: float, leans: list[int],
              keep_lead: bool) -> list[Cadence]:
    made: set[Format] = set()
    out: list[Cadence] = []
    for channel, lean in zip(active, leans, strict=True):
        shared = next((c.stories_wanted for c in out if c.story_hours and c.stories_wanted), 0)
        cadence = _start(brief, tables, channel, community, made, lean, keep_lead, shared)
        made.update(cadence.formats)
        out.append(cadence)
    return out


def _trim(cadences: list[Cadence], available: float) -> bool:
    """Lower posts on the least important channels down to their minimum; True if it fits.

    The primary channel never gets less of the team's posting time than the busiest other channel
    (hours, not posts: one video outweighs two text posts), nor fewer posts than a new channel that adapts
    its assets (`_follows`; a long video counts for the pieces cut from it): when that would be needed, it
    is better to drop a channel (the caller does) than to starve the one that matters most.
    """
    while sum(c.hours for c in cadences) > available + 1e-9:
        if cut_story(cadences, floor=True):
            continue
        others = max((c.posts_per_week * c.hours_per_post for c in cadences[1:]), default=0.0)
        first = cadences[0]
        spare = [c for i, c in enumerate(cadences) if c.posts_per_week > c.minimum
                 and (i > 0 or ((first.posts_per_week - 1) * first.hours_per_post >= others
                                and assets(first.posts_per_week - 1, first.pieces) >= _follower_posts(cadences)))]
        if any(c.stories for c in cadences):  # Stories give way before an audience drops under its rhythm
            spare = [c for c in spare if c.posts_per_week > c.rhythm]
        if not spare:
            if cut_story(cadences, floor=False):
                continue
            return False
        newer = [c for c in spare if not c.active]  # new pages give way before established audiences,
        above = [c for c in spare if c.posts_per_week > c.rhythm]  # then posts above what an audience is used to
        pool = newer or above or spare  # then the cut is spread: the channel keeping most of what it wanted first
        max(reversed(pool), key=lambda c: c.posts_per_week / max(c.wanted, 1)).posts_per_week -= 1
    return True


def starved(cadences: list[Cadence]) -> bool:
    """True when an established audience posts under the rhythm it is used to while a new page is still planned:
    the new page's hours go back to the audience that already exists."""
    newer = any(not c.active and c.role != "primary" for c in cadences)
    return newer and any(c.active and c.posts_per_week < c.rhythm for c in cadences)


def _follows(cadence: Cadence) -> bool:
    """True for a supporting channel that adapts assets made for a channel above it and has no audience of
    its own yet: it should not post more often than the primary channel it takes them from."""
    return bool(cadence.borrowed) and not cadence.active


def _follower_posts(cadences: list[Cadence]) -> int:
    """The most posts a week on a channel after the first that follows the primary one (`_follows`)."""
    return max((c.posts_per_week for c in cadences[1:] if _follows(c)), default=0)


def _fill(cadences: list[Cadence], available: float) -> None:
    """Give hours a trim left over back to the channels, most important first, up to what each wanted (a
    channel that follows the primary one (`_follows`) gets no more posts than it, and none grows past its
    audience's rhythm while an established channel is below its own), then Stories (`fill_stories`)."""
    short = any(c.active and c.posts_per_week < c.rhythm for c in cadences)
    for index, cadence in enumerate(cadences):
        ceiling = min(cadence.wanted, cadences[0].assets) if index and _follows(cadence) else cadence.wanted
        if short and cadence.posts_per_week >= cadence.rhythm:
            continue  # no channel grows past its audience's rhythm while an established one is cut below its own
        while cadence.posts_per_week < ceiling and \
                sum(c.hours for c in cadences) + cadence.hours_per_post <= available + 1e-9:
            cadence.posts_per_week += 1
    fill_stories(cadences, available)


def _squeeze_primary(brief: Brief, tables: Tables, cadence: Cadence, available: float) -> bool:
    """Last resort for a lone primary channel: no Stories, fewer posts, then its cheapest core format, then the
    cheapest."""
    cadence.stories = 0
    while cadence.hours > available + 1e-9 and cadence.posts_per_week > 1:
        cadence.posts_per_week -= 1
    if cadence.hours <= available + 1e-9:
        return True
    rotation = list(cadence.formats)
    core = [f for f in rotation if f in profile_for(tables, cadence.platform).core]
    for pool in (core, rotation):  # the platform's own format if one fits, else the cheapest at all
        cheapest = min(pool or rotation, key=lambda f: tables.effort.hours_per_post[f])
        cadence.formats, cadence.adapted, cadence.borrowed = [cheapest], [], []  # nothing left to cut from
        cadence.hours_per_post, cadence.pieces = post_hours(tables, [cheapest], []), mean_pieces(tables, [cheapest])
        if cadence.hours <= available + 1e-9:
            return True
    return False


def _lead_fits(brief: Brief, tables: Tables, primary: Channel, ads_hours: float) -> bool:
    """True when the primary channel alone can post its lead format in its leanest rotation at its minimum
    cadence; if not, protecting the lead would only cost other channels before it is squeezed out anyway."""
    hours = brief.resources.team_hours_per_week
    overhead, community = overheads(brief, tables, 1)
    cadence = _start(brief, tables, primary, community, set(), LEAN_STEPS, keep_lead=True)
    cadence.posts_per_week = cadence.minimum
    return cadence.hours <= hours - overhead - min(ads_hours, 0.25 * hours) + 1e-9


def _lean(brief: Brief, active: list[Channel], leans: list[int], cadences: list[Cadence]) -> bool:
    """One step cheaper, the least important channel first: its formats, then those of the channels above it,
    then one primary post fewer when every channel that could go instead has an active audience or only
    re-posts the primary's assets (a cross-post is the cheapest reach there is). False when no step is left."""
    spare = _keeps_audience(brief, active) or all(_follows(c) for c in cadences[1:])
    for index in reversed(range(len(active))):
        limit = LEAN_STEPS + (index == 0 and spare)
        if leans[index] < limit:
            leans[index] += 1
            return True
    return False


def _keeps_audience(brief: Brief, active: list[Channel]) -> bool:
    """True when every channel that could be dropped has an active audience."""
    return all(is_active(brief, c.platform) for c in active[1:])


def _drop(brief: Brief, active: list[Channel]) -> Channel:
    """The channel to give up: the lowest-priority one without an active audience, else the lowest."""
    spare = [c for c in active[1:] if not is_active(brief, c.platform)]
    victim = spare[-1] if spare else active[-1]
    active.remove(victim)
    return victim


def fit_frequency(
    brief: Brief, tables: Tables, channels: list[Channel], ads_hours: float = 0.0
) -> tuple[list[Cadence], list[Channel], float]:
    """Cadences that fit the team's hours, channels with any demotions applied, and weekly overhead
    (planning and reporting plus `ads_hours` for running the ad accounts the budget funds)."""
    active = sorted((c for c in channels if c.role in ROLE_ORDER), key=lambda c: (ROLE_ORDER[c.role], -c.score))
    dropped: list[str] = []
    hours, leans = brief.resources.team_hours_per_week, [0] * len(active)
    keep_lead = bool(active) and _lead_fits(brief, tables, active[0], ads_hours)
    pace, rhythm = _pace(brief, tables, active, ads_hours, keep_lead)
    tables = paced(tables, pace)  # the lead format's place was decided at the benchmark pace
    while True:
        overhead, community = overheads(brief, tables, len(active))
        overhead = round(overhead + min(ads_hours, 0.25 * hours), 2)
        cadences = _cadences(brief, tables, active, community, leans, keep_lead)
        wanted = {c.platform: c.posts_per_week for c in cadences}
        available = hours - overhead
        fits = _trim(cadences, available)
        if not fits and len(active) == 1 and leans[0] < LEAN_STEPS:
            leans[0] += 1  # a lone channel posts cheaper formats at its minimum before it posts less
            continue
        if not fits and len(active) == 1:
            fits = _squeeze_primary(brief, tables, cadences[0], available)
        if fits and starved(cadences) and len(active) > 1:
            fits = False  # better to drop the new page than to starve an audience that already exists
        if fits:
            _fill(cadences, available)
            break
        if len(active) > 1 and _lean(brief, active, leans, cadences):
            continue
        if len(active) == 1:
            need = cadences[0].hours + overhead
            raise PlanningError(
                f"resources.team_hours_per_week: {hours:g} hours cannot sustain even one post a week "
                f"(needs about {need:.1f})"
            )
        dropped.append(_drop(brief, active).platform.value)
        leans = [0] * len(active)  # the channels left may afford their full rotation again
    note = pace_text(pace, rhythm, hours)
    for cadence in cadences:
        _explain(tables, cadence, wanted[cadence.platform], hours, cadences[0].platform, note)
    return cadences, _demote(brief, channels, dropped, hours), overhead


def _pace(brief: Brief, tables: Tables, active: list[Channel], ads_hours: float,
          keep_lead: bool) -> tuple[float, int]:
    """The team's own pace (agent/planning/pace.py) and the posts a week it keeps up today: what its established
    channels' rhythm would cost in the plan's full rotation, against the hours left after replies and planning."""
    if not active:
        return 1.0, 0
    hours = brief.resources.team_hours_per_week
    overhead, community = overheads(brief, tables, len(active))
    start = _cadences(brief, tables, active, community, [0] * len(active), keep_lead)
    return own_pace(tables, start, hours - overhead - min(ads_hours, 0.25 * hours)), rhythm_posts(start)


def _explain(tables: Tables, cadence: Cadence, wanted: int, hours: float, first: Platform, pace: str = "") -> None:
    text = (
        f"{cadence.rationale}; planned {cadence.posts_per_week} a week at about {cadence.hours_per_post:g} h "
        f"per post ({_names(cadence.formats)}){stories_text(cadence)} plus {cadence.community_hours:g} h of replies "
        f"= {cadence.hours:g} h a week"
    )
    effort, borrowed = tables.effort, set(cadence.borrowed)
    own = [f for f in dict.fromkeys(cadence.adapted) if f not in borrowed]
    if own:
        sources = ", ".join(sorted({effort.cut_from[f].value.replace("_", " ") + "s" for f in own}))
        text += f"; {_names(own)} posts are cut from its own {sources} at about {effort.adapt_share:.0%} of the " \
                "making time (assumption)"
    if borrowed:
        text += (f"; {_names(list(dict.fromkeys(cadence.borrowed)))} posts are adapted from "
                 f"{PLATFORM_NAMES[first.value]} assets at about {effort.adapt_share:.0%} of the making time "
                 "(assumption)")
    if cadence.posts_per_week < wanted:
        text += f"; trimmed from {wanted} to fit {hours:g} team hours"
    cadence.rationale = text + pace + "."


def _names(formats: list[Format]) -> str:
    return ", ".join(f.value.replace("_", " ") for f in formats)


def _demote(brief: Brief, channels: list[Channel], dropped: list[str], hours: float) -> list[Channel]:
    kept = [c.platform for c in channels if c.role in ROLE_ORDER and c.platform.value not in dropped]
    out = []
    for channel in channels:
        if channel.platform.value in dropped:
            reason = (
                f"Left out for now: with {hours:g} team hours a week there is no time left for it "
                f"after the higher-priority channels [focus-over-spread]."
            )
            if is_active(brief, channel.platform):
                reason += " " + migration_note(brief, channel.platform, kept)
            channel = channel.model_copy(
                update={
                    "role": "not_recommended",
                    "rationale": f"{reason} {channel.rationale.split('. ', 1)[-1]}",
                    "citations": list(dict.fromkeys([*channel.citations, "focus-over-spread"])),
                }
            )
        out.append(channel)
    return out
