"""Helpers for the web app's tests: an in-process client on a fixed clock, and `socialplan serve` as a real
process on a free loopback port (its URL read from its first line of output)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from agent.model.settings import Settings
from agent.web.app import create_app
from tests.conftest import FIXED_NOW


@contextmanager
def client(out: Path, token: str | None = None, **settings: object) -> Iterator[TestClient]:
    """The app in this process (offline, fixed clock, no DOCX/PDF unless `documents` says) and a test client."""
    values = {"offline": True, "output_dir": out, "documents": "none", **settings}
    app = create_app(Settings.from_env(**values), token=token, clock=lambda: FIXED_NOW)
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(out: Path, *args: str, port: int | None = None, env: dict[str, str] | None = None,
           timeout: float = 60.0) -> Iterator[str]:
    """`socialplan serve --out OUT --offline` as a real process; yields the URL it printed, stops it after."""
    port = port or free_port()
    command = [sys.executable, "-m", "agent.cli", "serve", "--out", str(out), "--offline", "--port", str(port), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    try:
        url = _wait_ready(process, port, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(process: subprocess.Popen[str], port: int, timeout: float) -> str:
    """The printed URL, once the port accepts connections; the process's stderr when it dies first."""
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"serve exited {process.returncode}: {errors}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return url
        time.sleep(0.05)
    raise AssertionError(f"serve did not listen on {port} within {timeout} s")
