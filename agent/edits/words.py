"""Plain-words changes to a brief: "budget is 2500", "goal is sales", "add Pinterest to excluded".

The offline parser behind `replan`'s "what changed?" and the interview's confirm step. Each clause
(split on ';' or ' and then ') becomes zero or more `Edit`s; nothing understood raises AnswerError.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from agent.edits.paths import Edit
from agent.model.brief import Category, Goal
from agent.model.quantities import start_date_of
from agent.model.values import (
    AnswerError,
    find_platforms,
    hours_per_week,
    money_per_month,
    months_of,
    parse_format,
    parse_range,
)

GOAL_WORDS = {
    "leads": "leads", "lead": "leads", "demos": "leads", "sales": "sales", "sell": "sales", "revenue": "sales",
    "awareness": "awareness", "brand": "awareness", "traffic": "traffic", "visits": "traffic",
    "engagement": "engagement", "community": "community", "hiring": "recruiting", "recruiting": "recruiting",
    "installs": "app_installs", "app": "app_installs", "downloads": "app_installs",
}
EXCLUDE = r"\b(drop|exclude|remove|stop|no more|without)\b|\bto (the )?exclu"
INCLUDE = r"\b(include|allow|bring back|re-?add|un-?exclude|add)\b"


def _budget(text: str) -> list[Edit]:
    if not re.search(r"\b(budget|spend)\b", text):
        return []
    amount, currency = money_per_month(text)
    edits = [Edit("resources.monthly_budget", amount)]
    return edits + ([Edit("resources.currency", currency)] if currency else [])


def _goal(text: str) -> list[Edit]:
    match = re.search(r"\bgoal\b(?: is| to| =|:)?\s*(?:more |get |drive )?([a-z_ ]+)", text)
    if not match:
        return []
    words = match.group(1).split()
    goal = next((GOAL_WORDS[w] for w in words if w in GOAL_WORDS), None)
    if goal is None or goal not in {g.value for g in Goal}:
        raise AnswerError(f"which goal? one of: {', '.join(g.value for g in Goal)}")
    return [Edit("goals.primary", goal)]


def _category(text: str) -> list[Edit]:
    match = re.search(r"\b(?:category|kind of business)\b(?: is| to| =|:)?\s*(?:an? )?([a-z0-9 &_-]+)", text)
    if not match:
        return []
    words = re.sub(r"\b(and|business)\b|[&-]", " ", match.group(1).replace("e-commerce", "ecommerce"))
    key = "_".join(words.split())
    found = next((c for c in Category if c.value == key), None)
    if found is None:
        raise AnswerError(f"which category? one of: {', '.join(c.value for c in Category)}")
    return [Edit("business.category", found.value)]


def _start(text: str) -> list[Edit]:
    match = re.search(r"\bstart(?:s| date)?\b(?: is| on| from| to| =|:)?\s*(.+)", text)
    if not match:
        return []
    return [Edit("start_date", start_date_of(match.group(1), dt.datetime.now(dt.UTC).date()).isoformat())]


def _area(text: str) -> list[Edit]:
    match = re.search(r"\b(?:area|ads? area|target area)\b(?: is| to| =|:)\s*(.+)", text)
    if not match:
        return []
    return [Edit("audience.area", match.group(1).strip())]


def _numbers(text: str) -> list[Edit]:
    edits = []
    if re.search(r"\b(budget|spend|start)", text):  # '2000 a month' is money; 'start next month' a date
        pass
    elif re.search(r"\bhours?\b", text):
        edits.append(Edit("resources.team_hours_per_week", hours_per_week(text)))
    elif re.search(r"\b(horizon|plan length|length|months?|quarters?|years?)\b", text):
        edits.append(Edit("goals.horizon_months", months_of(re.sub(r"^.*?\b(?:is|to|=|:|for)\s+", "", text))))
    if re.search(r"\bages?\b", text):
        low, high = parse_range(text)
        edits += [Edit("audience.age_min", low), Edit("audience.age_max", high)]
    return edits


def _platforms(text: str) -> list[Edit]:
    platforms = find_platforms(text)
    if not platforms:
        return []
    if re.search(EXCLUDE, text):
        return [Edit("exclude_platforms", platforms, "add")]
    if re.search(INCLUDE, text):
        return [Edit("exclude_platforms", platforms, "remove")]
    return []


def _formats(text: str) -> list[Edit]:
    match = re.search(r"\b(?:can make|we make|add format|formats?)\b:?\s*(.+)", text)
    if not match:
        return []
    return [Edit("resources.formats", [parse_format(w) for w in re.split(r",|\band\b", match.group(1)) if w.strip()],
                 "add")]


RULES: tuple[Callable[[str], list[Edit]], ...] = (
    _start, _area, _budget, _goal, _category, _numbers, _platforms, _formats,
)


def parse_words(text: str) -> list[Edit]:
    """Edits for a plain-words change; AnswerError when nothing is understood."""
    edits: list[Edit] = []
    for clause in re.split(r";|\band then\b|\n", text.lower()):
        clause = clause.strip()
        if not clause:
            continue
        found = [e for rule in RULES for e in rule(clause)]
        number = re.search(r"\d[\d.,]*k?", clause)
        if not found and number:
            n = number.group()
            raise AnswerError(f"{clause!r} could change more than one thing: say which, e.g. 'budget is {n} a month', "
                              f"'{n} hours a week' or 'plan length is {n} months'")
        if not found:
            raise AnswerError(f"could not understand {clause!r}: try e.g. 'budget is 2500', 'goal is sales', "
                              "'drop tiktok', '20 hours a week'")
        edits.extend(found)
    if not edits:
        raise AnswerError("nothing to change")
    return edits
