"""replan: each kind of change moves the plan and changes.md names it; old versions stay byte-identical."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent.api import history, plan_brief, replan
from agent.edits.paths import parse_set
from agent.edits.words import parse_words
from agent.graph.state import RunContext
from agent.model.plan_io import read_plan
from tests.conftest import EXAMPLES, example, socialplan


@pytest.fixture
def v1(context: RunContext, graph: object) -> Path:
    return plan_brief(example("acme-analytics"), context, graph)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def areas(folder: Path) -> dict[str, list[str]]:
    changes = read_plan(folder).changes
    assert changes is not None
    out: dict[str, list[str]] = {}
    for item in changes.items:
        out.setdefault(item.area, []).append(item.subject)
    return out


def test_budget_change_moves_split_and_lines(v1: Path, context: RunContext) -> None:
    before = snapshot(v1)
    v2 = replan(v1, [parse_set("resources.monthly_budget=12000")], context)
    assert v2.name == "v2" and snapshot(v1) == before
    old, new = read_plan(v1), read_plan(v2)
    assert new.budget.monthly_total == 12000 and new.changes and new.changes.previous_version == 1
    moved = areas(v2)
    assert moved["brief"] == ["resources.monthly_budget"] and "budget_line" in moved
    assert sum(line.monthly_amount for line in new.budget.lines) == pytest.approx(12000)
    text = (v2 / "changes.md").read_text()
    assert "| resources.monthly_budget | 4000 | 12000 |" in text
    assert "## Budget lines (monthly, USD)" in text
    assert old.budget.monthly_total == 4000


def test_goal_change_retargets_kpis(v1: Path, context: RunContext) -> None:
    v2 = replan(v1, [parse_set("goals.primary=awareness")], context)
    moved = areas(v2)
    assert "Demo requests from social per month" in moved["kpi"]  # the leads KPI, in B2B SaaS words
    assert "## KPIs added, removed or retargeted" in (v2 / "changes.md").read_text()
    assert all(line.item.endswith("awareness campaigns") for line in read_plan(v2).budget.lines if line.kind == "paid")


def test_dropping_a_platform_moves_its_role_and_schedule(v1: Path, context: RunContext) -> None:
    v2 = replan(v1, parse_words("drop facebook"), context)
    new = read_plan(v2)
    assert next(c for c in new.channels if c.platform.value == "facebook").role == "not_recommended"
    moved = areas(v2)
    assert "facebook" in moved["channel"] and "Facebook" in moved["schedule"]
    assert "Facebook ads: leads campaigns" in moved["budget_line"]


def test_no_change_lists_nothing_but_the_summary(v1: Path, context: RunContext) -> None:
    v2 = replan(v1, [parse_set("goals.primary=leads")], context)
    changes = read_plan(v2).changes
    assert changes is not None and changes.items == [] and changes.summary == "no change"


def test_client_folder_means_latest_and_history(v1: Path, context: RunContext) -> None:
    replan(v1, [parse_set("resources.monthly_budget=5000")], context)
    v3 = replan(v1.parent, [parse_set("resources.team_hours_per_week=20")], context)
    assert v3.name == "v3" and read_plan(v3).changes.previous_version == 2  # type: ignore[union-attr]
    rows = history(v1.parent)
    assert [r.version for r in rows] == [1, 2, 3] and rows[0].change == "first plan"
    assert rows[1].budget == "5,000 USD" and "monthly_budget" in rows[1].change


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli", *args], capture_output=True, text=True, input=stdin,
                          env=dict(os.environ), timeout=180)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme-analytics v1 as `socialplan plan` writes it, once for the module; tests replan copies of it."""
    out = tmp_path_factory.mktemp("planned")
    first = run("plan", str(EXAMPLES / "acme-analytics.yaml"), "--offline", "--out", str(out))
    assert first.returncode == 0, first.stderr
    return Path(first.stdout.splitlines()[-1]).parent


@pytest.mark.parametrize(("setting", "message", "real"), [
    ("goals.mood=happy", "error: --set: goals.mood: unknown key", True),
    ("resources.monthly_budget=-3", "error: --set: resources.monthly_budget: input should be greater than or equal",
     False),
    ("goals.primary=fame", "error: --set: goals.primary: unknown value 'fame'", False),
    ("no-equals-sign", "error: --set: no-equals-sign: expected PATH=VALUE", False),
    ("presence[5].followers=3", "error: --set: presence[5].followers: no such place in the brief", False),
])
def test_invalid_set_exits_2_and_writes_nothing(
    tmp_path: Path, planned: Path, setting: str, message: str, real: bool
) -> None:
    """The first case runs `socialplan replan` as a real process, the others in this process (same entry point)."""
    client = Path(shutil.copytree(planned, tmp_path / planned.name))
    result = (run if real else socialplan)("replan", str(client), "--set", setting, "--offline")
    assert result.returncode == 2 and result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in client.iterdir()) == ["v1"]


def test_replan_cli_reads_the_change_from_stdin(tmp_path: Path) -> None:
    first = socialplan("plan", str(EXAMPLES / "rosas-taqueria.yaml"), "--offline", "--out", str(tmp_path))  # setup
    client = Path(first.stdout.splitlines()[-1]).parent
    result = run("replan", str(client), "--offline", stdin="budget is 1500\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == str(client / "v2")
    assert json.loads((client / "v2" / "plan.json").read_text())["budget"]["monthly_total"] == 1500
    empty = run("replan", str(client), "--offline", stdin="")
    assert empty.returncode == 2 and empty.stderr.startswith("error: nothing to change")
    missing = socialplan("replan", str(tmp_path / "nobody"), "--set", "goals.primary=sales", "--offline")
    assert missing.returncode == 2 and missing.stderr == f"error: {tmp_path / 'nobody'}: not found\n"
