"""The `socialplan` command: a thin layer over agent.api; terminal output lives in agent.console.

Exit codes: 0 ok, 2 bad input, 3 interview paused, 1 anything else (`--debug` shows the traceback).
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from typer.exceptions import TyperException

from agent import console
from agent.api import plan_brief, read_plan
from agent.brief import Brief
from agent.brief_io import BriefError, load_brief
from agent.plan import Strategy
from agent.planning.frequency import PlanningError
from agent.settings import Settings
from agent.state import RunContext

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Plan a social-media strategy.")
schema_app = typer.Typer(no_args_is_help=True, help="Print JSON Schemas of the contracts.")
app.add_typer(schema_app, name="schema")

OutOption = Annotated[Path | None, typer.Option("--out", help="Output root (default: outputs/).")]
OfflineOption = Annotated[bool, typer.Option("--offline", help="Never call an LLM.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]


class InputError(Exception):
    """Bad input: exit 2 with one line."""


def fail(exc: BaseException, debug: bool) -> typer.Exit:
    """Report an exception as one line and return the exit to raise."""
    if debug:
        traceback.print_exception(exc)
    bad_input = isinstance(exc, BriefError | PlanningError | InputError)
    console.error(str(exc) if bad_input else f"{exc.__class__.__name__}: {exc}")
    return typer.Exit(2 if bad_input else 1)


@app.command("plan")
def plan_command(
    brief_file: Annotated[Path, typer.Argument(help="Brief file (YAML or JSON).")],
    out: OutOption = None, offline: OfflineOption = False, debug: DebugOption = False,
) -> None:
    """Plan from a brief file; prints the new version folder last."""
    try:
        brief = load_brief(brief_file)
        settings = Settings.from_env(offline=offline or None, output_dir=out)
        try:
            folder = plan_brief(brief, RunContext(settings=settings, out_dir=settings.output_dir))
        except PlanningError as exc:
            raise PlanningError(f"{brief_file}: {exc}") from None
        console.plan_summary(read_plan(folder), folder)
    except Exception as exc:  # noqa: BLE001 - the CLI boundary turns every error into one line
        raise fail(exc, debug) from None


@schema_app.command("brief")
def schema_brief() -> None:
    """JSON Schema of the brief file."""
    console.schema(json.dumps(Brief.model_json_schema(), indent=2))


@schema_app.command("plan")
def schema_plan() -> None:
    """JSON Schema of plan.json."""
    console.schema(json.dumps(Strategy.model_json_schema(), indent=2))


def _mount_optional() -> None:
    """Sub-commands that live in their own modules."""
    try:
        from agent.kb_cli import kb_app
    except ImportError:  # pragma: no cover - the knowledge store is optional at import
        return
    app.add_typer(kb_app, name="kb", help="Knowledge base: ingest, search, stats.")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: usage errors become one `error:` line with exit 2."""
    _mount_optional()
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="socialplan", standalone_mode=False)
    except typer.Abort:
        console.error("aborted")
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except TyperException as exc:  # usage errors: bad option, missing argument, bad value
        console.error(exc.format_message() if hasattr(exc, "format_message") else str(exc))
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
