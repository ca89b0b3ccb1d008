"""Stories beside the feed posts: planned from the hours the posts leave, never counted as posts.

A few Stories a week are the cheapest way to stay in followers' top bar, so a channel keeps half what it
wanted (its floor) until cutting posts would leave an established audience under its rhythm; under
the floor it gets none, as a lone Story is no habit. A channel whose Stories are shared from one above
(Meta publishes one Story to Instagram and Facebook) never has more than that one. Socialplan judgement on
Mosseri's (2021) two a day (knowledge/data/frequency.yaml: stories).
"""

from __future__ import annotations

import math

from agent.planning.cadence import Cadence


def cut_story(cadences: list[Cadence], floor: bool) -> bool:
    """One Story fewer on the least important channel that has more than its floor (half what it wanted: a
    few Stories a week are the cheapest way to stay in followers' top bar) or, without `floor`, any."""
    cut = next((c for c in reversed(cadences) if c.stories > (story_floor(c) if floor else 0)), None)
    if cut is not None:
        cut.stories = cut.stories - 1 if floor else 0  # under its floor, none: a lone Story is no habit
    return cut is not None


def story_floor(cadence: Cadence) -> int:
    """Half the Stories a channel wanted; none when it plans none."""
    return math.ceil(cadence.stories_wanted / 2) if cadence.story_hours else 0


def fill_stories(cadences: list[Cadence], available: float) -> None:
    """Stories from the hours left, one at a time across the channels that have them, most important first
    (from none, a whole floor at once)."""
    while True:
        room = available - sum(c.hours for c in cadences) + 1e-9
        source = max((c.stories for c in cadences if c.story_hours and not c.shares_stories), default=0)
        step = {id(c): max(1, story_floor(c) - c.stories) for c in cadences}  # a lone Story is no habit
        story = next((c for c in sorted(cadences, key=lambda c: c.stories) if c.story_hours and
                      c.stories + step[id(c)] <= min(c.stories_wanted, source if c.shares_stories else c.stories_wanted)
                      and c.story_hours * step[id(c)] <= room), None)
        if story is None:
            return
        story.stories += step[id(story)]
        if sum(c.hours for c in cadences) > available + 1e-9:  # hours are rounded to the hundredth
            story.stories -= step[id(story)]
            return


def stories_text(cadence: Cadence) -> str:
    """The Stories clause of a channel's rationale."""
    if not cadence.stories:
        return ", no Stories (the feed posts take the hours)" if cadence.story_hours else ""
    return (f", {cadence.stories} Stories at about {round(cadence.story_hours, 2):g} h (not posts: they vanish after a "
            "day)")
