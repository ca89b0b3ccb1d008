"""The web app: `create_app(settings)` wires the service, the pages, the JSON API, files and the guard.

The lifespan opens the checkpoint store (SQLite under the output root, or PostgreSQL) and compiles the graph
once per process; every error becomes the CLI's one line, as JSON under /api/ and as a page elsewhere.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from agent.api.errors import BAD_INPUT, Conflict, NotFound, error_lines, is_bad_input
from agent.graph.build import build_graph
from agent.graph.checkpoint import open_store, session_ids
from agent.model.settings import Settings
from agent.web import api, pages
from agent.web.security import CsrfError, Guard
from agent.web.service import WebService

STATIC = Path(__file__).with_name("static")
LOG = logging.getLogger("socialplan.web")
SERVER_ERROR = "the server could not finish this request; the reason is in the server's log"
"""What a 500 says to the browser: the exception itself (paths, internals) goes to the log only."""
SHUTDOWN_WAIT = 60.0
"""Seconds a stopping server waits for plans being computed (a batch may be cut; its finished plans stay)."""


def status_of(exc: BaseException) -> int:
    """The HTTP status for an error: 404 missing, 409 wrong state, 403 CSRF, 400 other bad input, 500 the rest."""
    for kind, status in ((NotFound, 404), (Conflict, 409), (CsrfError, 403)):
        if isinstance(exc, kind):
            return status
    return 400 if is_bad_input(exc) else 500


def create_app(settings: Settings, token: str | None = None,
               clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """The ASGI app for `socialplan serve` (tests pass a fixed clock)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with open_store(settings) as saver:
            app.state.service = WebService(settings, build_graph(checkpointer=saver),
                                           lambda: session_ids(saver), clock)
            app.state.token = token
            yield
            app.state.service.jobs.finish_all(SHUTDOWN_WAIT)

    app = FastAPI(title="Socialplan", summary="Plan a social-media strategy: interview, plan, replan.",
                  lifespan=lifespan, docs_url="/api/docs", redoc_url=None, openapi_url="/openapi.json")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for kind in BAD_INPUT:  # bad input is answered here; anything else is a 500 from the server-error layer
        app.add_exception_handler(kind, _error)
    app.add_exception_handler(Exception, _error)
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_middleware(Guard, token=token)
    return app


async def _error(request: Request, exc: Exception) -> Response:
    status = status_of(exc)
    if status == 500:
        LOG.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    lines = error_lines(exc) if status < 500 else [SERVER_ERROR]
    return _reply(request, lines, status)


async def _http(request: Request, exc: HTTPException) -> Response:
    """The framework's own refusals (no such route, method not allowed) as one line."""
    line = f"{request.method} {request.url.path}: {str(exc.detail).lower()}"
    response = _reply(request, [line], exc.status_code)
    response.headers.update(exc.headers or {})  # e.g. Allow on a 405
    return response


def _reply(request: Request, lines: list[str], status: int) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": lines[0], **({"others": lines[1:]} if lines[1:] else {})}, status_code=status)
    return pages.error_page(request, lines, status)


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = str(first.get("msg", "invalid request"))
    line = f"{where}: {message}" if where else f"the request body: {message.lower()}"
    return _reply(request, [line], 422)
