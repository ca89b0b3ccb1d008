"""One error boundary for every front end: which exceptions are bad input, and the one line that describes any error.

The CLI prints `error: <line>` and exits 2 for bad input, 1 otherwise; the web app answers the same line as JSON
with an HTTP 4xx for bad input and 500 otherwise.
"""

from __future__ import annotations

import sqlite3

from agent.analytics.model import AnalyticsError
from agent.graph.errors import StoreUnreachable
from agent.model.brief_io import BriefError
from agent.model.plan_io import PlanNotFound
from agent.model.values import AnswerError
from agent.planning.errors import PlanningError


class InputError(Exception):
    """Bad input: exit 2 (HTTP 400) with one line."""


class NotFound(InputError):
    """Something named by the user does not exist: a session, a client, a version (HTTP 404)."""


class Conflict(InputError):
    """The request cannot run in the current state: a session busy planning or already finished (HTTP 409)."""


BAD_INPUT = (BriefError, PlanningError, InputError, PlanNotFound, AnswerError, AnalyticsError)


def is_bad_input(exc: BaseException) -> bool:
    """True when the user can fix the error by changing what they gave (exit 2, HTTP 4xx)."""
    return isinstance(exc, BAD_INPUT)


def plain_reason(exc: BaseException) -> str:
    """What went wrong outside the input, in words: files that cannot be written, a store that is locked."""
    if isinstance(exc, StoreUnreachable):  # names the store, never its password
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot write {exc.filename}: {(exc.strerror or str(exc)).lower()} (nothing was written)"
    if isinstance(exc, sqlite3.OperationalError):  # the SQLite session store
        return f"the session store cannot be used: {exc} (is another interview writing to it, or is --out read-only?)"
    return f"{exc.__class__.__name__}: {exc}"


def error_lines(exc: BaseException) -> list[str]:
    """The error as the lines the CLI prints after `error: `: the first names the problem, the rest are every
    other problem of a brief."""
    first = str(exc) if is_bad_input(exc) else plain_reason(exc)
    return [" ".join(first.split()), *(" ".join(str(line).split()) for line in getattr(exc, "others", []))]
