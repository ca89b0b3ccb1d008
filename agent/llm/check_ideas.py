"""Post ideas from the LLM: which posts it writes for, the checks on its reply, and how they land in the calendar.

The LLM writes ideas only for month one of the plan (`month_one`: the posts from the start date to the day
before the same date a month later, a prefix of the date-ordered calendar). Numbers come from code: a reply
is taken only when it has exactly one idea per slot, each with the slot's own format and pillar, a hook and
a call to action that are single short lines, no figure the plan lacks (the same guard as the sections), and
no phrase written for the other kind of buyer (topics.yaml `topic_phrases`). Any failure rejects the whole
reply and the offline topics stay. `with_ideas` swaps checked posts into a calendar: only topic and caption
ever change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.llm.numbers import Allowed, unsupported
from agent.llm.schemas import PostIdea, PostIdeas
from agent.model.plan import CalendarPost, Strategy
from agent.planning.calendar import end_of_horizon
from agent.planning.category import category_row, plan_model
from agent.planning.tables import Tables
from agent.planning.topics import banned_phrases, has_phrase

MAX_LINE = 200
"""Longest hook or call to action taken (characters)."""
MAX_PROBLEMS = 3
"""Problems named in the warning; the rest are counted."""
TRAILING_TAGS = re.compile(r"(?:\s+#[^\s#]+)+\s*$")
IDENTITY = ("date", "time", "timezone", "platform", "format", "pillar")
"""What an idea never changes about a post."""


@dataclass
class CheckedIdeas:
    """Month one's posts rewritten from the ideas (empty when rejected), and what was wrong."""

    posts: list[CalendarPost] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """The problems in one phrase, for the warning."""
        shown = "; ".join(self.problems[:MAX_PROBLEMS])
        more = len(self.problems) - MAX_PROBLEMS
        return shown + (f"; and {more} more problem(s)" if more > 0 else "")


def month_one(strategy: Strategy) -> list[CalendarPost]:
    """The posts of the plan's first month, in calendar order (slot n is the n-th of them)."""
    last = end_of_horizon(strategy.start_date, 1)
    return [post for post in strategy.calendar if post.date <= last]


def buyer_model(strategy: Strategy, tables: Tables) -> str:
    """Who buys: 'b2b', 'b2c' or 'both' (the brief's model, or for 'both' the category's)."""
    row = category_row(tables, strategy.category.value) if strategy.category else None
    return plan_model(strategy.brief, row)


def other_buyer_phrases(strategy: Strategy, tables: Tables) -> list[str]:
    """Phrases written for the other kind of buyer, except those in the business's own words."""
    business = strategy.brief.business
    own = " ".join([business.name, business.description, business.industry, *business.products])
    return [p for p in banned_phrases(tables, buyer_model(strategy, tables)) if not has_phrase(own, [p])]


def check_ideas(reply: PostIdeas, posts: list[CalendarPost], pillars: list[str], allowed: Allowed,
                banned: list[str]) -> CheckedIdeas:
    """Month one's posts with the ideas applied, or no posts and the problems that reject the reply."""
    by_slot: dict[int, PostIdea] = {}
    problems = _slot_problems(reply, len(posts), by_slot)
    for slot, idea in sorted(by_slot.items()):
        problems += [f"slot {slot}: {p}" for p in _idea_problems(idea, posts[slot - 1], pillars, allowed, banned)]
    if problems:
        return CheckedIdeas(problems=problems)
    return CheckedIdeas(posts=[_applied(post, by_slot[i]) for i, post in enumerate(posts, start=1)])


def _slot_problems(reply: PostIdeas, count: int, by_slot: dict[int, PostIdea]) -> list[str]:
    """Duplicate, unknown and missing slots; fills `by_slot` with the first idea of each known slot."""
    twice, unknown = [], []
    for idea in reply.ideas:
        if not 1 <= idea.slot <= count:
            unknown.append(str(idea.slot))
        elif idea.slot in by_slot:
            twice.append(str(idea.slot))
        else:
            by_slot[idea.slot] = idea
    missing = [str(i) for i in range(1, count + 1) if i not in by_slot]
    problems = [f"no idea for slot(s) {_list(missing)}"] if missing else []
    problems += [f"more than one idea for slot(s) {_list(twice)}"] if twice else []
    return problems + ([f"ideas for unknown slot(s) {_list(unknown)}"] if unknown else [])


def _idea_problems(idea: PostIdea, post: CalendarPost, pillars: list[str], allowed: Allowed,
                   banned: list[str]) -> list[str]:
    """What is wrong with one idea for one post (empty when nothing is)."""
    problems = []
    if idea.format != post.format:
        problems.append(f"format {idea.format.value}, not the planned {post.format.value}")
    if _norm(idea.pillar) not in {_norm(p) for p in pillars}:
        problems.append(f"pillar '{_clip(idea.pillar)}' is not one of the plan's pillars")
    elif _norm(idea.pillar) != _norm(post.pillar):
        problems.append(f"pillar '{_clip(idea.pillar)}', not the planned '{post.pillar}'")
    for name, text in (("hook", idea.hook), ("call to action", idea.call_to_action)):
        problems += [f"{name} {p}" for p in _line_problems(text, allowed, banned)]
    return problems


def _line_problems(text: str, allowed: Allowed, banned: list[str]) -> list[str]:
    """What is wrong with a hook or a call to action."""
    if not text.strip():
        return ["is empty"]
    problems = []
    if "\n" in text.strip() or "\r" in text.strip():
        problems.append("is more than one line")
    if len(text.strip()) >= MAX_LINE:
        problems.append(f"is {len(text.strip())} characters long")
    bad = unsupported(text, allowed)
    if bad:
        problems.append(f"states figures the plan does not contain ({_list(bad)})")
    phrase = has_phrase(text, banned)
    if phrase:
        problems.append(f"uses '{phrase}', written for the other kind of buyer")
    return problems


def _applied(post: CalendarPost, idea: PostIdea) -> CalendarPost:
    """The post with the idea's hook as its topic and hook + call to action (+ its hashtags) as its caption."""
    hook, action = " ".join(idea.hook.split()), " ".join(idea.call_to_action.split())
    tags = TRAILING_TAGS.search(post.caption)
    caption = f"{hook} {action}" + (f" {tags.group(0).strip()}" if tags else "")
    return post.model_copy(update={"topic": hook, "caption": caption})


def with_ideas(calendar: list[CalendarPost], ideas: list[CalendarPost]) -> list[CalendarPost]:
    """`calendar` with its first posts replaced by the checked ideas; a post whose date, time, platform,
    format or pillar differs from its idea's keeps its own topic and caption."""
    out = list(calendar)
    for index, idea in enumerate(ideas[: len(out)]):
        post = out[index]
        if all(getattr(post, name) == getattr(idea, name) for name in IDENTITY):
            out[index] = post.model_copy(update={"topic": idea.topic, "caption": idea.caption})
    return out


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _clip(text: str, limit: int = 40) -> str:
    clean = " ".join(text.split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _list(items: list[str], limit: int = 5) -> str:
    shown = list(dict.fromkeys(items))
    return ", ".join(shown[:limit]) + (", ..." if len(shown) > limit else "")
