"""`socialplan kb`: ingest the knowledge folder, search it, show index statistics.

Settings come from the environment (`Settings.from_env()`: SOCIALPLAN_KNOWLEDGE_DIR,
SOCIALPLAN_INDEX_DIR, SOCIALPLAN_CHROMA_URL). Results go to stdout, everything else to stderr.
Exit codes: 0 ok, 2 bad input (one `error:` line), 1 anything else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from agent.knowledge.filters import check_filters
from agent.model.settings import Settings

if TYPE_CHECKING:  # the search stack (chromadb, about 0.5 s to import) loads when a command opens the index
    from agent.knowledge.search import Hit, KnowledgeBase

kb_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Knowledge base: ingest, search, stats."
)


def _fail(message: str, code: int) -> typer.Exit:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return typer.Exit(code)


def _open() -> KnowledgeBase:
    from agent.knowledge.search import KnowledgeBase
    from agent.knowledge.store import parse_chroma_url

    try:
        settings = Settings.from_env()
        if settings.chroma_url:
            parse_chroma_url(settings.chroma_url)
        return KnowledgeBase(settings)
    except ValueError as exc:  # settings from the environment that do not validate
        raise _fail(str(exc), 2) from None


@kb_app.command("ingest")
def ingest_command(
    directory: Annotated[Path | None, typer.Argument(help="Knowledge folder (default: configured).")] = None,
) -> None:
    """Index the knowledge entries; only changed entries are re-embedded."""
    kb = _open()
    try:
        report = kb.ingest(directory)
    except FileNotFoundError as exc:
        raise _fail(str(exc), 2) from None
    except Exception as exc:  # noqa: BLE001 - the CLI boundary turns every error into one line
        raise _fail(f"{exc.__class__.__name__}: {exc}", 1) from None
    for line in report.errors:
        print(f"skipped: {line}", file=sys.stderr)
    print(f"added {report.added}, updated {report.updated}, removed {report.removed}, "
          f"unchanged {report.unchanged}, skipped {len(report.errors)} in {report.seconds:.1f} s")


@kb_app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="What to look for, in plain words.")],
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many results.")] = 5,
    platform: Annotated[str | None, typer.Option(help="Only entries covering this platform.")] = None,
    kind: Annotated[str | None, typer.Option(help="smo or smm.")] = None,
    goal: Annotated[str | None, typer.Option(help="Only entries serving this goal.")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or keyword.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Search the knowledge base (builds the index first if it is missing or stale)."""
    platform, kind, goal = (v.strip().lower() if v else v for v in (platform, kind, goal))
    mode = mode.strip().lower()
    try:
        check_filters(platform, kind, goal, mode)
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    kb = _open()
    try:
        report = kb.ensure_ready()
        if report is not None:
            done = report.added + report.updated
            print(f"indexed {done} entries in {report.seconds:.1f} s", file=sys.stderr)
        hits = kb.search(query, k=k, platform=platform, kind=kind, goal=goal, mode=mode)  # type: ignore[arg-type]
    except FileNotFoundError as exc:  # no knowledge folder to build the index from
        raise _fail(str(exc), 2) from None
    except Exception as exc:  # noqa: BLE001
        raise _fail(f"{exc.__class__.__name__}: {exc}", 1) from None
    passages = _passages(hits)
    if as_json:
        print(json.dumps([h.model_dump() | passages.get(h.id, {}) for h in hits], indent=2, ensure_ascii=False))
    else:
        _print_table(hits, passages)


PASSAGE_CHARS = 300


def _passages(hits: list[Hit]) -> dict[str, dict[str, str]]:
    """Each hit's file and the opening of its text, from the knowledge folder."""
    from agent.knowledge.entries import load_entries

    entries, _ = load_entries(Settings.from_env().knowledge_dir)
    found = {}
    for hit in hits:
        entry = entries.get(hit.id)
        if entry is not None:
            text = " ".join(entry.body.split())
            passage = text if len(text) <= PASSAGE_CHARS else text[: PASSAGE_CHARS - 1].rsplit(" ", 1)[0] + "…"
            found[hit.id] = {"file": entry.path, "passage": passage}
    return found


def _print_table(hits: list[Hit], passages: dict[str, dict[str, str]]) -> None:
    if not hits:
        print("no match", file=sys.stderr)
        return
    table = Table(show_lines=True)
    for column in ("id", "score", "title and passage", "file"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        found = passages.get(hit.id, {})
        table.add_row(hit.id, f"{hit.score:.3f}", f"{hit.title}\n{found.get('passage', '')}".strip(),
                      found.get("file", ""))
    Console(highlight=False, markup=False).print(table)


@kb_app.command("stats")
def stats_command(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Entry and chunk counts, where the index lives, whether it matches the folder."""
    kb = _open()
    try:
        stats = kb.stats()
    except Exception as exc:  # noqa: BLE001
        raise _fail(f"{exc.__class__.__name__}: {exc}", 1) from None
    if as_json:
        print(json.dumps(stats, indent=2))
        return
    for key, value in stats.items():
        print(f"{key}: {value}")
