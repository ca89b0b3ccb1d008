"""Compose a `Strategy` from the engines' `PlanCore`, the sections and the cited entries."""

from __future__ import annotations

import datetime as dt

from agent.knowledge.entries import Entry
from agent.model.brief import Brief
from agent.model.plan import Generation, Practice, Section, Strategy
from agent.planning.assemble import PlanCore


def practices_for(ids: list[str], entries: dict[str, Entry]) -> tuple[list[Practice], list[str]]:
    """Practice records for the cited ids, and the ids with no entry."""
    found = [
        Practice(
            id=i, title=entries[i].title, kind=entries[i].kind, source=entries[i].source, year=entries[i].year,
            publisher=entries[i].source_publisher(), url=entries[i].source_url(), uncertain=entries[i].uncertain,
        )
        for i in ids if i in entries
    ]
    return found, [i for i in ids if i not in entries]


def compose(
    brief: Brief, core: PlanCore, entries: dict[str, Entry], *, sections: list[Section],
    generation: Generation, version: int, now: dt.datetime, client: str,
) -> Strategy:
    """The whole plan as plan.json holds it."""
    cited = core.cited_ids() + [c for s in sections for c in s.citations]
    practices, missing = practices_for(list(dict.fromkeys(cited)), entries)
    warnings = list(core.warnings)
    if missing:
        warnings.append(f"Cited entries missing from the knowledge base: {', '.join(missing)}.")
    return Strategy(
        version=version, created_at=now, client=client, brief=brief, start_date=core.start_date,
        end_date=core.end_date, channels=core.channels, schedule=core.schedule, budget=core.budget,
        kpis=core.kpis, calendar=core.calendar, pillars=core.pillars, pillar_rule=core.pillar_rule,
        practices=practices, sections=sections, generation=generation, warnings=warnings,
        analytics=core.analytics, changes=None, category=core.category, target=core.target, market=core.market,
    )
