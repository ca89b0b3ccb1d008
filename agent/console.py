"""All terminal output in one place: errors to stderr, results to stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from agent.plan import Strategy

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """One line on stderr: `error: <message>`."""
    first = " ".join(str(message).split())
    print(f"error: {first}", file=sys.stderr)


def plan_summary(strategy: Strategy, folder: Path) -> None:
    """A short summary of a new plan; the folder path is the last stdout line."""
    table = Table(title=f"{strategy.brief.business.name} — plan v{strategy.version}", show_lines=False)
    for column in ("channel", "role", "score", "posts/week", "paid/month"):
        table.add_column(column)
    posts = {s.platform: s.posts_per_week for s in strategy.schedule}
    paid = {line.platform: line.monthly_amount for line in strategy.budget.lines if line.kind == "paid"}
    for channel in strategy.channels:
        if channel.role == "not_recommended":
            continue
        table.add_row(channel.platform.value, channel.role, f"{channel.score:.2f}",
                      str(posts.get(channel.platform, "")), f"{paid.get(channel.platform, 0):,.0f}")
    out.print(table)
    budget = strategy.budget
    out.print(f"split: {budget.organic_share:.0%} organic / {budget.paid_share:.0%} paid of "
              f"{budget.monthly_total:,.0f} {budget.currency} a month; {len(strategy.calendar)} posts "
              f"from {strategy.start_date} to {strategy.end_date}")
    for warning in strategy.warnings + strategy.generation.warnings:
        err.print(f"warning: {warning}")
    print(str(folder), flush=True)


def schema(text: str) -> None:
    """A JSON schema, as is."""
    print(text)
