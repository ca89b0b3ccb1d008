"""Category engine: what kind of business a brief describes, given or detected.

A strategist's first question. The brief's own `business.category` wins. Otherwise the industry and
description are matched against each category's keywords (whole words; a phrase counts for each of
its words) and, when the caller passes them, against embedding similarities of the brief text with
each category's description. Keyword evidence decides when it is clear; similarity breaks ties and
carries briefs with no matching word. Confidence is the winner's share of the evidence, damped when
the runner-up is close, so a vague brief is confirmed in the interview rather than trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from agent.model.brief import Brief, Category
from agent.model.plan import CategoryChoice
from agent.planning.tables import CategoryRow, Tables

KEYWORD_WEIGHT = 0.7
"""Share of the decision carried by keywords when both kinds of evidence exist."""
SIMILARITY_FLOOR = 0.15
"""Cosine similarity below which a category description is treated as unrelated."""
FALLBACK = {"b2b": Category.b2b_services, "b2c": Category.ecommerce_general, "both": Category.b2b_services}
MODEL_MISMATCH = 0.6
"""Evidence for a category whose buyers are the other kind (B2B vs consumers) counts this much."""
BY_GOAL = {"recruiting": (Category.recruiting_employer,), "app_installs": (Category.mobile_app, Category.mobile_game)}
"""Goals that decide the plan's category when the brief does not give one: hiring is employer branding
whatever the employer sells, and installs are app marketing."""


def category_row(tables: Tables, category: Category) -> CategoryRow | None:
    """The table row of a category (None when the tables have no categories)."""
    return next((row for row in tables.categories if row.id == category), None)


def brief_text(brief: Brief) -> str:
    """The words detection reads: industry, description, then the audience."""
    parts = [brief.business.industry, brief.business.description, brief.audience.description]
    return " ".join(parts)


@cache
def _pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as a whole-word pattern, compiled once per process (a plan tests about 1,200)."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])")


def _matches(text: str, keyword: str) -> bool:
    return _pattern(keyword).search(text) is not None


def keyword_scores(brief: Brief, rows: list[CategoryRow]) -> dict[Category, tuple[float, list[str]]]:
    """Per category: weighted keyword hits and the words that matched.

    Industry and description count fully, the audience description half (it names customers,
    not the business). A multi-word keyword weighs its number of words.
    """
    own = f"{brief.business.industry} {brief.business.description}".lower()
    audience = brief.audience.description.lower()
    scores: dict[Category, tuple[float, list[str]]] = {}
    for row in rows:
        total, hits = 0.0, list[str]()
        for keyword in row.keywords:
            weight = len(keyword.split())
            if _matches(own, keyword):
                total, hits = total + weight, [*hits, keyword]
            elif _matches(audience, keyword):
                total, hits = total + weight / 2, [*hits, keyword]
        if total:
            scores[row.id] = (total, hits)
    return scores


def _combined(keywords: Mapping[Category, float], similar: Mapping[Category, float]) -> dict[Category, float]:
    top_kw = max(keywords.values(), default=0.0)
    useful = {c: s - SIMILARITY_FLOOR for c, s in similar.items() if s > SIMILARITY_FLOOR}
    top_sim = max(useful.values(), default=0.0)
    kw_weight = KEYWORD_WEIGHT if top_kw and top_sim else 1.0 if top_kw else 0.0
    combined: dict[Category, float] = {}
    for category in set(keywords) | set(useful):
        kw = keywords.get(category, 0.0) / top_kw if top_kw else 0.0
        sim = useful.get(category, 0.0) / top_sim if top_sim else 0.0
        combined[category] = kw_weight * kw + (1 - kw_weight) * sim
    return combined


def _confidence(ranked: list[tuple[Category, float]]) -> float:
    best = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    share = best / (best + second) if best + second else 0.0
    return round(min(0.95, share), 2)


def detect_category(
    brief: Brief, tables: Tables, similarities: Mapping[Category, float] | None = None
) -> CategoryChoice:
    """The brief's category: given, else detected from keywords and (optional) embedding similarities."""
    given = brief.business.category
    if given is not None:
        row = category_row(tables, given)
        return CategoryChoice(value=given, name=row.name if row else given.value, source="given", confidence=1.0,
                              reason="stated in the brief")
    found = keyword_scores(brief, tables.categories)
    combined = _combined({c: s for c, (s, _) in found.items()}, similarities or {})
    for row in tables.categories:
        if row.id in combined and "both" not in (row.model, brief.business.model) and row.model != brief.business.model:
            combined[row.id] *= MODEL_MISMATCH
    ranked = sorted(combined.items(), key=lambda item: (-item[1], list(Category).index(item[0])))
    by_goal = _by_goal(brief, tables, combined)
    if by_goal is not None:
        own = ranked[0][0] if ranked and ranked[0][0] != by_goal.value else None
        return by_goal.model_copy(update={"industry": own})
    if not combined:
        fallback = FALLBACK[brief.business.model]
        row = category_row(tables, fallback)
        return CategoryChoice(value=fallback, name=row.name if row else fallback.value, source="detected",
                              confidence=0.2, reason=f"no category word matched; a {brief.business.model.upper()} "
                              "default, to be confirmed")
    ranked = sorted(combined.items(), key=lambda item: (-item[1], list(Category).index(item[0])))
    best = ranked[0][0]
    row = category_row(tables, best)
    words = found.get(best, (0.0, []))[1]
    reason = f"matched {', '.join(repr(w) for w in words[:4])}" if words else "closest category description"
    return CategoryChoice(value=best, name=row.name if row else best.value, source="detected",
                          confidence=_confidence(ranked), reason=reason)


def _by_goal(brief: Brief, tables: Tables, combined: dict[Category, float]) -> CategoryChoice | None:
    """The category a recruiting or app-install goal implies, when the words point elsewhere."""
    options = BY_GOAL.get(brief.goals.primary.value)
    if not options:
        return None
    best = max(options, key=lambda c: (combined.get(c, 0.0), -options.index(c)))
    row = category_row(tables, best)
    if row is None:
        return None
    goal = brief.goals.primary.value.replace("_", " ")
    return CategoryChoice(value=best, name=row.name, source="detected", confidence=0.8,
                          reason=f"the primary goal is {goal}")


def plan_model(brief: Brief, row: CategoryRow | None) -> str:
    """Who buys: the brief's model, or for 'both' the category's ('both' when neither says)."""
    if brief.business.model != "both":
        return brief.business.model
    return row.model if row is not None else "both"
