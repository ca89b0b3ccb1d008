"""Format rotations: which formats a channel posts, what each post costs, and what it feeds others.

A channel rotates through up to three native formats the team can make. Leaning (short hours) sheds the
most expensive format per level, counting what adapting an asset saves (knowledge/data/effort.yaml:
adapt_share, cut_from), but keeps one of the formats the platform is built around (profiles.yaml: core)
and, for a primary channel whose hours allow it, the first of them. A long video feeds several pieces
that supporting channels adapt (effort.yaml: pieces_per_post). All of these are labelled assumptions.
"""

from __future__ import annotations

import math

from agent.model.brief import Brief, Format
from agent.model.plan import Channel
from agent.planning.channels import profile_for
from agent.planning.tables import Profile, Tables


def channel_formats(brief: Brief, tables: Tables, channel: Channel, lean: int = 0,
                    made: frozenset[Format] = frozenset(), keep_lead: bool = False) -> list[Format]:
    """Formats to use on a channel: native formats the team can make, best first (max 3); a `lean` plan
    leaves out its most expensive format per level (counting what adapting assets `made` above saves),
    only when that makes its posts cheaper on average, never the last of the platform's core formats and,
    with `keep_lead`, never the first core one (a primary YouTube channel keeps its long videos)."""
    profile = profile_for(tables, channel.platform)
    native = [f for f in profile.formats if f in brief.resources.formats and _can_post(brief, profile, f)
              and f not in tables.effort.beside_feed
              and (channel.role == "primary" or f not in tables.effort.primary_only)]
    usable = native[:3]
    core = [f for f in profile.core if f in usable]
    keep = core[:1] if keep_lead else []
    for _ in range(lean):
        cost = {f: _cost(tables, f, usable, made, channel.role == "primary") for f in native}
        mean = sum(cost[f] for f in usable) / max(len(usable), 1)
        cores = [f for f in usable if f in core]
        last_core = cores if len(cores) == 1 else []
        spare = [f for f in usable if f not in keep + last_core and cost[f] > mean + 1e-9]
        if len(usable) > 1 and spare:
            dropped = max(spare, key=lambda f: cost[f])
            usable.remove(dropped)
            rest = sum(cost[f] for f in usable) / len(usable)  # a stand-in must lower the mean, not raise it
            cheaper = [f for f in native if f not in usable and cost[f] < min(cost[dropped], rest) and f != dropped]
            if cheaper:  # a cheaper native format (stories) takes the expensive one's place
                usable.append(min(cheaper, key=lambda f: cost[f]))
    hours = tables.effort.hours_per_post
    feed = [f for f in brief.resources.formats if f not in tables.effort.beside_feed] or brief.resources.formats
    return usable or [min(feed, key=lambda f: hours[f])]


def story_hours(brief: Brief, tables: Tables, channel: Channel, formats: list[Format], shared: bool) -> float:
    """Hours per Story on a channel (0 when it plans none): the team makes Stories, the platform has them and
    its feed `formats` are not Stories already (a team that makes nothing else); a Story `shared` from a
    channel above (Meta lets Instagram Stories go to Facebook) costs the adaptation share."""
    story = tables.effort.beside_feed
    if Format.stories not in story or Format.stories not in brief.resources.formats or Format.stories in formats:
        return 0.0
    if Format.stories not in profile_for(tables, channel.platform).formats:
        return 0.0
    return _hours(tables, Format.stories, shared)


def _can_post(brief: Brief, profile: Profile, fmt: Format) -> bool:
    """False for a live stream on an account below the platform's follower threshold for going live."""
    account = brief.presence_for(profile.platform)
    return fmt != Format.live or (account.followers if account else 0) >= profile.live_min_followers


def _adapts(tables: Tables, fmt: Format, formats: list[Format], made: frozenset[Format], primary: bool) -> bool:
    if fmt in tables.effort.fresh:
        return False
    return (fmt in made and not primary) or tables.effort.cut_from.get(fmt) in made | {*formats}


def adapted_formats(tables: Tables, formats: list[Format], made: frozenset[Format], primary: bool) -> list[Format]:
    """Formats in a rotation that adapt an asset: made for a channel above (not on the primary one), or cut
    from a format made here or above (a short video from a long one)."""
    return [f for f in formats if _adapts(tables, f, formats, made, primary)]


def borrowed_formats(tables: Tables, adapted: list[Format], made: frozenset[Format]) -> list[Format]:
    """The adapted formats whose asset comes from a channel above, not from this channel's own long videos."""
    return [f for f in adapted if f in made or tables.effort.cut_from.get(f) in made]


def _hours(tables: Tables, fmt: Format, adapted: bool) -> float:
    return tables.effort.hours_per_post[fmt] * (tables.effort.adapt_share if adapted else 1.0)


def _cost(tables: Tables, fmt: Format, formats: list[Format], made: frozenset[Format], primary: bool) -> float:
    return _hours(tables, fmt, _adapts(tables, fmt, formats, made, primary))


def format_shares(tables: Tables, formats: list[Format]) -> dict[Format, float]:
    """Each format's share of a channel's posts: equal, except that a capped format (effort.yaml max_share:
    live streams) takes at most its cap and the others share what it leaves."""
    shares = dict.fromkeys(formats, 1 / len(formats)) if formats else {}
    capped = {f: min(s, tables.effort.max_share[f]) for f, s in shares.items() if f in tables.effort.max_share}
    free = [f for f in formats if f not in capped]
    if not capped or not free:
        return shares
    rest = (1 - sum(capped.values())) / len(free)
    return {f: capped.get(f, rest) for f in formats}


def post_hours(tables: Tables, formats: list[Format], adapted: list[Format]) -> float:
    """Mean hours per post over the rotation (`format_shares`); an adapted format costs the adaptation share."""
    return round(sum(share * _hours(tables, f, f in adapted) for f, share in format_shares(tables, formats).items()), 2)


def mean_pieces(tables: Tables, formats: list[Format]) -> float:
    """Mean pieces a supporting channel can adapt from one post of the rotation (default one per post)."""
    return sum(share * tables.effort.pieces_per_post.get(f, 1) for f, share in format_shares(tables, formats).items())


def assets(posts: int, per_post: float) -> int:
    """Pieces a week supporting channels can adapt from `posts` posts of `per_post` pieces each."""
    return math.ceil(posts * per_post - 1e-9)
