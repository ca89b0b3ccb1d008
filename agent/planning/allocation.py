"""Where paid money goes: ad accounts ranked by fit per expected cost, each funded above its minimum.

Platforms bought through one ad account (Facebook and Instagram are one Meta account) are one
candidate: one minimum useful spend, one line, placements on both. A candidate's value is the squared
channel score (overall fit comes first) times its fit for the goal, divided by the square root of its
expected cost per result relative to the cheapest candidate: cheaper results win, but a much
better-fitting channel is not abandoned for a cheap one. Money goes to the fewest-best candidates
that each clear their minimum; when the paid share clears none, but the whole budget could fund
the best one, the money is concentrated there instead of being zeroed.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

from agent.model.brief import Goal
from agent.model.plan import Channel
from agent.planning.tables import KpiAssumptions, Paid, Tables

RECOMMENDED = ("primary", "secondary", "experimental")
CONCENTRATE_CAP = 0.85
"""Paid money may rise to this share of the budget to fund one platform at its minimum."""
JUST_UNDER = 1.6
"""...but only when that minimum is at most this multiple of the planned paid money ('just under')."""


class Candidate(BaseModel):
    """One ad account that could be funded."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    account: str
    channels: list[Channel]
    paid: Paid
    value: float
    cost: float

    @property
    def lead(self) -> Channel:
        """The best channel of the account (its line's platform)."""
        return self.channels[0]


def expected_cost(paid: Paid, goal: Goal, kpi: KpiAssumptions) -> float:
    """Mid-range cost (USD) of one result for the goal on this platform."""
    if goal in paid.cost_per_result:
        low, high = paid.cost_per_result[goal]
        return (low + high) / 2
    cpc = sum(paid.cpc) / 2
    if goal == Goal.awareness:
        return sum(paid.cpm) / 2 / 1000 * kpi.ad_frequency
    if goal in (Goal.traffic, Goal.engagement):
        return cpc
    rate = sum(paid.conversion_rate) / 2 * kpi.result_factor.get(goal, 1.0)
    return cpc / rate if rate else math.inf


def candidates(goal: Goal, channels: list[Channel], tables: Tables) -> list[Candidate]:
    """Recommended channels grouped by ad account, best value first."""
    groups: dict[str, list[tuple[Channel, Paid, float]]] = {}
    for channel in channels:
        if channel.role not in RECOMMENDED:
            continue
        profile = next(p for p in tables.profiles if p.platform == channel.platform)
        paid = next(p for p in tables.paid if p.platform == channel.platform)
        fit = channel.score ** 2 * profile.goals.get(goal, 0.0)  # fit first, then cost
        groups.setdefault(paid.account or paid.platform.value, []).append((channel, paid, fit))
    out = []
    for account, members in groups.items():
        members.sort(key=lambda m: -m[2])
        lead_paid = members[0][1]
        cost = min(expected_cost(m[1], goal, tables.kpi) for m in members)
        out.append(Candidate(account=account, channels=[m[0] for m in members], paid=lead_paid,
                             value=members[0][2], cost=cost))
    cheapest = min((c.cost for c in out if c.value > 0), default=1.0)
    for candidate in out:
        candidate.value = candidate.value / math.sqrt(candidate.cost / cheapest) if cheapest else candidate.value
    return sorted(out, key=lambda c: -c.value)


def minimum_cents(candidate: Candidate, rate: float) -> int:
    """Minimum useful monthly spend of a candidate, in cents of the brief's currency."""
    return math.ceil(candidate.paid.min_monthly_useful * rate) * 100


def allocate(paid_cents: int, ranked: list[Candidate], rate: float) -> list[tuple[Candidate, int]]:
    """Split paid money over the best candidates so each gets its minimum useful spend ([] when even the
    best alone cannot: the caller then concentrates)."""
    usable = [c for c in ranked if c.value > 0]
    for count in range(len(usable), 0, -1):
        top = usable[:count]
        weight = sum(c.value for c in top)
        shares = [int(paid_cents * c.value / weight) for c in top]
        shares[0] += paid_cents - sum(shares)
        if all(s >= minimum_cents(c, rate) for s, c in zip(shares, top, strict=True)):
            return list(zip(top, shares, strict=True))
    return []


def concentrate(
    total_cents: int, paid_cents: int, ranked: list[Candidate], rate: float
) -> list[tuple[Candidate, int]]:
    """One candidate funded at its minimum, when the paid money falls just under it and the budget can
    carry it; else nothing."""
    for candidate in (c for c in ranked if c.value > 0):
        need = minimum_cents(candidate, rate)
        if need <= min(total_cents * CONCENTRATE_CAP, paid_cents * JUST_UNDER):
            return [(candidate, need)]
    return []
