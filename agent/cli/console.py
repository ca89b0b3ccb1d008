"""All terminal output in one place: errors to stderr, results to stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from agent.model.plan import Strategy

if TYPE_CHECKING:
    from agent.api import VersionRow
    from agent.api.batch import BatchResult
    from agent.interview.bank import Prompt

if TYPE_CHECKING:
    from agent.llm.doctor import DoctorReport

WIDE = 10_000
"""Table width when stdout is not a terminal: scripts get whole paths, never '…'."""
out = Console(highlight=False, soft_wrap=True, markup=False, width=None if sys.stdout.isatty() else WIDE)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


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


def replan_summary(strategy: Strategy, folder: Path) -> None:
    """What changed, then the new folder as the last stdout line."""
    if strategy.changes is not None:
        out.print(f"changes since v{strategy.changes.previous_version}: {strategy.changes.summary}")
    plan_summary(strategy, folder)


def json_out(data: object) -> None:
    """One JSON document on stdout."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def history_table(client: str, rows: list[VersionRow]) -> None:
    """A client's versions, oldest first, with the version each replan started from."""
    table = Table(title=f"{client}: {len(rows)} version{'s' if len(rows) != 1 else ''}")
    for column in ("version", "from", "created", "goal", "budget", "channels", "change"):
        table.add_column(column)
    for row in rows:
        change = f"{row.change} (another business)" if row.other_client else row.change
        parent = f"v{row.parent}" if row.parent else "—"
        table.add_row(f"v{row.version}", parent, row.created, row.goal, row.budget, row.channels, change)
    out.print(table)


def batch_table(results: list[BatchResult]) -> None:
    """The batch summary: one row per brief; errors also go to stderr, one line each."""
    table = Table(title=f"{sum(r.status == 'ok' for r in results)} of {len(results)} briefs planned")
    for column in ("client", "channels", "split (organic / paid)", "status", "folder"):
        table.add_column(column)
    for r in results:
        table.add_row(r.client or r.source, r.channels, r.split, r.status, r.folder)
    out.print(table)
    for r in results:
        if r.error:
            error(r.error)


def prompt_line(question: str) -> str:
    """Ask one question on the terminal (stdin); returns the answer without the newline."""
    return input(f"{question} ")


class BatchProgress:
    """A progress bar on stderr while a batch runs (plain lines when stderr is not a terminal)."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("planning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=err, transient=True, disable=not err.is_terminal)
        self.task = self.progress.add_task("briefs", total=total)

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def done(self, result: object) -> None:
        """One brief finished."""
        self.progress.advance(self.task)


def question_line(prompt: Prompt) -> str:
    """A prompt as one line for scripts: '? text (1 a, 2 b) [default]'."""
    text = f"? {prompt.text}"
    choices = prompt.choices
    if choices:
        text += " (" + ", ".join(f"{i} {c}" for i, c in enumerate(choices, 1)) + ")"
    if prompt.default:
        text += f" [{prompt.default}]"
    return text


def show_prompt(prompt: Prompt, terminal: bool) -> None:
    """The error of the last answer, the brief summary at the confirm step, then the question."""
    if prompt.error:
        print(f"! {prompt.error}", flush=True)
    if prompt.summary:
        for line in prompt.summary.splitlines():
            print(f"  {line}", flush=True)
    if terminal and prompt.kind == "question":
        out.print(f"question {prompt.number} of ~{prompt.total}  (help, back, quit)", style="dim")
    print(question_line(prompt), flush=True)


def show_help(text: str) -> None:
    """The help of the current question."""
    print(f"  {text}", flush=True)


def note(message: str) -> None:
    """One plain line on stdout."""
    print(message, flush=True)


def paused(session: str, out_flag: str) -> None:
    """How to continue a paused interview."""
    print(f"resume with: socialplan interview --resume {session}{out_flag}", flush=True)


def sessions_table(rows: list) -> None:
    """Stored interview sessions."""
    table = Table(title=f"{len(rows)} session{'s' if len(rows) != 1 else ''}")
    for column in ("id", "client", "progress", "last change"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def doctor_report(report: DoctorReport) -> None:
    """The doctor's verdict: the configuration (never the key), one line per check, then the fixes."""
    print("LLM configuration")
    print(f"  mode:     {report.mode}")
    print(f"  endpoint: {report.endpoint or '(none)'}")
    print(f"  model:    {report.model}")
    print(f"  API key:  {'set (not shown)' if report.key_set else 'not set'}")
    print(f"  timeout:  {report.timeout:g}s, {report.retries} retries")
    print("Checks")
    marks = {True: "ok  ", False: "FAIL", None: "info"}
    for check in report.checks:
        print(f"  {marks[check.ok]} {check.name}: {check.detail}")
        if check.fix:
            print(f"       fix: {check.fix}")
    failed = [c for c in report.checks if c.ok is False]
    if report.mode == "offline":
        print("Result: offline; plans are written without an LLM.")
    elif failed:
        print(f"Result: {len(failed)} problem(s); until fixed, plans fall back to offline text.")
    else:
        print(f"Result: the LLM works; plans will be written by {report.model} ({report.usage.calls} call(s) made).")
