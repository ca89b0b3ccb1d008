"""The JSON API under /api/: sessions, answers, jobs (with a server-sent event stream), clients, versions,
replans and batches. The pages use the same service, and their progress views follow /api/jobs/{id}/events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from agent.api.errors import NotFound
from agent.api.sessions import SessionView
from agent.web.jobs import Job
from agent.web.schemas import (
    Answer,
    Batch,
    ClientRow,
    ErrorBody,
    JobView,
    NewSession,
    Replan,
    VersionDetail,
)
from agent.web.service import WebService

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (400, 404, 409, 413, 422)}
router = APIRouter(prefix="/api", responses=ERRORS)
EVENT_WAIT = 15.0
"""Seconds an event stream waits for news before sending a keep-alive comment."""


def service(request: Request) -> WebService:
    """This process's service (set up by the app's lifespan)."""
    return request.app.state.service  # type: ignore[no-any-return]


def job_view(job: Job) -> JobView:
    """A job as JSON."""
    return JobView(id=job.id, kind=job.kind, finished=job.finished, events=[e.model_dump() for e in job.events])


def find_job(request: Request, job_id: str) -> Job:
    """A job of this process; NotFound otherwise."""
    job = service(request).jobs.get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r} on this server")
    return job


@router.post("/sessions", status_code=201, response_model=SessionView)
def create_session(request: Request, body: NewSession | None = None) -> SessionView:
    """Start an interview (pre-filled from `brief` when given); returns its first question."""
    svc = service(request)
    brief = (body.brief_name, body.brief) if body is not None and body.brief is not None else None
    return svc.view(svc.create(brief))


@router.get("/sessions", response_model=list[SessionView])
def list_sessions(request: Request) -> list[SessionView]:
    """Every session in the store, most recently changed first."""
    return service(request).sessions()


@router.get("/sessions/{session}", response_model=SessionView)
def get_session(session: str, request: Request) -> SessionView:
    """Where a session stands: its pending question, or the finished plan's folder."""
    return service(request).view(session)


@router.post("/sessions/{session}/answers", response_model=SessionView | JobView)
def post_answer(session: str, body: Answer, request: Request) -> Any:
    """Answer the pending question. With `wait` (the default) returns the session after it; otherwise 202 and a
    job whose events follow the graph's steps."""
    svc = service(request)
    if body.wait:
        return svc.answer(session, body.answer, body.question)
    return JSONResponse(job_view(svc.answer_later(session, body.answer, body.question)).model_dump(),
                        status_code=202)


@router.get("/jobs/{job_id}", response_model=JobView)
def get_job(job_id: str, request: Request) -> JobView:
    """A job's events so far."""
    return job_view(find_job(request, job_id))


@router.get("/jobs/{job_id}/events", response_class=StreamingResponse)
def job_events(job_id: str, request: Request) -> StreamingResponse:
    """The job's events as a server-sent event stream (text/event-stream), from its first event to 'done'."""
    job = find_job(request, job_id)

    def stream() -> Iterator[str]:
        seen = 0
        while True:
            fresh = job.since(seen, EVENT_WAIT)
            if not fresh:
                yield ": still working\n\n"
            for event in fresh:
                yield f"event: {event.kind}\ndata: {json.dumps(event.data)}\n\n"
            seen += len(fresh)
            if job.finished and seen >= len(job.events):
                return

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.get("/clients", response_model=list[ClientRow])
def list_clients(request: Request) -> list[dict[str, Any]]:
    """Every client folder with its number of versions and its latest version."""
    return service(request).clients()


@router.get("/clients/{client}/versions")
def client_versions(client: str, request: Request) -> list[dict[str, Any]]:
    """A client's versions, oldest first: date, goal, budget, channels, what changed, which version it came from."""
    return [row.model_dump() for row in service(request).history(client)]


@router.get("/clients/{client}/versions/{version}", response_model=VersionDetail)
def get_version(client: str, version: int, request: Request) -> dict[str, Any]:
    """One version: its folder, its files' URLs and its changes.md."""
    return service(request).version_detail(client, version)


@router.post("/clients/{client}/versions/{version}/replan", status_code=201, response_model=VersionDetail)
def post_replan(client: str, version: int, body: Replan, request: Request) -> dict[str, Any]:
    """Replan from this version with `--set` edits and/or words; returns the new version."""
    svc = service(request)
    folder = svc.replan(client, version, body.set, body.words)
    return svc.version_detail(folder.parent.name, int(folder.name[1:]))


@router.post("/batch", status_code=202, response_model=JobView)
def post_batch(body: Batch, request: Request) -> JobView:
    """Plan several briefs on one job; follow it at /api/jobs/{id}/events."""
    job = service(request).batch([(b.name, b.text.encode("utf-8")) for b in body.briefs])
    return job_view(job)
