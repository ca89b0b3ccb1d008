"""The `socialplan` command: a thin layer over agent.api; terminal output lives in agent.cli.console.

Exit codes: 0 ok, 2 bad input, 3 interview paused, 1 anything else (`--debug` shows the traceback).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.exceptions import TyperException

from agent.cli import console
from agent.cli.common import (
    AnalyticsOption,
    AnalyticsZoneOption,
    BrandOption,
    DebugOption,
    InputError,
    JsonOption,
    OfflineOption,
    OutOption,
    check_exports,
    fail,
    load_brand_option,
)
from agent.cli.doctor import doctor_command
from agent.cli.entry import INTERRUPTED
from agent.cli.interview import interview_command, sessions_command
from agent.cli.kb import kb_app
from agent.cli.serve import serve_command
from agent.edits.paths import Edit, parse_set
from agent.edits.words import parse_words
from agent.interview.brief_file import load_friendly_brief
from agent.model.brief import Brief
from agent.model.brief_io import expand
from agent.model.plan import Strategy
from agent.model.plan_io import PlanNotFound, load_version, read_plan, versions
from agent.model.settings import Settings
from agent.planning.errors import PlanningError

# The graph, retrieval and the web stack (langgraph, chromadb, LangChain: about 1.5 s to import) load inside
# the commands that run them, so `--help`, `--version`, `history` and bad input answer at once.

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Plan a social-media strategy.")
schema_app = typer.Typer(no_args_is_help=True, help="Print JSON Schemas of the contracts.")
app.add_typer(schema_app, name="schema")

@app.command("plan")
def plan_command(
    brief_file: Annotated[Path, typer.Argument(help="Brief file (YAML or JSON).")],
    out: OutOption = None, offline: OfflineOption = False, analytics: AnalyticsOption = None,
    analytics_zone: AnalyticsZoneOption = None, brand: BrandOption = None, debug: DebugOption = False,
) -> None:
    """Plan from a brief file; prints the new version folder last."""
    try:
        brief = load_friendly_brief(brief_file)
        exports = check_exports(analytics, brief.audience.timezone, analytics_zone)
        settings = Settings.from_env(offline=offline or None, output_dir=out)
        from agent.api import plan_brief
        from agent.graph.state import RunContext

        context = RunContext(settings=settings, out_dir=settings.output_dir, analytics=exports,
                             analytics_zone=analytics_zone, brand=load_brand_option(brand))
        try:
            folder = plan_brief(brief, context)
        except PlanningError as exc:
            raise PlanningError(f"{brief_file}: {exc}") from None
        console.plan_summary(read_plan(folder), folder)
    except Exception as exc:  # noqa: BLE001 - the CLI boundary turns every error into one line
        raise fail(exc, debug) from None


@app.command("replan")
def replan_command(
    plan: Annotated[Path, typer.Argument(help="A version folder, its plan.json, or a client folder (latest).")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="PATH=VALUE (also PATH+=VALUE, PATH-=VALUE).")] = None,
    out: OutOption = None, offline: OfflineOption = False, analytics: AnalyticsOption = None,
    analytics_zone: AnalyticsZoneOption = None, brand: BrandOption = None, debug: DebugOption = False,
) -> None:
    """Write the next version of a plan after a change, with changes.md."""
    try:
        settings = Settings.from_env(offline=offline or None)
        loaded_brand = load_brand_option(brand)
        load_version(plan)  # a mistyped path is reported before anything is asked
        edits = [parse_set(text) for text in set_ or []] or _ask_changes(plan, settings)
        from agent.api import replan
        from agent.graph.state import RunContext

        context = RunContext(settings=settings, analytics=tuple(analytics or ()), analytics_zone=analytics_zone,
                             brand=loaded_brand)
        try:
            folder = replan(plan, edits, context, out_dir=out)
        except PlanningError as exc:
            raise PlanningError(f"--set: {exc}") from None
        console.replan_summary(read_plan(folder), folder)
    except Exception as exc:  # noqa: BLE001 - the CLI boundary turns every error into one line
        raise fail(exc, debug) from None


def _ask_changes(plan: Path, settings: Settings) -> list[Edit]:
    """No --set: ask 'what changed?' (terminal) or read one line from stdin (scripts).

    With an LLM configured the words are read by the model against the plan's brief (agent.edits.llm), with
    the offline parser as the fallback; offline, by the offline parser.
    """
    if sys.stdin.isatty():
        text = console.prompt_line("What changed? (e.g. 'budget is 5000; goal is sales; drop tiktok')")
    else:
        text = sys.stdin.readline()
    if not text.strip():
        raise InputError("nothing to change: give --set PATH=VALUE or describe the change")
    if not settings.llm_enabled:
        return parse_words(text)
    from agent.edits.llm import llm_edits  # loads the LLM layer only when a model reads the change

    return llm_edits(text, load_version(plan)[1].brief, settings)


@app.command("history")
def history_command(
    client: Annotated[Path, typer.Argument(help="A client folder, e.g. outputs/acme-analytics.")],
    as_json: JsonOption = False, debug: DebugOption = False,
) -> None:
    """List a client's plan versions with date, goal, budget, what changed and the version it started from."""
    try:
        if not versions(client):
            raise PlanNotFound(f"{client}: no plan versions here")
        from agent.api import history

        rows = history(client)
        if as_json:
            console.json_out({"client": client.name, "versions": [row.model_dump() for row in rows]})
        else:
            console.history_table(client.name, rows)
    except Exception as exc:  # noqa: BLE001
        raise fail(exc, debug) from None


@app.command("batch")
def batch_command(
    briefs: Annotated[list[Path], typer.Argument(help="Brief files or folders of briefs.")],
    out: OutOption = None, workers: Annotated[int, typer.Option("--workers", min=1, max=32)] = 4,
    offline: OfflineOption = False, brand: BrandOption = None, as_json: JsonOption = False,
    debug: DebugOption = False,
) -> None:
    """Plan many briefs in one process; a bad brief is reported and skipped (exit 2 at the end)."""
    try:
        loaded_brand = load_brand_option(brand)
        missing = [p for p in briefs if not p.exists()]
        if missing and len(missing) == len(briefs):
            raise InputError(f"{missing[0]}: file: not found")
        files = expand(briefs)
        if not files:
            raise InputError(f"no brief files in {', '.join(map(str, briefs))}")
        from agent.api.batch import run_batch
        from agent.graph.state import RunContext

        settings = Settings.from_env(offline=offline or None, output_dir=out)
        context = RunContext(settings=settings, out_dir=settings.output_dir, brand=loaded_brand)
        with console.BatchProgress(len(files)) as progress:
            results = run_batch(files, context, workers=workers, on_done=progress.done, processes=True)
        if as_json:
            console.json_out([r.model_dump() for r in results])
        else:
            console.batch_table(results)
    except Exception as exc:  # noqa: BLE001
        raise fail(exc, debug) from None
    if any(r.status == "bad input" for r in results):
        raise typer.Exit(2)
    if any(r.status != "ok" for r in results):
        raise typer.Exit(1)


@schema_app.command("brief")
def schema_brief() -> None:
    """JSON Schema of the brief file."""
    console.schema(json.dumps(Brief.model_json_schema(), indent=2))


@schema_app.command("plan")
def schema_plan() -> None:
    """JSON Schema of plan.json."""
    console.schema(json.dumps(Strategy.model_json_schema(), indent=2))


app.command("doctor")(doctor_command)
app.command("interview")(interview_command)
app.command("sessions")(sessions_command)
app.command("serve")(serve_command)
app.add_typer(kb_app, name="kb", help="Knowledge base: ingest, search, stats.")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: usage errors become one `error:` line with exit 2."""
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    if not args:  # bare `socialplan`: the help, and no error
        args = ["--help"]
    try:
        code = command.main(args=args, prog_name="socialplan", standalone_mode=False)
    except typer.Abort:  # Ctrl-C or end of input inside a prompt
        console.error("interrupted")
        sys.exit(INTERRUPTED)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except TyperException as exc:  # usage errors: bad option, missing argument, bad value
        console.error(exc.format_message() if hasattr(exc, "format_message") else str(exc))
        sys.exit(getattr(exc, "exit_code", 2))
    if code == INTERRUPTED:  # Typer returns Ctrl-C inside a command as a silent 130; no command exits 130 itself
        console.error("interrupted")
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
