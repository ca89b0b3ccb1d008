"""Work that outlives a request: a plan being computed, a batch of briefs. Each job keeps its events so a
progress page (or an API client) can follow it from the start, and any number of readers can wait on it."""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agent.api.errors import error_lines, is_bad_input

LOG = logging.getLogger("socialplan.web")


class Event(BaseModel):
    """One thing a job reports: a finished step, a planned brief, or the end."""

    kind: str = Field(description="'step', 'item' or 'done'.")
    data: dict[str, Any] = Field(default_factory=dict)


class Job:
    """A background job's event log, safe to append from its thread and read from many."""

    def __init__(self, kind: str, owner: str = "", total: int = 0) -> None:
        self.id, self.kind, self.owner, self.total = secrets.token_hex(8), kind, owner, total
        self.events: list[Event] = []
        self.finished = False
        self._cond = threading.Condition()

    def add(self, kind: str, **data: Any) -> None:
        """Record an event and wake every reader."""
        with self._cond:
            self.events.append(Event(kind=kind, data=data))
            self.finished = self.finished or kind == "done"
            self._cond.notify_all()

    def since(self, seen: int, timeout: float) -> list[Event]:
        """Events after the first `seen`, waiting up to `timeout` seconds for one when there are none yet."""
        with self._cond:
            self._cond.wait_for(lambda: len(self.events) > seen or self.finished, timeout=timeout)
            return list(self.events[seen:])

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job is done; False when `timeout` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self.finished, timeout=timeout)


class Jobs:
    """The jobs of this process, by id, and the running job of each session."""

    def __init__(self, root: Path | None = None) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self.root = root

    def shown(self, exc: Exception) -> str:
        """An error's line as a browser sees it: paths relative to the output root, which it does not need."""
        line = error_lines(exc)[0]
        if self.root is not None:
            for prefix in {str(self.root.resolve()), str(self.root)}:
                line = line.replace(prefix + os.sep, "").replace(prefix, "the output folder")
        return line

    def start(self, kind: str, work: Callable[[Job], None], owner: str = "", total: int = 0) -> Job:
        """Run `work(job)` on a daemon thread; an exception becomes the job's 'done' event with the error."""
        job = Job(kind, owner, total)
        with self._lock:
            self._jobs[job.id] = job

        def target() -> None:
            try:
                work(job)
            except Exception as exc:  # noqa: BLE001 - reported to whoever follows the job
                bad = is_bad_input(exc)
                if not bad:
                    LOG.error("%s job %s failed", kind, job.id, exc_info=exc)
                job.add("done", status="bad input" if bad else "failed", error=self.shown(exc))
            if not job.finished:
                job.add("done", status="ok")

        threading.Thread(target=target, name=f"socialplan-{kind}-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def running_for(self, owner: str) -> Job | None:
        """The unfinished job of a session, if this process runs one."""
        with self._lock:
            return next((j for j in self._jobs.values() if j.owner == owner and not j.finished), None)

    def finish_all(self, timeout: float) -> None:
        """Wait (up to `timeout` seconds in all) for running jobs, so a shutdown does not cut a plan in half."""
        with self._lock:
            running = [job for job in self._jobs.values() if not job.finished]
        deadline = time.monotonic() + timeout
        for job in running:
            job.wait(max(0.0, deadline - time.monotonic()))
