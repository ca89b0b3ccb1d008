"""The CLI as users run it: exact output through CliRunner, exit codes through subprocesses.

`socialplan()` (tests/conftest.py) runs the real entry point (main, exit codes included) in this process under
CliRunner's isolation; every exit code (0, 1, 2 for a bad brief and for a usage error) keeps a real process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from tests.conftest import EXAMPLES, socialplan

ACME = EXAMPLES / "acme-analytics.yaml"
FILES = {"strategy.md", "strategy.html", "strategy.docx", "strategy.pdf", "plan.json", "calendar.csv", "calendar.ics"}
"""A version folder's documents by default; charts (chart-*.svg) and Sprout files (sprout-*.csv) come with them."""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_plan_writes_a_version_folder_and_prints_it_last(tmp_path: Path) -> None:
    result = run("plan", str(ACME), "--offline", "--out", str(tmp_path), env={"SOCIALPLAN_DOCUMENTS": "docx,pdf"})
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip().splitlines()[-1])
    assert folder == tmp_path / "acme-analytics" / "v1"
    names = {p.name for p in folder.iterdir()}
    extra = {n for n in names - FILES if n.startswith(("chart-", "sprout-"))}
    assert names == FILES | extra and len([n for n in extra if n.startswith("chart-")]) >= 3
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["version"] == 1 and plan["generation"]["mode"] == "offline"
    assert result.stderr == ""


def test_second_plan_is_v2_and_v1_is_untouched(tmp_path: Path) -> None:
    first = Path(socialplan("plan", str(ACME), "--offline", "--out", str(tmp_path)).stdout.splitlines()[-1])
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    second = Path(socialplan("plan", str(ACME), "--offline", "--out", str(tmp_path)).stdout.splitlines()[-1])
    assert second.name == "v2"
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert json.loads((second / "plan.json").read_text())["version"] == 2


@pytest.mark.parametrize(("content", "expected", "real"), [
    ("business: [\n", "line 2: malformed YAML", True),
    ("", "file: is empty", False),
    (ACME.read_text().replace("America/Chicago", "Mars/Base"), "audience.timezone: 'Mars/Base' is not", False),
    (ACME.read_text().replace("team_hours_per_week: 12", "team_hours_per_week: 0.1"),
     "resources.team_hours_per_week: 0.1 hours cannot sustain even one post a week", False),
])
def test_bad_brief_exits_2_with_one_line_and_no_output(tmp_path: Path, content: str, expected: str, real: bool) -> None:
    """The first case is a real process, the others run the same entry point in this process."""
    brief = tmp_path / "bad.yaml"
    brief.write_text(content)
    out = tmp_path / "out"
    result = (run if real else socialplan)("plan", str(brief), "--offline", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {brief}: {expected}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*.json"))


def test_missing_brief_and_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = socialplan("plan", str(tmp_path / "nope.yaml"), "--offline")
    assert (missing.returncode, missing.stderr) == (2, f"error: {tmp_path / 'nope.yaml'}: file: not found\n")
    usage = run("plan")  # a real process: a usage error's exit code
    assert usage.returncode == 2 and usage.stderr.startswith("error: Missing argument")
    unknown = socialplan("plan", str(ACME), "--frobnicate")
    assert unknown.returncode == 2 and unknown.stderr == "error: No such option: --frobnicate\n"


def test_internal_error_exits_1_and_debug_shows_traceback(tmp_path: Path) -> None:
    env = {"SOCIALPLAN_KNOWLEDGE_DIR": str(tmp_path)}
    result = run("plan", str(ACME), "--offline", "--out", str(tmp_path / "o"), env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: TableError: ") and result.stderr.count("\n") == 1
    debug = socialplan("plan", str(ACME), "--offline", "--out", str(tmp_path / "o"), "--debug", env=env)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_schema_commands() -> None:
    runner = CliRunner()
    brief = json.loads(runner.invoke(app, ["schema", "brief"]).output)
    assert set(brief["properties"]) >= {"business", "audience", "goals", "resources", "presence"}
    plan = json.loads(runner.invoke(app, ["schema", "plan"]).output)
    assert set(plan["required"]) >= {"version", "channels", "schedule", "budget", "kpis", "calendar", "practices"}


def test_plan_summary_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", str(ACME), "--offline", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == str(tmp_path / "acme-analytics" / "v1")
    assert lines[-2] == "split: 45% organic / 55% paid of 4,000 USD a month; 91 posts from 2027-01-04 to 2027-04-03"
    assert any(line.split("│")[1:3] == [" linkedin  ", " primary   "] for line in lines if "│" in line) or \
        any("linkedin" in line and "primary" in line for line in lines)


def test_plan_with_an_unknown_export_exits_2(tmp_path: Path) -> None:
    export = tmp_path / "orders.csv"
    export.write_text("order,amount\n1,2\n")
    result = socialplan("plan", str(ACME), "--offline", "--out", str(tmp_path / "o"), "--analytics", str(export))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {export}: unknown export format (header: 'order', 'amount'); expected")
    assert result.stderr.count("\n") == 1 and not (tmp_path / "o").exists()


def test_plan_with_analytics_writes_heatmaps(tmp_path: Path) -> None:
    export = EXAMPLES.parent / "tests" / "data" / "analytics" / "x-tweet-activity.csv"
    result = socialplan("plan", str(ACME), "--offline", "--out", str(tmp_path), "--analytics", str(export))
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.splitlines()[-1])
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["analytics"]["files"][0]["format"] == "x_legacy"


@pytest.mark.parametrize("args", [["plan", "{bad}", "--offline"], ["batch", "{missing}", "--offline"],
                                  ["kb", "search", "hashtags", "--platform", "zzz"]],
                         ids=["bad-brief", "batch-missing", "kb-bad-platform"])
def test_help_and_bad_input_load_no_graph_retrieval_or_pdf_stack(tmp_path: Path, args: list[str]) -> None:
    # `socialplan --help`, history and bad input answer without LangGraph, Chroma or WeasyPrint (about 1.5 s
    # of imports): the commands load them once the input is known to be good.
    heavy = ("langgraph", "chromadb", "langchain_core", "weasyprint", "matplotlib")
    bad = tmp_path / "bad.yaml"
    bad.write_text("business: [\n")
    argv = [a.format(bad=bad, missing=tmp_path / "nope.yaml") for a in args]
    code = ("import sys\nfrom agent.cli.app import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit as exc:\n    code = exc.code\n"
            f"print(code, sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split("\n")[-2] == "2 []", (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1, result.stderr
