"""`socialplan serve`: the planning session in a browser, on this machine by default.

Binding anywhere but loopback needs a token (`--token` or SOCIALPLAN_TOKEN); without one it is refused with
exit 2 before anything starts. The URL printed first is the one to open (with a token: the sign-in link).
"""

from __future__ import annotations

import os
import secrets
from typing import Annotated
from urllib.parse import quote

import typer

from agent.cli import console
from agent.cli.common import DebugOption, InputError, OfflineOption, OutOption, fail
from agent.model.settings import Settings

TOKEN_ENV = "SOCIALPLAN_TOKEN"
MIN_TOKEN = 16


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to bind (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option("--token", help=f"Access token (or {TOKEN_ENV}); "
                                              "required for a non-loopback --host.")] = None,
    out: OutOption = None, offline: OfflineOption = False, debug: DebugOption = False,
) -> None:
    """Serve the web app: interview, plan, versions, batch, JSON API (prints the URL to open)."""
    from agent.web.security import is_loopback

    try:
        token = token or os.environ.get(TOKEN_ENV) or None
        if not is_loopback(host) and not token:
            raise InputError(f"--host {host} is reachable from other machines: set a token with --token or "
                             f"{TOKEN_ENV} (e.g. {TOKEN_ENV}={secrets.token_urlsafe(24)})")
        if token is not None and len(token) < MIN_TOKEN:
            raise InputError(f"the token is too short: use at least {MIN_TOKEN} characters")
        settings = Settings.from_env(offline=offline or None, output_dir=out)
        from agent.web.app import create_app

        app = create_app(settings, token=token)
    except Exception as exc:  # noqa: BLE001
        raise fail(exc, debug) from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    console.note(f"{url}signin?token={quote(token)}" if token else url)
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                server_header=False, timeout_graceful_shutdown=5)
