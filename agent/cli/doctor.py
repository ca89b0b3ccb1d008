"""The `socialplan doctor` command: show the LLM configuration, make one tiny call, say what to fix.

Mounted by agent/cli.py with `app.command("doctor")(doctor_command)`. Exit 0 when the LLM works (or the
run is offline by configuration), 1 when a check failed, 2 when the settings themselves are invalid.
"""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from agent.cli import console
from agent.model.settings import Settings


def doctor_command(
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds to wait for the endpoint (default: 60).")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model to check (default: SOCIALPLAN_MODEL).")] = None,
) -> None:
    """Check the LLM endpoint: configuration, reachability, model, structured-output support."""
    from agent.llm.doctor import run_doctor  # loads openai only for this command

    try:
        settings = Settings.from_env(llm_timeout=timeout, model=model)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        console.error(f"settings: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
        raise typer.Exit(2) from None
    report = run_doctor(settings)
    console.doctor_report(report)
    if not report.ok:
        raise typer.Exit(1)
