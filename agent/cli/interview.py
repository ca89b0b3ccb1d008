"""`socialplan interview` and `socialplan sessions`: the interactive planning session.

Checkpoints live in PostgreSQL when SOCIALPLAN_DATABASE_URL is set, otherwise in <output root>/sessions.sqlite
(so the same --out finds a paused interview); see agent.graph.checkpoint.open_store.
Exit 3 when the interview pauses (quit, Ctrl-C, end of input) with the command that resumes it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.cli import console
from agent.cli.askers import AnswerRejected, LineAsker, TerminalAsker
from agent.cli.common import (
    AnalyticsOption,
    AnalyticsZoneOption,
    BrandOption,
    DebugOption,
    InputError,
    JsonOption,
    OfflineOption,
    OutOption,
    fail,
    load_brand_option,
)
from agent.interview.prefill import prefill
from agent.model.plan_io import read_plan
from agent.model.settings import Settings


def interview_command(
    brief: Annotated[Path | None, typer.Option("--brief", help="A partial brief that pre-fills answers.")] = None,
    resume: Annotated[str | None, typer.Option("--resume", help="Continue a paused session by its id.")] = None,
    out: OutOption = None, offline: OfflineOption = False, analytics: AnalyticsOption = None,
    analytics_zone: AnalyticsZoneOption = None, brand: BrandOption = None, debug: DebugOption = False,
) -> None:
    """Interview (a partial brief pre-fills it), confirm the brief, then plan."""
    try:
        loaded_brand = load_brand_option(brand)
        settings = Settings.from_env(offline=offline or None, output_dir=out)
        first = None
        if not resume:
            draft, note = prefill(brief) if brief else ({}, "")
            first = {"brief_draft": draft, "asked": [], "error": note}
        from agent.graph.checkpoint import SESSIONS, open_store, session_ids  # LangGraph: after the input checks
        from agent.interview.sessions import new_session_id

        if resume and settings.database_url is None and not (settings.output_dir / SESSIONS).exists():
            raise unknown_session(resume, settings)  # nothing to resume: fail before the store file is created
        session = resume or new_session_id()
        asker = TerminalAsker() if sys.stdin.isatty() else LineAsker(sys.stdin)
        from agent.graph.build import build_graph  # the graph stack loads once the input is known to be good
        from agent.graph.state import RunContext
        from agent.interview.driver import drive

        context = RunContext(settings=settings, out_dir=settings.output_dir, analytics=tuple(analytics or ()),
                             analytics_zone=analytics_zone, brand=loaded_brand)
        with open_store(settings) as saver:
            if resume and resume not in session_ids(saver):
                raise unknown_session(resume, settings)
            outcome = drive(build_graph(checkpointer=saver), session, first, context, asker)
    except AnswerRejected as exc:
        resume_hint = f"socialplan interview --resume {session}{f' --out {out}' if out else ''}"
        raise fail(InputError(f"{exc}; the session is saved: {resume_hint} asks it again"), debug) from None
    except Exception as exc:  # noqa: BLE001 - the CLI boundary turns every error into one line
        raise fail(exc, debug) from None
    if outcome.status == "paused":
        console.paused(outcome.session, f" --out {out}" if out else "")
        raise typer.Exit(3)
    folder = Path(outcome.output_path)
    if outcome.status == "finished":
        console.note(f"session {outcome.session} had already finished; its plan is {folder}")
        return
    console.plan_summary(read_plan(folder), folder)


def sessions_command(out: OutOption = None, as_json: JsonOption = False, debug: DebugOption = False) -> None:
    """List interview sessions: id, client, progress, last change."""
    try:
        settings = Settings.from_env(output_dir=out)
        from agent.graph.build import build_graph
        from agent.graph.checkpoint import open_store
        from agent.interview.sessions import list_sessions

        with open_store(settings) as saver:
            rows = list_sessions(build_graph(checkpointer=saver), saver)
    except Exception as exc:  # noqa: BLE001
        raise fail(exc, debug) from None
    if as_json:
        keys = ("id", "client", "progress", "last_change")
        console.json_out([dict(zip(keys, row, strict=True)) for row in rows])
    else:
        console.sessions_table(rows)


def unknown_session(session: str, settings: Settings) -> InputError:
    """Bad input: --resume names no session in the store."""
    from agent.graph.checkpoint import store_label

    return InputError(f"no paused session {session!r} in {store_label(settings)}")
