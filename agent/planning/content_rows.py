"""Typed shapes of the tables behind the content plan: pillars, moments and topic banks (knowledge/data/).

Also `Cited`, the fields every table row carries (`agent.planning.tables` holds the other rows and the
`Tables` model that gathers them). A topic bank (topics.yaml) is Socialplan's editorial judgement: for one
kind of business, topic patterns per kind of content pillar and a call to action per goal; the patterns'
placeholders are checked here so a typo fails when the tables load, not when a plan is written.
"""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.model.brief import Category, Goal

PillarKind = Literal["educate", "entertain", "community", "promote", "proof"]
PLACEHOLDERS = frozenset(("name", "product", "interest", "area", "season", "month", "cta"))
"""What a topic pattern may ask for (knowledge/data/topics.yaml describes each)."""


class Cited(BaseModel):
    """Fields every table row carries."""

    model_config = ConfigDict(extra="forbid")
    source: str = Field(description="Knowledge entry id the figure comes from.")
    year: int = Field(description="Year of the data or publication.")
    uncertain: bool = Field(False, description="True when the figure could not be checked at source.")
    note: str = ""


class CategoryPillar(BaseModel):
    """A content pillar typical of a kind of business."""

    model_config = ConfigDict(extra="forbid")
    name: str
    kind: PillarKind
    purpose: str


class PillarRule(Cited):
    """A content-mix rule: named pillars and their shares."""

    id: str
    name: str
    goals: list[Goal]
    models: list[Literal["b2b", "b2c"]] = Field(default_factory=list, description=(
        "The buyers the rule was written for (empty = any); a rule for the plan's buyers wins over a general one."))
    pillars: dict[str, float]
    purposes: dict[str, str]


class PillarKinds(Cited):
    """Which kinds of category pillar carry each pillar of each content-mix rule."""

    rules: dict[str, dict[str, list[PillarKind]]] = Field(
        description="Rule id -> the rule's pillar name -> the kinds of category pillar that share its posts.")


class Moment(Cited):
    """A date in the year that matters to some kinds of business in some countries."""

    name: str
    kind: Literal["holiday", "shopping", "awareness", "trade_fair", "payday", "season", "sector"]
    date: str = Field(description="'MM-DD', 'n-ddd-MM' such as '2-sun-05' (2nd Sunday of May) or 'last-fri-11', "
                                  "'easter' — each may end in '+N'/'-N' days ('easter-47', '4-thu-11+4') — a range "
                                  "'MM-DD..MM-DD' (its start counts), or dates by year 'YYYY-MM-DD|YYYY-MM-DD'.")
    words: list[str] = Field(default_factory=list, description="Only when one of these words is in the business's "
                                                               "industry, description or events (empty = always).")
    countries: list[str] = Field(default_factory=list, description="ISO codes; empty = everywhere.")
    categories: list[Category] = Field(default_factory=list, description="Empty = every kind of business.")
    lead_days: int = Field(14, ge=0, description="How many days before it posts should start.")
    idea: str = Field(description="What to post for it, in one line, for the kinds of business listed.")
    idea_for: dict[Category, str] = Field(default_factory=dict, description=(
        "The idea for a kind of business whose trade on the day differs (a restaurant's Mother's Day is a table, "
        "not a gift); the other kinds get `idea`."))
    on_the_day: list[Category] = Field(default_factory=list, description=(
        "Kinds of business that trade on the day itself (a sale day, a night out, a restaurant's Mother's Day): "
        "their calendar posts on the day, not only before it."))

    def idea_of(self, kinds: list[str]) -> str:
        """The idea for the first of these kinds of business that has its own, else the general one."""
        own = {category.value: idea for category, idea in self.idea_for.items()}
        return next((own[kind] for kind in kinds if kind in own), self.idea)


def placeholders(pattern: str) -> set[str]:
    """The placeholder names a topic pattern uses."""
    return {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}


Patterns = Annotated[list[str], Field(min_length=6, max_length=10)]


class TopicBank(Cited):
    """Topic patterns for one kind of business, by kind of pillar, and its calls to action by goal."""

    category: Category
    cta: dict[str, str] = Field(description="Call to action by goal, and 'default' for the other goals.")
    banks: dict[PillarKind, Patterns] = Field(description="Six to ten topic patterns per kind of pillar.")

    @field_validator("cta")
    @classmethod
    def _known_goals(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - {g.value for g in Goal} - {"default"}
        if unknown or "default" not in value:
            raise ValueError(f"needs a 'default' and only goal keys (unknown: {sorted(unknown)})")
        return value

    @field_validator("banks")
    @classmethod
    def _known_placeholders(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for pattern in (p for patterns in value.values() for p in patterns):
            try:
                unknown = placeholders(pattern) - PLACEHOLDERS
            except ValueError as exc:
                raise ValueError(f"'{pattern}': {exc}") from None
            if unknown:
                raise ValueError(f"'{pattern}' uses unknown placeholders {sorted(unknown)}")
        return value


class TopicPhrases(Cited):
    """Phrases written for one kind of buyer, which a plan for the other kind never shows."""

    b2b_only: list[str] = Field(description="Never in a consumer (b2c) plan's topics or pillars.")
    consumer_only: list[str] = Field(description="Never in a B2B plan's topics or pillars.")
