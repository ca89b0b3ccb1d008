"""What the web app does, apart from HTTP: sessions on the shared checkpoint store, plans, replans, batches.

One service per server process. Sessions live in the checkpoint store (SQLite under the output root, or
PostgreSQL), so any `serve` process on the same store and output folder can answer any session. A session
answers one request at a time, across processes too (a lock file under `<out>/.locks`; a second request at
once gets Conflict); a plan being computed runs as a job whose steps a progress page follows.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from agent.analytics.load import load_exports
from agent.api import history, replan
from agent.api.batch import BatchResult, run_batch
from agent.api.errors import Conflict, InputError, NotFound
from agent.api.sessions import (
    SessionView,
    answer_steps,
    continue_steps,
    first_state,
    run,
    start_steps,
    view,
)
from agent.edits.paths import Edit, parse_set
from agent.edits.words import parse_words
from agent.graph.state import RunContext
from agent.interview.prefill import prefill_data
from agent.interview.sessions import new_session_id
from agent.model.brief_io import parse_brief_text
from agent.model.plan_io import read_plan
from agent.model.settings import Settings
from agent.web.files import client_folders, inside, version_files, version_folder
from agent.web.jobs import Job, Jobs

LOCKS = ".locks"
"""One lock file per session being answered, under the output root every serve process shares."""
UPLOADS = ".uploads"
"""Per-session analytics exports and batch briefs, under the output root (hidden from the client list)."""
SAFE_UPLOAD = re.compile(r"[^A-Za-z0-9._-]+")


def upload_name(name: str, fallback: str) -> str:
    """A file name safe to write: the upload's own name reduced to plain characters."""
    cleaned = SAFE_UPLOAD.sub("-", Path(name or "").name).strip(".-")[:80]
    return cleaned or fallback


def item(result: BatchResult, names: dict[str, str]) -> dict[str, Any]:
    """A batch result as the page shows it: the uploaded file's own name, and the plan's page."""
    shown = names.get(result.source, result.source)
    folder = Path(result.folder) if result.folder else None
    return {**result.model_dump(exclude={"source", "folder", "error"}), "source": shown,
            "error": result.error.replace(result.source, shown),
            "url": f"/clients/{folder.parent.name}/{folder.name}" if folder else ""}


class WebService:
    """Sessions, plans and batches for one server process."""

    def __init__(self, settings: Settings, graph: Any, list_ids: Callable[[], list[str]],
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.settings, self.graph, self.list_ids = settings, graph, list_ids
        self.root = Path(settings.output_dir)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))
        self.jobs = Jobs(self.root)
        self._busy: set[str] = set()
        self._lock = threading.Lock()

    def context(self, session: str | None = None, **extra: Any) -> RunContext:
        """A run's context: this process's settings, the clock, and the session's analytics exports."""
        exports = tuple(sorted((self.root / UPLOADS / session).glob("export-*"))) if session else ()
        return RunContext(settings=self.settings, now=self.clock(), out_dir=self.root, analytics=exports, **extra)

    @contextmanager
    def hold(self, session: str) -> Iterator[None]:
        """One request at a time per session, in this process and in any other serving the same output root:
        Conflict for a second one."""
        busy = Conflict(f"session {session!r} is busy with another answer; try again in a moment")
        with self._lock:
            if session in self._busy:
                raise busy
            self._busy.add(session)
        try:
            (self.root / LOCKS).mkdir(parents=True, exist_ok=True)
            lock = FileLock(self.root / LOCKS / f"{session}.lock", timeout=0)
            try:
                lock.acquire()
            except Timeout:
                raise busy from None
            try:
                yield
            finally:
                lock.release()
        finally:
            with self._lock:
                self._busy.discard(session)

    def expect(self, session: str, question: str | None) -> None:
        """The session exists (NotFound otherwise) and, when the client names the question it answers, that
        question is still the pending one (another tab or process may have answered it): Conflict otherwise, so
        an answer never lands on the wrong question."""
        pending = self.view(session).prompt
        if question is not None and (pending is None or pending.id != question):
            now = f"the pending one is {pending.id!r}" if pending else "no question is pending"
            raise Conflict(f"question {question!r} was already answered; {now} (reload to see it)")

    def create(self, brief: tuple[str, str] | None = None, exports: list[tuple[str, bytes]] | None = None) -> str:
        """A new session, pre-filled from a brief's (name, text) and with analytics exports attached."""
        draft: dict[str, Any] = {}
        note = ""
        if brief is not None:
            name, text = brief
            draft, note = prefill_data(parse_brief_text(name, Path(name).suffix, text), name)
        session = new_session_id()
        self._attach(session, exports or [], str((draft.get("audience") or {}).get("timezone") or "UTC"))
        with self.hold(session):
            run(start_steps(self.graph, self.context(session), session, first_state(draft, note)))
        return session

    def _attach(self, session: str, exports: list[tuple[str, bytes]], zone: str) -> None:
        """Keep the session's analytics exports, each read by the CLI's parsers first (a bad one is bad input)."""
        if not exports:
            return
        folder = self.root / UPLOADS / session
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for index, (name, data) in enumerate(exports, start=1):
            path = folder / f"export-{index}-{upload_name(name, 'export.csv')}"
            path.write_bytes(data)
            saved.append(path)
        try:
            load_exports(saved, zone if "/" in zone else "UTC")
        except Exception:
            for path in saved:
                path.unlink(missing_ok=True)
            raise

    def view(self, session: str) -> SessionView:
        """Where a session stands (NotFound for an unknown id)."""
        return view(self.graph, session)

    def answer(self, session: str, text: str, question: str | None = None) -> SessionView:
        """Answer the pending question (`question`, when given, must be its id) and wait for the next one (or
        the finished plan)."""
        with self.hold(session):
            self.expect(session, question)
            run(answer_steps(self.graph, self.context(session), session, text))
        return self.view(session)

    def answer_later(self, session: str, text: str | None, question: str | None = None) -> Job:
        """Answer on a background job that reports each graph step (the confirm step, which plans); with
        `text` None, carry on a plan that stopped part-way."""
        self.expect(session, question)  # NotFound or Conflict before a job starts

        def work(job: Job) -> None:
            with self.hold(session):
                self.expect(session, question)
                context = self.context(session)
                steps = continue_steps(self.graph, context, session) if text is None else \
                    answer_steps(self.graph, context, session, text)
                for step in steps:
                    job.add("step", step=step)
            job.add("done", status="ok", session=self.view(session).status)

        return self.jobs.start("plan", work, owner=session)

    def replan(self, client: str, version: int, sets: list[str], words: str) -> Path:
        """The next version of a client's plan with `--set` edits and/or plain words; returns its folder."""
        edits: list[Edit] = [parse_set(item) for item in sets if item.strip()]
        if words.strip():
            edits.extend(parse_words(words))
        if not edits:
            raise InputError("nothing to change: give a --set edit (path=value) or a change in words")
        return replan(version_folder(self.root, client, version), edits, self.context())

    def history(self, client: str) -> list[Any]:
        """A client's versions, oldest first; NotFound for a folder without plans."""
        rows = history(inside(self.root, client))
        if not rows:
            raise NotFound(f"{client}: no plan versions here")
        return rows

    def batch(self, briefs: list[tuple[str, bytes]]) -> Job:
        """Plan several uploaded briefs on a background job that reports each one as it finishes."""
        if not briefs:
            raise InputError("no brief files in the upload")
        job_folder = self.root / UPLOADS / f"batch-{new_session_id()}"
        job_folder.mkdir(parents=True)
        paths = []
        for index, (name, data) in enumerate(briefs, start=1):
            path = job_folder / f"{index:03d}-{upload_name(name, 'brief.yaml')}"
            path.write_bytes(data)
            paths.append(path)

        names = {str(path): name for path, (name, _) in zip(paths, briefs, strict=True)}

        def work(job: Job) -> None:
            results = run_batch(paths, self.context(), on_done=lambda result: job.add("item", **item(result, names)))
            job.add("done", status="ok", planned=sum(r.status == "ok" for r in results), total=len(results))

        return self.jobs.start("batch", work, total=len(paths))

    def version_detail(self, client: str, version: int) -> dict[str, Any]:
        """A version folder's files (with their URLs) and its changes.md, if it has one."""
        folder = version_folder(self.root, client, version)
        changes = folder / "changes.md"
        files = [{"name": name, "url": f"/files/{client}/v{version}/{name}"} for name in version_files(folder)]
        return {"client": client, "version": version, "folder": str(folder), "files": files,
                "changes": changes.read_text(encoding="utf-8") if changes.is_file() else None}

    def clients(self) -> list[dict[str, Any]]:
        """Every client folder with its version count and latest version's row, by name."""
        rows = []
        for folder in client_folders(self.root):
            versions = history(folder)
            latest = versions[-1]
            rows.append({"client": folder.name, "name": read_plan(folder / f"v{latest.version}").brief.business.name,
                         "versions": len(versions), "latest": latest.model_dump()})
        return rows

    def sessions(self) -> list[SessionView]:
        """Every session in the store, most recently changed first."""
        rows = [self.view(session) for session in self.list_ids()]
        return sorted(rows, key=lambda row: row.changed, reverse=True)

    def version_name(self, client: str, version: int) -> str:
        """The business name of a stored version."""
        return read_plan(version_folder(self.root, client, version)).brief.business.name
