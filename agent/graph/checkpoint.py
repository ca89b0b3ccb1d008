"""Interview checkpoints and the session list: PostgreSQL when SOCIALPLAN_DATABASE_URL is set, else SQLite.

`open_store(settings)` yields the checkpointer: LangGraph's PostgresSaver over a psycopg connection pool when
`settings.database_url` is set (several serve processes share it), otherwise a SqliteSaver at
<output root>/sessions.sqlite. Either way the serializer is told exactly which of our classes may be rebuilt
from a checkpoint (the pydantic models and enums the graph state holds), so loading a session never warns and
never rebuilds anything else.

Thread safety (one saver answering many sessions at once):
- SqliteSaver holds one sqlite3 connection (opened with check_same_thread=False) and takes its own
  threading.Lock around every cursor, so concurrent threads are safe but their reads and writes run one at a
  time. Other processes on the same file wait on SQLite's file lock (WAL mode, 5 s busy timeout).
- PostgresSaver also takes one instance-wide threading.Lock in `_cursor()`, even over a pool, which would let
  only one thread at a time use the pool (langgraph issue #7259). Every operation checks out its own pool
  connection, so nothing is shared between threads but the pool (thread-safe): the lock is swapped for a
  semaphore as wide as the pool, so up to POOL_SIZE operations run in parallel and the rest wait for a
  connection.

The database password is never part of any message: `safe_url` shows user@host:port/db only, and reasons from
the driver are scrubbed of it.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote, unquote, urlsplit

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel

from agent.graph.errors import StoreUnreachable
from agent.model.settings import Settings

if TYPE_CHECKING:
    from langgraph.checkpoint.postgres import PostgresSaver

SESSIONS = "sessions.sqlite"
"""The SQLite checkpoint file under the output root (when no database URL is set)."""
POOL_SIZE = 10
"""Most PostgreSQL connections one process keeps open (and checkpoint operations it runs at once)."""
CONNECT_TIMEOUT = 5
"""Seconds to wait for the PostgreSQL server before saying it cannot be reached."""
SETUP_LOCK = 0x50C1A1  # pg_advisory_lock key: one process at a time creates or migrates the tables
STATE_MODULES = ("agent.model.brief", "agent.model.plan", "agent.model.market", "agent.planning.assemble",
                 "agent.graph.state", "agent.llm.numbers")
SESSION_IDS_SQL = "SELECT DISTINCT thread_id FROM checkpoints"

_SET_UP: set[str] = set()  # database URLs whose tables this process has set up


def allowed_types() -> list[tuple[str, str]]:
    """(module, class) of every model and enum defined in the modules graph state uses."""
    found: list[tuple[str, str]] = []
    for name in STATE_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attr, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == name and issubclass(obj, BaseModel | Enum):
                found.append((name, attr))
    return found


def serializer() -> JsonPlusSerializer:
    """The checkpoint serializer with our state types allow-listed."""
    return JsonPlusSerializer(allowed_msgpack_modules=allowed_types())


@contextmanager
def open_checkpointer(path: Path) -> Iterator[SqliteSaver]:
    """A SqliteSaver on `path` (created with its folder if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    try:
        yield SqliteSaver(conn, serde=serializer())
    finally:
        conn.close()


@contextmanager
def open_store(settings: Settings) -> Iterator[BaseCheckpointSaver[Any]]:
    """The session store: PostgreSQL at settings.database_url, else SQLite at <output root>/sessions.sqlite.

    Raises StoreUnreachable (one line, no password) when the PostgreSQL server cannot be reached.
    """
    if settings.database_url is None:
        with open_checkpointer(settings.output_dir / SESSIONS) as saver:
            yield saver
    else:
        with _open_postgres(settings.database_url.get_secret_value()) as pg_saver:
            yield pg_saver


def store_label(settings: Settings) -> str:
    """Where the sessions live, for messages: the SQLite file, or the database URL without its password."""
    if settings.database_url is None:
        return str(settings.output_dir / SESSIONS)
    return safe_url(settings.database_url.get_secret_value())


def session_ids(saver: BaseCheckpointSaver[Any]) -> list[str]:
    """Every session (thread) id in the store, sorted; none when the store holds no checkpoints yet."""
    if isinstance(saver, SqliteSaver):
        with saver.lock:
            try:
                rows = saver.conn.execute(SESSION_IDS_SQL).fetchall()
            except sqlite3.OperationalError:  # no checkpoints table yet
                rows = []
        return sorted(str(row[0]) for row in rows)
    if type(saver).__module__.startswith("langgraph.checkpoint.postgres"):
        return _postgres_ids(cast("PostgresSaver", saver))
    return sorted({str(t.config["configurable"]["thread_id"]) for t in saver.list(None)})


def thread_ids(path: Path) -> list[str]:
    """Every session id stored in the checkpoint file (none when it does not exist)."""
    if not path.exists():
        return []
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(SESSION_IDS_SQL).fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        conn.close()
    return sorted(str(r[0]) for r in rows)


def safe_url(url: str) -> str:
    """The database URL as postgresql://user@host:port/db: never the password or any other parameter."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = {key: str(value) for key, value in conninfo_to_dict(url).items() if value is not None}
    except Exception:  # noqa: BLE001 - malformed: the URL without its userinfo and parameters, if it is one
        if "://" not in url:
            return "SOCIALPLAN_DATABASE_URL"
        return re.sub(r"//[^@/?#]*@", "//", url).split("?", 1)[0].split("#", 1)[0]
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{info.get('host', 'localhost')}:{info.get('port', '5432')}/{info.get('dbname', '')}"


def scrub(text: str, url: str) -> str:
    """`text` on one line with the URL's password (as written, encoded or decoded) replaced by ***."""
    from psycopg.conninfo import conninfo_to_dict

    found: set[str] = set()
    with suppress(Exception):
        found.add(str(conninfo_to_dict(url).get("password") or ""))
    with suppress(ValueError):
        found.add(urlsplit(url).password or "")
    found |= {unquote(s) for s in found} | {quote(s, safe="") for s in found}
    line = " ".join(part.strip() for part in text.splitlines() if part.strip())
    for secret in sorted((s for s in found if s), key=len, reverse=True):
        line = line.replace(secret, "***")
    return line


@contextmanager
def _open_postgres(url: str) -> Iterator[PostgresSaver]:
    """A PostgresSaver over a pool of POOL_SIZE connections, its tables set up (once per process per URL)."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    _prepare(url)
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    pool: ConnectionPool[Any] = ConnectionPool(  # check: a connection the server dropped (a restart) is replaced
        url, min_size=1, max_size=POOL_SIZE, kwargs=kwargs, open=False, name="socialplan-sessions", timeout=30.0,
        check=ConnectionPool.check_connection)
    pool.open()
    try:
        saver = PostgresSaver(pool, serde=serializer())
        saver.lock = threading.BoundedSemaphore(POOL_SIZE)  # type: ignore[assignment]  # see the module docstring
        yield saver
    finally:
        pool.close()


def _prepare(url: str) -> None:
    """Check the server answers (StoreUnreachable if not), then create or migrate the tables once per process."""
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row

    try:
        conn = psycopg.connect(url, autocommit=True, prepare_threshold=0, row_factory=dict_row,
                               connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        reason = scrub(str(exc), url) or exc.__class__.__name__
        raise StoreUnreachable(f"the session store at {safe_url(url)} cannot be reached: {reason}") from None
    with conn:
        if url in _SET_UP:
            return
        conn.execute("SELECT pg_advisory_lock(%s)", (SETUP_LOCK,))  # other processes may be starting too
        try:
            PostgresSaver(conn, serde=serializer()).setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK,))
        _SET_UP.add(url)


def _postgres_ids(saver: PostgresSaver) -> list[str]:
    """Session ids from a PostgresSaver on a pool or on one connection."""
    from psycopg_pool import ConnectionPool

    with saver.lock:
        if isinstance(saver.conn, ConnectionPool):
            with saver.conn.connection() as conn:
                rows = conn.execute(SESSION_IDS_SQL).fetchall()
        else:
            rows = saver.conn.execute(SESSION_IDS_SQL).fetchall()
    return sorted(str(row["thread_id"]) for row in rows)
