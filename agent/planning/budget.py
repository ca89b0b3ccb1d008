"""Budget engine: organic/paid split, paid lines with forecasts, organic lines.

The paid share starts from the goal's guidance (brand vs activation, organic first on small budgets),
becomes paid-led where the goal is bought at scale (app installs above a budget threshold), moves
with stage and horizon, and is then placed on ad accounts by `allocation` (fit per expected cost;
Meta is one account). A paid share that funds no platform is concentrated on the best one when the
budget can carry its minimum, rather than zeroed; a zero budget stays organic. Organic money is split
by what this business needs (knowledge/data/organic.yaml). Amounts are computed in cents so the lines
sum exactly to the monthly total.
"""

from __future__ import annotations

from agent.model.brief import PLATFORM_NAMES, Brief, Format
from agent.model.plan import Budget, BudgetLine, Channel
from agent.planning.allocation import Candidate, allocate, candidates, concentrate, minimum_cents
from agent.planning.forecast import forecast_line
from agent.planning.tables import Tables

STAGE = {"idea": 0.7, "early": 0.85, "growth": 1.0, "established": 1.0}
MAX_PAID = 0.85
VIDEO = {Format.short_video, Format.long_video, Format.live}
CITES = ["brand-vs-activation-binet-field", "organic-first-small-budgets", "ads-platform-minimum-budgets"]


def article(word: str) -> str:
    """'a' or 'an' before `word`."""
    return "an" if word[:1].lower() in "aeio" else "a"


def fx_rate(brief: Brief, tables: Tables) -> float:
    """Units of the brief's currency per USD (1.0 when unknown)."""
    return tables.fx_to_usd.get(brief.resources.currency, 1.0)


def target_paid_share(brief: Brief, tables: Tables) -> tuple[float, str]:
    """Paid share before the money test, with the reasons."""
    split = next(s for s in tables.splits if s.goal == brief.goals.primary)
    goal = brief.goals.primary.value.replace("_", " ")
    budget_usd = brief.resources.monthly_budget / fx_rate(brief, tables)
    if split.large_budget_usd and budget_usd >= split.large_budget_usd:
        return split.large_paid_share, (
            f"{goal} at {split.large_budget_usd:,.0f} USD a month or more is paid-led: "
            f"{split.large_paid_share:.0%} paid [{split.source}]")
    share = split.paid_share * STAGE[brief.business.stage]
    why = [f"{goal} plans start at {split.paid_share:.0%} paid"]
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


def needs(brief: Brief, tables: Tables, category_id: str | None) -> set[str]:
    """What the organic money has to cover for this business."""
    found = {"b2b"} if brief.business.model in ("b2b", "both") else {"consumer"}
    if VIDEO & set(brief.resources.formats):
        found.add("video")
    row = next((r for r in tables.categories if r.id.value == category_id), None)
    if row is not None and row.local:
        found.add("local")
    if brief.goals.primary.value in ("community", "engagement"):
        found.add("community")
    return found


def _organic_lines(brief: Brief, tables: Tables, organic_cents: int, category_id: str | None) -> list[BudgetLine]:
    if organic_cents <= 0:
        return [BudgetLine(platform=None, kind="organic", item="Team time only (no spend)", monthly_amount=0.0,
                           rationale="No money is set aside; the plan runs on the team's hours.")]
    have = needs(brief, tables, category_id)
    items = [i for i in tables.organic_items if (i.only is None or i.only in have)
             and category_id not in {c.value for c in i.not_for}]
    weights = [i.base + sum(v for k, v in i.needs.items() if k in have) for i in items]
    total = sum(weights)
    cents = [int(organic_cents * w / total) for w in weights]
    cents[0] += organic_cents - sum(cents)
    return [
        BudgetLine(platform=None, kind="organic", item=item.item, monthly_amount=c / 100,
                   rationale=f"{w / total:.0%} of the organic money: {item.note}")
        for item, w, c in zip(items, weights, cents, strict=True) if c > 0
    ]


def _item(candidate: Candidate, objective: str) -> str:
    names = [PLATFORM_NAMES[c.platform.value] for c in candidate.channels]
    if len(names) > 1:
        return f"{candidate.account.title()} ads ({' and '.join(names)} placements): {objective} campaigns"
    return f"{names[0]} ads: {objective} campaigns"


def _paid_lines(brief: Brief, tables: Tables, funded: list[tuple[Candidate, int]]) -> list[BudgetLine]:
    rate, goal = fx_rate(brief, tables), brief.goals.primary
    lines = []
    for candidate, cents in funded:
        objective, paid, amount = goal.value.replace("_", " "), candidate.paid, cents / 100
        lines.append(BudgetLine(
            platform=candidate.lead.platform, kind="paid", item=_item(candidate, objective), monthly_amount=amount,
            forecast=forecast_line(amount, paid, goal, rate, tables.kpi),
            rationale=(
                f"{candidate.lead.role} channel with the best fit for {objective} per expected cost of a result; "
                f"at least {paid.min_monthly_useful * rate:,.0f} {brief.resources.currency}/month keeps it above "
                "the platform's minimum useful spend"),
        ))
    return lines


def _fund(brief: Brief, tables: Tables, channels: list[Channel], total_cents: int) -> tuple[list, str]:
    share, why = target_paid_share(brief, tables)
    if total_cents == 0:
        return [], "No budget: an all-organic plan built on the team's hours"
    ranked, rate = candidates(brief.goals.primary, channels, tables), fx_rate(brief, tables)
    funded = allocate(int(total_cents * share), ranked, rate)
    if funded or not ranked:
        return funded, why
    funded = concentrate(total_cents, int(total_cents * share), ranked, rate)
    if funded:
        name = PLATFORM_NAMES[funded[0][0].lead.platform.value]
        return funded, (why + f"; that share is below every platform's minimum useful spend, so the plan "
                        f"concentrates the paid money on {name} alone at its minimum rather than running no ads")
    return [], why + _unfunded(brief, ranked, rate, total_cents, share)


def _unfunded(brief: Brief, ranked: list[Candidate], rate: float, total_cents: int, share: float) -> str:
    """Why no ads run, in figures: the paid share, or the whole budget, against the smallest useful spend."""
    cheapest = min((c for c in ranked if c.value > 0), key=lambda c: minimum_cents(c, rate), default=ranked[0])
    need, currency = minimum_cents(cheapest, rate) / 100, brief.resources.currency
    where = PLATFORM_NAMES[cheapest.lead.platform.value]
    if need > total_cents / 100:
        return (f"; even the whole budget ({total_cents / 100:,.0f} {currency}) is below the smallest useful ad "
                f"spend ({need:,.0f} {currency} a month on {where}), so all money goes to organic work until it grows")
    return (f"; that share ({total_cents * share / 100:,.0f} {currency}) is below the smallest useful ad spend "
            f"({need:,.0f} {currency} a month on {where}), and spending that much would leave only "
            f"{total_cents / 100 - need:,.0f} {currency} of {total_cents / 100:,.0f} for content, so all money goes "
            "to organic work until the budget grows")


def compute_budget(brief: Brief, tables: Tables, channels: list[Channel], category_id: str | None = None) -> Budget:
    """The monthly split and lines; all-organic when the money cannot fund one platform."""
    total_cents = round(brief.resources.monthly_budget * 100)
    currency = brief.resources.currency
    if category_id is None and brief.business.category is not None:
        category_id = brief.business.category.value
    funded, why = _fund(brief, tables, channels, total_cents)
    paid_cents = sum(c for _, c in funded)
    if tables.fx_to_usd.get(currency) is None:
        why += f"; no exchange rate for {currency}, so USD cost benchmarks are used as they are"
    lines = _paid_lines(brief, tables, funded) + _organic_lines(brief, tables, total_cents - paid_cents, category_id)
    paid_share = round(paid_cents / total_cents, 4) if total_cents else 0.0
    cites = CITES + ([r.source for r in tables.organic_items[:1]] if paid_cents < total_cents else [])
    return Budget(monthly_total=total_cents / 100, currency=currency, organic_share=round(1 - paid_share, 4),
                  paid_share=paid_share, lines=lines, rationale=why + ".", citations=list(dict.fromkeys(cites)))


def ad_accounts(budget: Budget, tables: Tables) -> int:
    """How many ad accounts the budget funds (Facebook and Instagram are one Meta account)."""
    funded = {line.platform for line in budget.lines if line.kind == "paid" and line.platform}
    return len({next(p.account or p.platform.value for p in tables.paid if p.platform == f) for f in funded})
