"""Reputation engine: a target about being recommended or well reviewed, counted in KPIs.

"Be the groomer everyone in north Leeds recommends" holds no number a social forecast could judge: reviews and
recommendations come from clients after the job, not from posts. So such a target keeps `reachable` null, and
the plan names what counts it instead: new reviews a month, the average rating to hold, a reply to every review
and every new client asked how they heard of the business (figures and sources in knowledge/data/targets.yaml,
`reputation`). Reviews are read where the buyers read them: Google for a local business, the B2B review sites
for a B2B firm, a review site or the product pages for an online shop.
"""

from __future__ import annotations

import math
from typing import Any

from agent.model.brief import Brief
from agent.model.plan import Kpi, Target
from agent.planning.moments import starts_a_word
from agent.planning.tables import Tables
from agent.planning.target_rows import Reputation
from agent.planning.units import read_number, read_unit


def about_reputation(text: str | None, tables: Tables) -> bool:
    """True when the target speaks of being recommended or reviewed and counts nothing the forecast counts."""
    return bool(tables.reputation and text and text.strip() and read_unit(text, tables) is None
                and starts_a_word(tables.reputation.words, text))


def review_site(brief: Brief, reputation: Reputation, local: bool) -> str:
    """Where this business's buyers read reviews."""
    kind = "local" if local else "b2b" if brief.business.model == "b2b" else "online"
    return reputation.sites[kind]


def _review_kpi(rep: Reputation, **fields: Any) -> Kpi:
    """A loyalty-stage KPI with no baseline yet, checked monthly, cited to the reputation table's source."""
    return Kpi(stage="loyalty", platform=None, baseline=None, cadence="monthly", citations=[rep.source], **fields)


def reputation_kpis(brief: Brief, tables: Tables, local: bool) -> list[Kpi]:
    """New reviews a month, the average rating, replies to reviews, and new clients asked how they heard of it."""
    rep = tables.reputation
    if rep is None:
        return []
    site, months = review_site(brief, rep, local), brief.goals.horizon_months
    monthly = max(1, math.ceil(rep.recent_reviews / months))
    counted = f"The {site} reviews page, counted at month end"
    return [
        _review_kpi(rep, name=f"New {site} reviews per month", formula=f"reviews written on {site} in the month",
            target=float(monthly), unit="reviews", data_source=counted,
            rationale=f"{rep.recent_reviews} reviews written within the plan's {months} months, at least one a "
                      f"month: readers look at about {rep.recent_reviews} reviews before trusting a business, and "
                      "most only at the last month's; ask every client after the job, with a short link, never "
                      "for a reward"),
        _review_kpi(rep, name=f"Average {site} rating", formula="mean star rating of all reviews at month end",
            target=rep.rating, unit="stars", data_source=counted,
            rationale=f"fewer than half of readers would consider a business under {rep.rating_floor:g} stars, "
                      f"and a reported third use only businesses at {rep.rating:g} or more (unconfirmed)"),
        _review_kpi(rep, name=f"Reviews answered within {rep.reply_days} days",
            formula=f"reviews with the owner's reply within {rep.reply_days} days / new reviews x 100",
            target=100.0, unit="%", data_source=counted,
            rationale="most readers expect the owner to answer every review, good or bad"),
        _review_kpi(rep, name="New clients asked how they heard of you",
            formula="new clients asked 'how did you hear of us?' / new clients x 100; report the share who name "
                    "a recommendation (a friend, a neighbour, a review or a local group)",
            target=100.0, unit="%", data_source="The booking diary or the till: one question to every new client",
            rationale="the share of new clients who were recommended is the target itself; asking everyone is "
                      "the only way to count it, and the first month's share is its baseline"),
    ]


def reputation_target(brief: Brief, tables: Tables, local: bool) -> Target:
    """The client's reputation target: no verdict, and the KPIs that count it."""
    text = (brief.goals.target or "").strip()
    kpis = reputation_kpis(brief, tables, local)
    rep = tables.reputation
    assert rep is not None and kpis
    reviews, rating, replies, _ = kpis
    note = (f"A reputation is made of reviews and of what clients tell each other after the job, not of posts, "
            f"so no social forecast can judge it. This plan counts it instead: {reviews.target:g} new "
            f"{review_site(brief, rep, local)} reviews a month ({rep.recent_reviews} within the plan's "
            f"{brief.goals.horizon_months} months), an average rating of {rating.target:g} stars or more, "
            f"{replies.name.lower()}, and every new client asked how they heard of you, to count who was "
            "recommended. Give today's review count and rating, so month one starts from your own figures.")
    return Target(text=text, value=read_number(text), note=note, measured_by=[k.name for k in kpis],
                  citations=[rep.source])
