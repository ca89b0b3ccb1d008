"""Table rows for reading the client's own target (knowledge/data/targets.yaml): the units a target is stated
in, and how a target about reputation is counted."""

from __future__ import annotations

from pydantic import Field

from agent.model.brief import Goal
from agent.planning.content_rows import Cited


class TargetUnit(Cited):
    """A unit a client states a target in, and how it relates to the goal's result (a labelled assumption)."""

    unit: str = Field(description="Canonical unit, e.g. 'demo requests'.")
    words: list[str] = Field(description="Lowercase words that name it in a target, e.g. ['demo', 'demos'].")
    goal: Goal = Field(description="The goal whose result this unit follows.")
    per_result: float = Field(gt=0, description="Units per result of the goal (e.g. 0.6 bookings per lead).")


class Reputation(Cited):
    """How a target about being recommended or well reviewed is counted: reviews, rating, replies, referrals."""

    words: list[str] = Field(description="Lowercase word starts that make a target about reputation.")
    recent_reviews: int = Field(gt=0, description="Reviews a reader looks at before trusting a business.")
    rating: float = Field(gt=0, le=5, description="Average star rating to hold.")
    rating_floor: float = Field(gt=0, le=5, description="Rating under which most readers look elsewhere.")
    reply_days: int = Field(gt=0, description="Days within which every review gets a reply.")
    sites: dict[str, str] = Field(description="Where reviews are read: 'local', 'b2b' and 'online' businesses.")
