"""Practices for each document section of one brief, from the knowledge base.

Queries are built from the brief (goal, industry, business model, audience interests) and each
section's topic; platform-specific sections query once per candidate platform with a platform
filter. The curated fallback ids of each section come first, search hits fill the rest.

All of a plan's queries go to the knowledge base in one `search_many` call when it has one (one
embedding pass, one dense ranking), else one `search` each; the results are the same either way.
"""

from __future__ import annotations

from typing import Any, Protocol

from agent.knowledge.search import Query
from agent.knowledge.sections import SECTION_PRACTICES, fallback_ids
from agent.model.brief import PLATFORM_NAMES, Brief

PER_PLATFORM = {"organic": "profile optimisation content what works", "channels": "audience what works"}
LIMIT = {"organic": 14, "channels": 10, "paid": 12}
DEFAULT_LIMIT = 7
HITS = 4


class Searcher(Protocol):
    """What retrieval needs from the knowledge base (`search_many`, when it has it, is used instead)."""

    def search(self, query: str, k: int = 5, platform: str | None = None, kind: str | None = None,
               goal: str | None = None) -> list: ...


def brief_terms(brief: Brief) -> str:
    """Words from the brief that steer every query."""
    goal = brief.goals.primary.value.replace("_", " ")
    interests = " ".join(brief.audience.interests[:3])
    return f"{goal} {brief.business.model.upper()} {brief.business.industry} {interests}".strip()


def section_queries(section: str, brief: Brief, platforms: list[str]) -> list[tuple[str, str | None]]:
    """(query, platform filter) pairs for one section."""
    base = f"{SECTION_PRACTICES[section][0]} {brief_terms(brief)}"
    if section in PER_PLATFORM:
        return [(f"{PLATFORM_NAMES[p]} {PER_PLATFORM[section]} {brief_terms(brief)}", p) for p in platforms]
    return [(base, None)]


def plan_queries(brief: Brief, platforms: list[str]) -> list[tuple[str, Query]]:
    """(section, query) for every search of a plan, in section order."""
    goal = brief.goals.primary.value
    return [
        (section, Query(text, k=HITS, platform=platform, goal=goal))
        for section in SECTION_PRACTICES
        for text, platform in section_queries(section, brief, platforms)
    ]


def run_queries(kb: Searcher, queries: list[Query]) -> list[list[Any]]:
    """The hits of every query: one `search_many` call when the knowledge base has it."""
    many = getattr(kb, "search_many", None)
    if many is not None:
        return list(many(queries))
    return [kb.search(q.text, k=q.k, platform=q.platform, kind=q.kind, goal=q.goal) for q in queries]


def retrieve_practices(kb: Searcher, brief: Brief, platforms: list[str], known: set[str]) -> dict[str, list[str]]:
    """Entry ids per section: curated fallbacks that exist, then the best search hits."""
    planned = plan_queries(brief, platforms)
    results = run_queries(kb, [query for _, query in planned])
    hits: dict[str, list[str]] = {section: [] for section in SECTION_PRACTICES}
    for (section, _), found in zip(planned, results, strict=True):
        hits[section].extend(hit.id for hit in found)
    chosen: dict[str, list[str]] = {}
    for section in SECTION_PRACTICES:
        ids = [i for i in fallback_ids(section, platforms) if i in known] + hits[section]
        chosen[section] = list(dict.fromkeys(ids))[: LIMIT.get(section, DEFAULT_LIMIT)]
    return chosen
