"""What every CLI command shares: common options and the one-line error boundary (agent.api.errors decides
the line and whether it is bad input)."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated

import typer

from agent.api.errors import InputError, error_lines, is_bad_input
from agent.cli import console
from agent.model.brand import LoadedBrand, load_brand

OutOption = Annotated[Path | None, typer.Option("--out", help="Output root (default: outputs/).")]
OfflineOption = Annotated[bool, typer.Option("--offline", help="Never call an LLM.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]
AnalyticsOption = Annotated[
    list[Path] | None,
    typer.Option("--analytics", help="A post-level export (Meta, LinkedIn, X or generic CSV); repeatable."),
]
BrandOption = Annotated[
    Path | None,
    typer.Option("--brand", help="Agency branding for HTML, DOCX and PDF (YAML: agency, logo, colour, credits)."),
]
AnalyticsZoneOption = Annotated[
    str | None, typer.Option("--analytics-zone", help="Time zone of Meta exports' Publish time (IANA name).")
]


def check_exports(paths: list[Path] | None, audience_zone: str, export_zone: str | None) -> tuple[Path, ...]:
    """Read the exports once up front so a bad file fails before anything runs (exit 2)."""
    from agent.analytics.load import load_exports

    files = tuple(paths or ())
    if files:
        load_exports(list(files), audience_zone, export_zone=export_zone)
    return files


def load_brand_option(path: Path | None) -> LoadedBrand | None:
    """The --brand file, read and checked before anything runs (a bad file is exit 2)."""
    return load_brand(path) if path is not None else None


def fail(exc: BaseException, debug: bool) -> typer.Exit:
    """Report an exception as one line and return the exit to raise."""
    if debug:
        traceback.print_exception(exc)
    for line in error_lines(exc):  # the problem, then every other problem of a brief, one line each
        console.error(line)
    return typer.Exit(2 if is_bad_input(exc) else 1)


__all__ = ["InputError"]
