"""Content pillars engine: the business's own pillars, with shares set by the goal's content-mix rule.

The pillars are the category's (categories.yaml: 'Fresh from the kitchen', 'Open slots this week'), each of
a kind (promote, educate, entertain, community, proof). Their shares still follow the content-mix rule for
the primary goal (pillars.yaml, content-mix-rules): each of the rule's pillars hands its share to the
category pillars of the kinds that carry it (topics.yaml `pillar_kinds`: the rule's Promote share goes to
the promote pillars), evenly; a rule pillar with no such category pillar hands its share to the pillars
that do not promote. Without a category row the rule's own pillars are used, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.model.brief import Brief
from agent.model.plan import Pillar
from agent.planning.category import plan_model
from agent.planning.content_rows import CategoryPillar, PillarKind, PillarRule
from agent.planning.tables import CategoryRow, Tables

DEFAULT_KIND: PillarKind = "educate"


@dataclass(frozen=True)
class PlanPillar:
    """A pillar of this plan: its name, share of posts, purpose and kind (which topic bank it draws on)."""

    name: str
    share: float
    purpose: str
    kind: PillarKind

    def model(self) -> Pillar:
        """The pillar as the plan shows it."""
        return Pillar(name=self.name, share=self.share, purpose=self.purpose)


@dataclass(frozen=True)
class PillarPlan:
    """The pillars, the sentence that explains their shares, and the entry behind the rule."""

    pillars: list[PlanPillar]
    rule_text: str
    source: str


def goal_rule(brief: Brief, tables: Tables, row: CategoryRow | None = None) -> PillarRule:
    """The content-mix rule that covers the primary goal for these buyers: one written for them (a B2B rule for
    a B2B plan) before one written for any buyer; a rule written for other buyers only when no other covers it."""
    model = plan_model(brief, row)
    covering = [r for r in tables.pillars if brief.goals.primary in r.goals]
    ranked = sorted(covering, key=lambda r: 0 if model in r.models else 1 if not r.models else 2)
    return ranked[0] if ranked else tables.pillars[0]


def _kinds(tables: Tables, rule: PillarRule, name: str) -> list[PillarKind]:
    mapping = tables.pillar_kinds.rules.get(rule.id, {}) if tables.pillar_kinds else {}
    return mapping.get(name, [DEFAULT_KIND])


def _carriers(own: list[CategoryPillar], kinds: list[PillarKind]) -> list[CategoryPillar]:
    """The category pillars that take a rule pillar's share: those of its kinds, else those that do not promote."""
    found = [p for p in own if p.kind in kinds]
    return found or [p for p in own if p.kind != "promote"] or own


def _spread(rule: PillarRule, row: CategoryRow, tables: Tables) -> tuple[dict[str, float], list[str]]:
    """Each category pillar's share, and one phrase per rule pillar saying where its share went."""
    shares = dict.fromkeys((p.name for p in row.pillars), 0.0)
    phrases = []
    for name, share in rule.pillars.items():
        carriers = _carriers(row.pillars, _kinds(tables, rule, name))
        for pillar in carriers:
            shares[pillar.name] += share / len(carriers)
        phrases.append(f"{name} {share:.0%} to {_and([p.name for p in carriers])}")
    return shares, phrases


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def plan_pillars(brief: Brief, tables: Tables, row: CategoryRow | None) -> PillarPlan:
    """The plan's pillars with their shares, kinds and the explanation of the mix."""
    rule = goal_rule(brief, tables, row)
    goal = brief.goals.primary.value.replace("_", " ")
    name = rule.name[:1].lower() + rule.name[1:] if rule.name.startswith("Rule") else rule.name
    if row is None or not row.pillars:
        pillars = [PlanPillar(n, s, rule.purposes.get(n, ""), _kinds(tables, rule, n)[0])
                   for n, s in rule.pillars.items()]
        return PillarPlan(pillars, f"{rule.name}: {rule.note}".strip(": "), rule.source)
    shares, phrases = _spread(rule, row, tables)
    pillars = [PlanPillar(p.name, round(shares[p.name], 3), p.purpose, p.kind) for p in row.pillars
               if shares[p.name] > 0]
    text = (f"The shares follow the {name}, the content-mix rule for {goal} goals (source: {rule.source}), spread "
            f"over this business's own pillars: {'; '.join(phrases)}. {rule.note}")
    return PillarPlan(pillars, text, rule.source)
