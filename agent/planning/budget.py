"""Budget engine: organic/paid split, paid lines with forecasts, organic lines.

The paid share starts from the goal's guidance (brand vs activation, organic first on small budgets),
moves with stage and horizon, and only survives if it can fund at least one recommended platform at
its minimum useful spend. Paid money goes to the best-fitting platforms without spreading thin.
Amounts are computed in cents so the lines sum exactly to the monthly total.
"""

from __future__ import annotations

from agent.model.brief import PLATFORM_NAMES, Brief
from agent.model.plan import Budget, BudgetLine, Channel
from agent.planning.forecast import forecast_line
from agent.planning.tables import Paid, Tables

STAGE = {"idea": 0.7, "early": 0.85, "growth": 1.0, "established": 1.0}
MAX_PAID = 0.85
ORGANIC_ITEMS = (
    ("Content production (design, video editing, copy)", 0.6),
    ("Scheduling, listening and analytics tools", 0.15),
    ("Community: UGC, creator and giveaway incentives", 0.25),
)
RECOMMENDED = ("primary", "secondary", "experimental")


def article(word: str) -> str:
    """'a' or 'an' before `word`."""
    return "an" if word[:1].lower() in "aeio" else "a"


def fx_rate(brief: Brief, tables: Tables) -> float:
    """Units of the brief's currency per USD (1.0 when unknown)."""
    return tables.fx_to_usd.get(brief.resources.currency, 1.0)


def target_paid_share(brief: Brief, tables: Tables) -> tuple[float, str]:
    """Paid share before the money test, with the reasons."""
    split = next(s for s in tables.splits if s.goal == brief.goals.primary)
    share = split.paid_share * STAGE[brief.business.stage]
    why = [f"{brief.goals.primary.value.replace('_', ' ')} plans start at {split.paid_share:.0%} paid"]
    if STAGE[brief.business.stage] < 1:
        why.append(
            f"{article(brief.business.stage)} {brief.business.stage}-stage business tests messages "
            "organically first, so less paid"
        )
    months = brief.goals.horizon_months
    if months <= 2:
        share *= 1.1
        why.append(f"a {months}-month horizon needs results within weeks, which paid delivers")
    elif months >= 6:
        share *= 0.9
        why.append(f"a {months}-month horizon gives organic time to compound")
    return min(MAX_PAID, round(share, 4)), "; ".join(why)


def _weights(brief: Brief, channels: list[Channel], tables: Tables) -> list[tuple[Channel, float, Paid]]:
    goal = brief.goals.primary
    out = []
    for channel in channels:
        if channel.role not in RECOMMENDED:
            continue
        profile = next(p for p in tables.profiles if p.platform == channel.platform)
        paid = next(p for p in tables.paid if p.platform == channel.platform)
        out.append((channel, channel.score * profile.goals.get(goal, 0.0), paid))
    return sorted(out, key=lambda item: -item[1])


def allocate_paid(
    paid_cents: int, candidates: list[tuple[Channel, float, Paid]], rate: float
) -> list[tuple[Channel, int, Paid]]:
    """Split paid money over the fewest-best platforms so each gets its minimum useful spend."""
    for count in range(len(candidates), 0, -1):
        top = [c for c in candidates[:count] if c[1] > 0]
        weight = sum(c[1] for c in top)
        if not top or weight <= 0:
            continue
        shares = [int(paid_cents * c[1] / weight) for c in top]
        shares[0] += paid_cents - sum(shares)
        if all(s >= c[2].min_monthly_useful * rate * 100 for s, c in zip(shares, top, strict=True)):
            return [(c[0], s, c[2]) for s, c in zip(shares, top, strict=True)]
    affordable = [c for c in candidates if c[1] > 0 and paid_cents >= c[2].min_monthly_useful * rate * 100]
    return [(affordable[0][0], paid_cents, affordable[0][2])] if affordable else []


def _organic_lines(organic_cents: int) -> list[BudgetLine]:
    if organic_cents <= 0:
        return [
            BudgetLine(
                platform=None,
                kind="organic",
                item="Team time only (no spend)",
                monthly_amount=0.0,
                rationale="No money is set aside; the plan runs on the team's hours.",
            )
        ]
    cents = [int(organic_cents * share) for _, share in ORGANIC_ITEMS]
    cents[0] += organic_cents - sum(cents)
    return [
        BudgetLine(
            platform=None,
            kind="organic",
            item=item,
            monthly_amount=c / 100,
            rationale=f"{share:.0%} of the organic money",
        )
        for (item, share), c in zip(ORGANIC_ITEMS, cents, strict=True)
    ]


def _paid_lines(brief: Brief, tables: Tables, funded: list[tuple[Channel, int, Paid]]) -> list[BudgetLine]:
    rate, goal = fx_rate(brief, tables), brief.goals.primary
    lines = []
    for channel, cents, paid in funded:
        name = PLATFORM_NAMES[channel.platform.value]
        objective = goal.value.replace("_", " ")
        amount = cents / 100
        lines.append(
            BudgetLine(
                platform=channel.platform,
                kind="paid",
                item=f"{name} ads: {objective} campaigns",
                monthly_amount=amount,
                forecast=forecast_line(amount, paid, goal, rate, tables.kpi),
                rationale=(
                    f"{channel.role} channel with the best fit for {objective} per unit of spend; at least "
                    f"{paid.min_monthly_useful * rate:,.0f} {brief.resources.currency}/month keeps it above the "
                    f"platform's minimum useful spend"
                ),
            )
        )
    return lines


def compute_budget(brief: Brief, tables: Tables, channels: list[Channel]) -> Budget:
    """The monthly split and lines; all-organic when paid money cannot fund one platform."""
    total_cents = round(brief.resources.monthly_budget * 100)
    currency = brief.resources.currency
    share, why = target_paid_share(brief, tables)
    candidates = _weights(brief, channels, tables)
    funded = allocate_paid(int(total_cents * share), candidates, fx_rate(brief, tables)) if total_cents else []
    cites = ["brand-vs-activation-binet-field", "organic-first-small-budgets", "ads-platform-minimum-budgets"]
    if total_cents == 0:
        why = "No budget: an all-organic plan built on the team's hours"
    elif not funded:
        why += (
            "; the paid share would fall below the minimum useful spend of every recommended platform, "
            "so all money goes to organic work until the budget grows"
        )
    paid_cents = sum(c for _, c, _ in funded)
    if tables.fx_to_usd.get(currency) is None:
        why += f"; no exchange rate for {currency}, so USD cost benchmarks are used as they are"
    lines = _paid_lines(brief, tables, funded) + _organic_lines(total_cents - paid_cents)
    paid_share = round(paid_cents / total_cents, 4) if total_cents else 0.0
    return Budget(
        monthly_total=total_cents / 100,
        currency=currency,
        organic_share=round(1 - paid_share, 4),
        paid_share=paid_share,
        lines=lines,
        rationale=why + ".",
        citations=cites,
    )
