"""Offline writer: the strategy's prose built from the brief, the engines' reasons and knowledge entries.

Each section's text is rendered from `agent/render/templates/sections/<id>.md.j2`. Python here only
gathers facts (chosen channels, funded lines, checklists from `profile-optimisation-<platform>`
entries) and a `Citer` that hands out `[id]` citations for entries the section may cite; the words
live in the templates. No LLM, no I/O beyond reading templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from agent.knowledge.entries import Entry
from agent.model.plan import BudgetLine, Channel, Kpi, Section, Strategy
from agent.render.templating import GOAL_NAMES, render, sentence, strip_blank_runs
from agent.writing import SECTIONS

CITATION = re.compile(r"\[([a-z0-9][a-z0-9-]{2,80})\]")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(\S.*)$")
ROLE_RANK = {"primary": 0, "secondary": 1, "experimental": 2}
CADENCE_RANK = {"daily": 0, "weekly": 1, "biweekly": 2, "fortnightly": 2, "monthly": 3, "quarterly": 4}
AWARENESS_RESULTS = ("view", "impression", "reach", "follower")
TOPICS: dict[str, tuple[str, ...]] = {
    "summary": ("strategy", "channel-selection", "focus"),
    "goals_kpis": ("kpis", "kpi", "goals", "funnel"),
    "audience": ("audience", "demographics", "b2b"),
    "channels": ("channel-selection", "audience", "demographics", "reach"),
    "organic": ("profile", "community", "response-time", "open-graph", "sharing", "website", "captions"),
    "paid": ("objectives", "targeting", "testing", "retargeting", "operations", "budget"),
    "schedule": ("timing", "best-times", "frequency", "capacity"),
    "calendar": ("calendar", "pillars", "mix", "holidays", "repurposing"),
    "competition": ("competitors", "share-of-voice", "listening", "ads-library"),
    "style_guide": ("voice", "tone", "style", "alt-text", "hashtags"),
    "measurement": ("measurement", "utm", "analytics", "reporting", "definitions"),
}
"""Tags that make an entry relevant to a section when none were retrieved for it."""
AVOID_TAGS: dict[str, tuple[str, ...]] = {
    s: ("paid",) for s in ("organic", "schedule", "calendar", "style_guide")
}
"""Tags that keep an entry out of a section's fallback (ad-fatigue 'frequency' is not posting frequency)."""


class Citer:
    """Hands out ' [id]' citations for entries a section may cite, and remembers what it cited."""

    def __init__(self, own: list[Entry], pool: list[Entry], allowed: set[str]) -> None:
        self.own, self.pool, self.allowed = own, pool, allowed
        self.cited: list[str] = []

    def ids(self, ids: Iterable[str]) -> str:
        """' [a] [b]' for the allowed ids among `ids` ('' when none)."""
        keep = [i for i in dict.fromkeys(ids) if i in self.allowed]
        self.cited += [i for i in keep if i not in self.cited]
        return "".join(f" [{i}]" for i in keep)

    def entry(self, *words: str, platform: str | None = None) -> Entry | None:
        """The first usable entry whose id is, or whose tags hold, the earliest possible of `words`.

        With a platform, entries naming that platform come before entries about all platforms.
        """
        usable = [e for e in [*self.own, *self.pool] if e.id in self.allowed]
        if platform is not None:
            usable = [e for e in usable if platform in e.platforms] + [
                e for e in usable if platform not in e.platforms and e.covers_platform(platform)
            ]
        return next((e for word in words for e in usable if word == e.id or word in e.tags), None)

    def about(self, *words: str, platform: str | None = None) -> str:
        """' [id]' for the first entry about one of `words`, else ''."""
        found = self.entry(*words, platform=platform)
        return self.ids([found.id]) if found else ""

    def reason(self, text: str, ids: Iterable[str] = ()) -> str:
        """An engine's reason as a sentence, with its citations before the final stop."""
        body = sentence(text)
        cites = self.ids(ids)
        return f"{body[:-1]}{cites}{body[-1]}" if body else cites.strip()

    def uncited(self) -> list[Entry]:
        """Entries retrieved for this section that the text has not cited yet."""
        return [e for e in self.own if e.id in self.allowed and e.id not in self.cited]


@dataclass(frozen=True)
class Facts:
    """What the section templates need beyond the Strategy itself, computed once."""

    goal: str
    secondary: list[str]
    chosen: list[Channel]
    primary: list[Channel]
    supporting: list[Channel]
    rejected: list[Channel]
    paid_lines: list[BudgetLine]
    organic_lines: list[BudgetLine]
    funded: list[str]
    line_goals: dict[str, str]
    checklists: dict[str, list[str]]
    checklist_sources: dict[str, str]
    hours_needed: float
    posts_per_week: int
    cadences: list[tuple[str, list[str]]]


def offline_sections(strategy: Strategy, practices: Mapping[str, list[Entry]]) -> list[Section]:
    """One Section per document section id, in document order, written without an LLM."""
    pool = _pool(practices)
    allowed = {p.id for p in strategy.practices} | {e.id for e in pool}
    facts = build_facts(strategy, pool)
    sections = []
    for section_id, title in SECTIONS:
        own = list(practices.get(section_id) or fallback_entries(section_id, pool, facts))
        citer = Citer(own, pool, allowed)
        text = render(
            f"sections/{section_id}.md.j2",
            strategy=strategy, brief=strategy.brief, f=facts, entries=own, cite=citer,
        )  # fmt: skip
        text = strip_blank_runs(text)
        sections.append(Section(id=section_id, title=title, text=text, citations=cited_ids(text, allowed)))
    return sections


def cited_ids(text: str, allowed: set[str]) -> list[str]:
    """The allowed ids cited as `[id]` in `text`, in order of first mention."""
    return list(dict.fromkeys(m for m in CITATION.findall(text) if m in allowed))


def build_facts(strategy: Strategy, pool: list[Entry]) -> Facts:
    """Gather the facts the section templates use."""
    goals = strategy.brief.goals
    ranked = sorted(strategy.channels, key=lambda c: (ROLE_RANK.get(c.role, 9), -c.score))
    chosen = [c for c in ranked if c.role != "not_recommended"]
    paid = [line for line in strategy.budget.lines if line.kind == "paid" and line.monthly_amount > 0]
    primary = [c for c in chosen if c.role == "primary"] or chosen[:1]
    checklists, sources = _checklists([c.platform.value for c in chosen], pool)
    return Facts(
        goal=GOAL_NAMES[goals.primary.value],
        secondary=[GOAL_NAMES[g.value] for g in goals.secondary],
        chosen=chosen,
        primary=primary,
        supporting=[c for c in chosen if c not in primary],
        rejected=[c for c in ranked if c.role == "not_recommended"],
        paid_lines=paid,
        organic_lines=[line for line in strategy.budget.lines if line.kind == "organic"],
        funded=list(dict.fromkeys(line.platform.value for line in paid if line.platform is not None)),
        line_goals={line.item: _line_goal(line, goals.primary.value) for line in paid},
        checklists=checklists,
        checklist_sources=sources,
        hours_needed=round(sum(item.hours_per_week for item in strategy.schedule), 1),
        posts_per_week=sum(item.posts_per_week for item in strategy.schedule),
        cadences=_cadences(strategy.kpis),
    )


def fallback_entries(section_id: str, pool: list[Entry], facts: Facts) -> list[Entry]:
    """Entries tagged with this section's topics that cover a chosen platform (or all), at most five."""
    words = TOPICS.get(section_id, ())
    platforms = [c.platform.value for c in facts.chosen]
    avoid = AVOID_TAGS.get(section_id, ())
    found = [
        e
        for e in pool
        if any(w in e.tags for w in words)
        and not any(a in e.tags for a in avoid)
        and (not platforms or any(e.covers_platform(p) for p in platforms))
    ]
    return found[:5]


def checklist_lines(body: str, limit: int = 8) -> list[str]:
    """The bullet lines of an entry body (without their markers), at most `limit`."""
    lines = [m.group(1).strip() for m in map(BULLET.match, body.splitlines()) if m]
    return lines[:limit]


def _pool(practices: Mapping[str, list[Entry]]) -> list[Entry]:
    return list({e.id: e for entries in practices.values() for e in entries}.values())


def _checklists(platforms: list[str], pool: list[Entry]) -> tuple[dict[str, list[str]], dict[str, str]]:
    by_id = {e.id: e for e in pool}
    lists: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    for platform in platforms:
        entry = by_id.get(f"profile-optimisation-{platform}")
        lines = checklist_lines(entry.body) if entry else []
        if entry and lines:
            lists[platform], sources[platform] = lines, entry.id
    return lists, sources


def _line_goal(line: BudgetLine, primary: str) -> str:
    result = (line.forecast.result_name if line.forecast else "").lower()
    return "awareness" if any(word in result for word in AWARENESS_RESULTS) else primary


def _cadences(kpis: list[Kpi]) -> list[tuple[str, list[str]]]:
    """KPI names grouped by reporting cadence, most frequent cadence first."""
    groups: dict[str, list[str]] = {}
    for kpi in kpis:
        groups.setdefault(kpi.cadence.strip(), []).append(kpi.name)
    return sorted(groups.items(), key=lambda item: (CADENCE_RANK.get(item[0].lower(), 9), item[0]))
