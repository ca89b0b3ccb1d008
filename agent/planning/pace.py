"""The team's own pace: a team already keeping up its rhythm on its established channels within the hours it
states works faster than the benchmark hours per post (knowledge/data/effort.yaml) say, so the plan prices its
posts at that pace instead of cutting the rhythm the audience is used to. Never below `own_pace_floor` of the
benchmark; a labelled assumption, stated beside every channel it moves."""

from __future__ import annotations

from agent.planning.cadence import Cadence
from agent.planning.tables import Tables


def own_pace(tables: Tables, cadences: list[Cadence], available: float) -> float:
    """The share of the benchmark hours this team works at: 1 unless its established channels' current rhythm
    costs more at the benchmark than the hours left after their replies."""
    rhythm = sum(c.rhythm * c.hours_per_post for c in cadences if c.active)
    room = available - sum(c.community_hours for c in cadences if c.active)
    if rhythm <= 0 or rhythm <= room:
        return 1.0
    return round(max(tables.effort.own_pace_floor, room / rhythm), 2)


def rhythm_posts(cadences: list[Cadence]) -> int:
    """Posts a week the team keeps up today on its established channels."""
    return sum(c.rhythm for c in cadences if c.active)


def paced(tables: Tables, pace: float) -> Tables:
    """The tables with every format's hours per post at the team's pace."""
    if pace >= 1.0:
        return tables
    hours = {fmt: round(h * pace, 2) for fmt, h in tables.effort.hours_per_post.items()}
    return tables.model_copy(update={"effort": tables.effort.model_copy(update={"hours_per_post": hours})})


def pace_text(pace: float, posts: int, hours: float) -> str:
    """What the pace means, for each channel's rationale ('' at the benchmark pace); `posts`: `rhythm_posts`."""
    if pace >= 1.0:
        return ""
    return (f"; posts are priced at {pace:.0%} of the benchmark hours, the pace at which the team already keeps up "
            f"{posts} posts a week on its established channels within {hours:g} hours (assumption: say if it "
            "spends more hours than that today)")
