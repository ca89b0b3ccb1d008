"""A throwaway PostgreSQL server for the tests (and for CI), from the machine's own PostgreSQL binaries.

`throwaway_cluster()` runs `initdb` (trust auth, superuser `socialplan`) in a fresh temporary folder, starts the
server with `pg_ctl` on a free 127.0.0.1 port (its unix socket in that folder too), creates the database
`socialplan`, yields its URL and stops and deletes everything at the end. PostgreSQL refuses to run as root, so
as root the binaries run as the `postgres` user (or `nobody`) through `runuser`, and the folder is theirs.

`database_for_tests(url)` gives a test run its own database: on `SOCIALPLAN_TEST_DATABASE_URL` (a server CI
started) a fresh database per pytest-xdist worker, dropped at the end; without it, a throwaway cluster.

Standard library only, so CI can run it before the venv exists:
    python3 -m tests.postgres start DIR     # prints the URL; the server keeps running
    python3 -m tests.postgres stop DIR
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

USER = "socialplan"
DATABASE = "socialplan"
TEST_URL_ENV = "SOCIALPLAN_TEST_DATABASE_URL"
RUN_AS = ("postgres", "nobody")  # who runs the server when we are root


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def bin_dir() -> Path:
    """The folder holding initdb, pg_ctl and createdb: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        folder = Path(on_path).resolve().parent
        if (folder / "initdb").exists():
            return folder
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2].split(".")[0]))
    for candidate in reversed(versions):
        if all((Path(candidate) / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(candidate)
    raise PostgresMissing(
        "the PostgreSQL server binaries (initdb, pg_ctl, postgres) are not on PATH nor in /usr/lib/postgresql/*/bin: "
        f"install them (apt-get install postgresql) or point {TEST_URL_ENV} at a running server"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _owner() -> pwd.struct_passwd | None:
    """The unprivileged user the server runs as when we are root (None when we are not root)."""
    if os.geteuid() != 0:
        return None
    for name in RUN_AS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresMissing(f"running as root and none of the users {RUN_AS} exists to run PostgreSQL as")


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL binary (as the unprivileged owner of `root` when we are root); raise with its output."""
    owner = _owner()
    prefix = ["runuser", "-u", owner.pw_name, "--"] if owner else []
    result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, cwd=root,
                            env={**os.environ, "LC_ALL": "C"})
    if result.returncode != 0:
        log = root / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stdout}{result.stderr}{tail}")
    return result


def start(root: Path, port: int | None = None) -> str:
    """initdb into root/data, start the server on 127.0.0.1:`port` (a free one if None), create the database;
    return its URL. The server keeps running until `stop(root)`."""
    root.mkdir(parents=True, exist_ok=True)
    owner = _owner()
    if owner:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    binaries = bin_dir()
    _run(root, str(binaries / "initdb"), "-D", str(root / "data"), "-U", USER, "-A", "trust", "-E", "UTF8",
         "--locale=C", "--no-sync")
    for attempt in range(3):  # a free port may be taken between choosing and binding it: try another
        chosen = port or free_port()
        options = f"-p {chosen} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        try:
            _run(root, str(binaries / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "server.log"),
                 "-o", options, "-w", "-t", "60", "start")
            break
        except RuntimeError:
            if port is not None or attempt == 2:
                raise
    _run(root, str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(chosen), "-U", USER, DATABASE)
    return f"postgresql://{USER}@127.0.0.1:{chosen}/{DATABASE}"


def stop(root: Path) -> None:
    """Stop the server in root/data (if it runs) and delete root."""
    if (root / "data" / "postmaster.pid").exists():
        _run(root, str(bin_dir() / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "-w", "stop")
    shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A fresh server in a new folder under the system temp dir (not under a root-only pytest folder, so the
    unprivileged server user can reach it); the URL of its `socialplan` database."""
    bin_dir()  # fail with the clear message before making anything
    root = Path(tempfile.mkdtemp(prefix="socialplan-pg-"))
    try:
        yield start(root)
    finally:
        stop(root)


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` instead."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@contextlib.contextmanager
def fresh_database(url: str, label: str = "") -> Iterator[str]:
    """A new empty database on the server at `url` (its URL), dropped at the end. Needs psycopg (the venv)."""
    import psycopg

    name = f"socialplan_test_{label}_{uuid.uuid4().hex[:8]}".replace("__", "_").lower()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database_for_tests(server_url: str | None = None) -> Iterator[str]:
    """The database a test process uses: a fresh one on `server_url` (CI's server) or a throwaway cluster's."""
    if server_url:
        with fresh_database(server_url, os.environ.get("PYTEST_XDIST_WORKER", "main")) as url:
            yield url
    else:
        with throwaway_cluster() as url:
            yield url


def main(argv: list[str]) -> int:
    """`start DIR [PORT]` prints the URL of a new server in DIR; `stop DIR` stops it and deletes DIR."""
    if len(argv) not in (2, 3) or argv[0] not in ("start", "stop"):
        print("usage: python3 -m tests.postgres start DIR [PORT] | stop DIR", file=sys.stderr)
        return 2
    root = Path(argv[1]).resolve()
    if argv[0] == "stop":
        stop(root)
        return 0
    try:
        print(start(root, int(argv[2]) if len(argv) == 3 else None))
    except (PostgresMissing, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        stop(root)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
