"""The archetype scoreboard (`make eval`, or `python -m tests.eval.scoreboard`).

Plans every brief in tests/eval/briefs offline through the library API (one graph, a fixed clock, output
in a temporary folder), checks each plan against its strategist's expectations (tests/eval/checks.py)
and prints one row per brief: category (g = given, d = detected), recommended channels (primary first),
paid share, whether a KPI measures the primary goal, the target verdict, and pass or the failed keys.
The failures' messages follow the table, and the last line is `N passed, M failed`.
Exit 0 when every brief passes, 1 otherwise. A brief that cannot be loaded or planned is a failed row.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.api import plan_brief
from agent.graph.build import build_graph
from agent.graph.state import RunContext
from agent.model.plan import Strategy
from agent.model.plan_io import read_plan
from agent.model.settings import Settings
from tests.eval.checks import Case, Failure, case_files, case_problems, failures, load_case, recommended

FIXED_NOW = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)
"""The clock every eval plan runs at (the same as the test suite's)."""
HEADERS = ("brief", "category", "channels", "paid %", "goal KPI", "target", "result")


@dataclass
class Row:
    """One brief's outcome."""

    name: str
    plan: Any = None
    failed: list[Failure] = field(default_factory=list)


def run_context(out_dir: Path) -> RunContext:
    """An offline run at the fixed clock, writing under `out_dir`."""
    settings = Settings.from_env(offline=True, output_dir=out_dir)
    return RunContext(settings=settings, now=FIXED_NOW, out_dir=out_dir)


def plan_case(case: Case, context: RunContext, graph: object | None = None) -> Strategy:
    """Plan a case's brief end to end and read back its plan.json."""
    return read_plan(plan_brief(case.brief, context, graph=graph))


def score_one(path: Path, graph: object, out_dir: Path) -> Row:
    """Load, plan and check one case file; a bad brief or a failing run becomes a failed row."""
    row = Row(name=path.stem)
    try:
        case = load_case(path)
    except Exception as exc:  # reported on the board, never an abort
        row.failed = [Failure("brief", f"{exc.__class__.__name__}: {exc}")]
        return row
    try:
        row.plan = plan_case(case, run_context(out_dir), graph)
    except Exception as exc:  # one broken engine must not stop the board
        row.failed = [Failure("plan", f"{exc.__class__.__name__}: {exc}")]
        return row
    problems = [Failure("case", "; ".join(case_problems(case)))] if case_problems(case) else []
    row.failed = problems + failures(case, row.plan)
    return row


def cells(row: Row) -> tuple[str, ...]:
    """The table cells of one row."""
    plan = row.plan
    result = "pass" if not row.failed else "FAIL: " + ", ".join(f.key for f in row.failed)
    if plan is None:
        return (row.name, "-", "-", "-", "-", "-", result)
    choice = getattr(plan, "category", None)
    category = f"{choice.value.value} ({choice.source[0]})" if choice else "-"
    goal = plan.brief.goals.primary
    has_goal_kpi = any(k.goal == goal for k in plan.kpis)
    verdict = getattr(plan.target, "reachable", None) if plan.target else None
    target = {True: "reachable", False: "unreachable", None: "n/a"}[verdict]
    share = f"{plan.budget.paid_share * 100:.0f}%"
    channels = ", ".join(recommended(plan)) or "-"
    return (row.name, category, channels, share, "yes" if has_goal_kpi else "no", target, result)


def render(rows: list[Row]) -> str:
    """The scoreboard: table, failure messages, and the closing count line."""
    table = [HEADERS, *(cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    details = [f"  {r.name}: {f.key}: {f.message}" for r in rows for f in r.failed]
    if details:
        lines += ["", "Failures:", *details]
    passed = sum(not r.failed for r in rows)
    lines += ["", f"{passed} passed, {len(rows) - passed} failed"]
    return "\n".join(lines)


def main() -> int:
    """Plan and score every archetype brief; 0 when all pass."""
    graph = build_graph()
    with tempfile.TemporaryDirectory(prefix="socialplan-eval-") as tmp:
        rows = [score_one(path, graph, Path(tmp) / "out") for path in case_files()]
    print(render(rows))
    return 0 if rows and all(not r.failed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
