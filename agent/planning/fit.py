"""Market fit, put together: routines that move slots, slots per market, targeting per paid line, and
the MarketFit section of plan.json (markets, area, languages, rules, moments, prerequisites)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agent.model.brief import PLATFORM_NAMES, Brief, Platform
from agent.model.market import AppliedRule, Area, MarketFit, MarketInfo, PlanMoment
from agent.model.plan import Budget, Slot
from agent.planning.market import languages, messaging, zone_groups
from agent.planning.moments import DAY_NAMES, WEEKDAY, starts_a_word, top_moments
from agent.planning.rules import rule_note, targeting_for
from agent.planning.tables import CategoryRow, Market, Routine, Rule, Tables


def routines_for(brief: Brief, tables: Tables, category: str) -> list[Routine]:
    """The audience routines that apply: by category, under-18 audience, words in the audience, or words in
    the client's own target."""
    words = f"{brief.audience.description} {' '.join(brief.audience.interests)}".lower()
    target = (brief.goals.target or "").lower()
    checks = {
        "categories": lambda values: category in values,
        "audience": lambda values: "under_18" in values and brief.audience.age_min < 18,
        "words": lambda values: any(v.lower() in words for v in values),
        "goal": lambda values: starts_a_word(values, target),
    }
    found = [r for r in tables.routines if any(checks[k](v) for k, v in r.applies_to.items() if k in checks)]
    return found + event_routine(brief, found)


def event_routine(brief: Brief, others: list[Routine]) -> list[Routine]:
    """The client's own weekly events pull slots to their day and the day before (invitations land when
    people decide)."""
    days: list[str] = []
    for event in brief.business.events:
        match = WEEKDAY.search(event)
        if match:
            index = next(i for i, name in enumerate(DAY_NAMES) if match.group(1).lower().startswith(name))
            days += [DAY_NAMES[index - 1], DAY_NAMES[index]]
    if not days:
        return []
    source = others[0].source if others else "content-calendar-practice"
    window: list[Any] = [list(dict.fromkeys(days)), 10, 19]
    says = ("Posts go out on the days of the business's own events and the day before, so invitations land "
            "when people decide.")
    return [Routine(id="own-events", name="The client's own events", applies_to={}, favour=[tuple(window)],
                    source=source, year=2026, uncertain=True, says=says)]


def split_posts(posts: int, groups: int) -> list[int]:
    """Posts a week per market group: as even as possible, earlier groups first."""
    return [posts // groups + (1 if i < posts % groups else 0) for i in range(groups)]


def timing_note(groups: list[list[MarketInfo]], counts: dict[str, list[int]]) -> str:
    """How the slots serve markets in different time zones, and who a thin channel leaves out."""
    if len(groups) < 2:
        return ""
    names = ["/".join(m.name for m in g) + f" ({g[0].zone})" for g in groups]
    text = f"The markets are more than three hours apart, so slots are planned per market: {'; '.join(names)}."
    thin = [PLATFORM_NAMES[p] for p, c in counts.items() if 0 in c]
    if thin:
        text += (f" On {', '.join(thin)} there are fewer posts a week than markets, so the later markets get "
                 "no slot of their own there: they see those posts outside their best hours.")
    return text


def with_targeting(brief: Brief, budget: Budget, area: Area, rules: list[Rule]) -> Budget:
    """The budget with each paid line's targeting, within the rules."""
    lines = [line.model_copy(update={"targeting": targeting_for(brief, area, rules, line.platform)})
             if line.kind == "paid" and line.platform else line for line in budget.lines]
    return budget.model_copy(update={"lines": lines})


def prerequisites(tables: Tables, row: CategoryRow | None, markets: list[Market]) -> list[str]:
    """Checklists that must be done before posting, for local businesses: the Google listing, and the
    messaging app customers in the markets use to order, book and ask."""
    local = row is not None and row.local
    apps = messaging(markets) if local else []
    out = []
    for item in tables.prerequisites:
        if (item.when == "local" and local) or (item.when == "messaging" and item.app in apps):
            out.append(f"{item.name}: " + " ".join(item.lines))
    return out


def applied(rules: list[Rule]) -> list[AppliedRule]:
    """The rules as plan.json states them."""
    return [AppliedRule(id=r.id, name=r.name, says=rule_note(r), requires=r.requires, forbids=list(r.forbids),
                        citations=[r.source]) for r in rules]


def market_fit(brief: Brief, tables: Tables, infos: list[MarketInfo], markets: list[Market], area: Area,
               rules: list[Rule], moments: list[PlanMoment], row: CategoryRow | None,
               notes: tuple[str, list[Routine]]) -> MarketFit:
    """plan.json's market section."""
    visitors = any(w in brief.audience.description.lower() for w in ("visitor", "tourist", "travel"))
    langs, language_note = languages(markets, visitors)
    timing, routines = notes
    cites = [m.source for m in markets] + [m.cost_source for m in markets] + [r.source for r in rules]
    cites += [r.source for r in routines] + [p.source for p in tables.prerequisites
                                             if p.name in " ".join(prerequisites(tables, row, markets))]
    cites += [m.source for m in moments if m.source not in ("brief", "holidays")]
    return MarketFit(
        markets=infos, area=area, languages=langs, language_note=language_note, rules=applied(rules),
        moments=moments, top_moments=top_moments(moments, tables), prerequisites=prerequisites(tables, row, markets),
        timing_note=timing, routines=[r.says for r in routines], citations=list(dict.fromkeys(cites)),
    )


def market_slots(infos: list[MarketInfo], start: dt.date, posts: int) -> list[tuple[str, int]]:
    """(zone, posts a week) per market group; one group in the audience's own zone when markets are close."""
    groups = zone_groups(infos, start)
    if len(groups) < 2:
        return []
    return [(g[0].zone, n) for g, n in zip(groups, split_posts(posts, len(groups)), strict=True)]


def merge_slots(parts: list[list[Slot]]) -> list[Slot]:
    """Slots of several market groups in one weekly list, by day and time."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return sorted((s for part in parts for s in part), key=lambda s: (days.index(s.day), s.time, s.timezone))


def platform_names(platforms: list[Platform]) -> list[str]:
    """Platform values, for rule matching."""
    return [p.value for p in platforms]
