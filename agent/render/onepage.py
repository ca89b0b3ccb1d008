"""The plan on a page: what the first page of the strategy document shows, gathered from the Strategy.

Pure: a Strategy in, a `Page` of plain data out; the words around it live in `page.md.j2`. Every number
the page shows appears in one place only: channels carry posts a week and the reply target, the budget
table carries money and per-line results, the KPI table carries targets, and the recommendation ends
with the client's target against the forecast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from agent.model.plan import BudgetLine, Channel, Kpi, Strategy
from agent.render.templating import lower_first

MAX_BUDGET_ROWS = 5
"""Budget rows before the total (the table has six lines at most)."""
MAX_KPIS = 5
IDEAS = 10
FIRST_DAYS = 14
ROLE_RANK = {"primary": 0, "secondary": 1, "experimental": 2}
STAGE_OF_GOAL = {
    "awareness": "awareness", "engagement": "consideration", "traffic": "consideration", "leads": "conversion",
    "sales": "conversion", "community": "loyalty", "recruiting": "conversion", "app_installs": "conversion",
}  # fmt: skip


@dataclass(frozen=True)
class ChannelRow:
    channel: Channel
    reason: str
    posts_per_week: int
    formats: list[str]
    stories: int = 0


@dataclass(frozen=True)
class BudgetRow:
    label: str
    kind: str
    amount: float
    results: str = ""
    lines: list[BudgetLine] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    channels: list[ChannelRow]
    budget: list[BudgetRow]
    kpis: list[Kpi]
    ideas: list[dict[str, object]]
    reply_hours: float | None
    replier: str


def build_page(strategy: Strategy) -> Page:
    """The plan-on-a-page facts of `strategy`."""
    reply = next((k for k in strategy.kpis if k.unit == "hours"), None)
    hours = strategy.brief.resources.team_hours_per_week
    return Page(
        channels=channel_rows(strategy),
        budget=budget_rows(strategy),
        kpis=headline_kpis(strategy),
        ideas=first_ideas(strategy),
        reply_hours=reply.target if reply else None,
        replier="the person who posts" if hours <= 10 else "the community manager",
    )


def channel_rows(strategy: Strategy) -> list[ChannelRow]:
    """Recommended channels, primary first, with a one-line reason from their strongest factors."""
    schedule = {item.platform: item for item in strategy.schedule}
    chosen = [c for c in strategy.channels if c.role in ROLE_RANK]
    chosen.sort(key=lambda c: (ROLE_RANK[c.role], -c.score))
    rows = []
    for channel in chosen:
        item = schedule.get(channel.platform)
        rows.append(ChannelRow(
            channel=channel, reason=one_line_reason(channel),
            posts_per_week=item.posts_per_week if item else 0,
            formats=[f.value for f in item.formats] if item else [],
            stories=item.stories_per_week if item else 0,
        ))
    return rows


def one_line_reason(channel: Channel) -> str:
    """The notes of the channel's two strongest factors (value x weight), or its rationale's first clause."""
    strongest = sorted(channel.factors, key=lambda f: -f.value * f.weight)[:2]
    if strongest:
        notes = [f.note.strip().rstrip(".") for f in strongest]
        text = "; ".join(lower_first(n) for n in notes)
        return text[:1].upper() + text[1:]
    return channel.rationale.split(".")[0]


def budget_rows(strategy: Strategy) -> list[BudgetRow]:
    """Organic lines as one row, paid lines by amount (the smallest merged beyond `MAX_BUDGET_ROWS`)."""
    lines = strategy.budget.lines
    organic = [line for line in lines if line.kind == "organic"]
    paid = sorted((line for line in lines if line.kind == "paid"), key=lambda line: -line.monthly_amount)
    rows = []
    if organic:
        label = organic[0].item if len(organic) == 1 else "Content production, tools and community"
        rows.append(BudgetRow(label, "organic", sum(line.monthly_amount for line in organic), lines=organic))
    room = MAX_BUDGET_ROWS - len(rows)
    shown, rest = (paid, []) if len(paid) <= room else (paid[: room - 1], paid[room - 1 :])
    rows += [BudgetRow(line.item, "paid", line.monthly_amount, _results(line), [line]) for line in shown]
    if rest:
        label = f"Other paid lines ({len(rest)})"
        rows.append(BudgetRow(label, "paid", sum(line.monthly_amount for line in rest), lines=rest))
    return rows


def _results(line: BudgetLine) -> str:
    if line.forecast is None:
        return ""
    low, high = round(line.forecast.results.low), round(line.forecast.results.high)
    span = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    return f"{span} {line.forecast.result_name}"


def headline_kpis(strategy: Strategy) -> list[Kpi]:
    """Three to five KPIs: the one measuring the primary goal, then those counting the client's target where no
    forecast can judge it (a reputation), then one per funnel stage, then the rest."""
    goal = strategy.brief.goals.primary.value
    stage = STAGE_OF_GOAL.get(goal, "conversion")
    counting = set(strategy.target.measured_by) if strategy.target else set()
    ranked = sorted(
        strategy.kpis,
        key=lambda k: (k.goal is None or k.goal.value != goal, k.name not in counting, k.stage != stage,
                       k.platform is not None),
    )
    picked: list[Kpi] = []
    for kpi in ranked:
        if kpi.stage not in {p.stage for p in picked}:
            picked.append(kpi)
    picked += [k for k in ranked if k not in picked][: max(0, 3 - len(picked))]
    return picked[:MAX_KPIS]


def first_ideas(strategy: Strategy) -> list[dict[str, object]]:
    """Up to ten posts of the first two weeks with distinct topics, in date order."""
    horizon = strategy.start_date + dt.timedelta(days=FIRST_DAYS)
    seen: set[str] = set()
    ideas: list[dict[str, object]] = []
    for post in strategy.calendar:
        if post.date >= horizon or len(ideas) == IDEAS:
            break
        if post.topic in seen:
            continue
        seen.add(post.topic)
        ideas.append({"date": post.date, "platform": post.platform, "format": post.format, "topic": post.topic,
                      "pillar": post.pillar})
    return ideas
