"""What every CLI command shares: common options and the one-line error boundary."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated

import typer

from agent.analytics.model import AnalyticsError
from agent.cli import console
from agent.model.brand import LoadedBrand, load_brand
from agent.model.brief_io import BriefError
from agent.model.plan_io import PlanNotFound
from agent.model.values import AnswerError
from agent.planning.errors import PlanningError

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


def plain_reason(exc: BaseException) -> str:
    """What went wrong outside the input, in words: files that cannot be written, a store that is locked."""
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot write {exc.filename}: {(exc.strerror or str(exc)).lower()} (nothing was written)"
    if exc.__class__.__name__ == "OperationalError":  # sqlite3: the session store
        return f"the session store cannot be used: {exc} (is another interview writing to it, or is --out read-only?)"
    return f"{exc.__class__.__name__}: {exc}"


class InputError(Exception):
    """Bad input: exit 2 with one line."""


def fail(exc: BaseException, debug: bool) -> typer.Exit:
    """Report an exception as one line and return the exit to raise."""
    if debug:
        traceback.print_exception(exc)
    bad_input = isinstance(exc, BriefError | PlanningError | InputError | PlanNotFound | AnswerError | AnalyticsError)
    console.error(str(exc) if bad_input else plain_reason(exc))
    for line in getattr(exc, "others", []):  # every other problem of a brief, one line each
        console.error(line)
    return typer.Exit(2 if bad_input else 1)
