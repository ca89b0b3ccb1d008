"""Safe by default: a token on every request when one is set, no cross-site writes, a cap on request bodies,
and security headers on every response.

One pure ASGI middleware does it all, before any route runs, so a refused request never reaches the graph
or the disk. Page forms also carry a CSRF token (double-submit cookie), checked by `check_csrf`.
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent.api.errors import InputError

TOKEN_COOKIE = "socialplan_token"
CSRF_COOKIE = "socialplan_csrf"
MAX_BODY = 8 * 1024 * 1024
"""Largest request body: a few briefs (1 MiB each at most) and analytics exports in one upload."""
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
            "connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox"
"""For files of a version folder: the strategy HTML keeps its inline styles and SVG charts; nothing runs."""
OPEN_PATHS = {"/signin"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfError(InputError):
    """A form without the CSRF token this browser was given (HTTP 403)."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: a bind that no other machine can reach."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A random CSRF token."""
    return secrets.token_urlsafe(24)


def check_csrf(cookies: dict[str, str], submitted: str) -> None:
    """The form's token must equal this browser's CSRF cookie."""
    expected = cookies.get(CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), (submitted or "").encode()):
        raise CsrfError("the form has expired or came from another site; reload the page and try again")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


class Guard:
    """The middleware: refuse what must not run, cap bodies, add headers."""

    def __init__(self, app: ASGIApp, token: str | None = None, max_body: int = MAX_BODY) -> None:
        self.app, self.token, self.max_body = app, token, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self.refusal(scope, headers)
        if refusal is not None:
            await _refuse(send, scope, *refusal)
            return
        body = await self._body(receive, headers)
        if body is None:
            await _refuse(send, scope, 413, f"the request is larger than {self.max_body // 1024 // 1024} MiB")
            return
        await self.app(scope, _replay(body, receive), _with_headers(send, scope["path"]))

    def refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        """(status, message) when the request must be refused before it runs; None when it may go on."""
        path, method = scope["path"], scope["method"]
        if not self.token and not is_loopback(_host_name(headers.get("host", ""))):
            return 421, "this server answers only to localhost and 127.0.0.1 (start it with a token to serve a name)"
        if self.token and path not in OPEN_PATHS and not self._signed_in(headers):
            return 401, "sign in first: open the sign-in link the server printed (or send 'Authorization: Bearer')"
        if method in UNSAFE and _cross_site(headers):
            return 403, "a request from another site was refused"
        if method in UNSAFE and path.startswith("/api/") and not _json_body(headers):
            return 415, "send JSON (Content-Type: application/json)"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return 413, f"the request is larger than {self.max_body // 1024 // 1024} MiB"
        return None

    def _signed_in(self, headers: dict[str, str]) -> bool:
        assert self.token is not None
        given = headers.get("authorization", "").removeprefix("Bearer ").strip() or \
            _cookies(headers).get(TOKEN_COOKIE, "")
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    async def _body(self, receive: Receive, headers: dict[str, str]) -> list[Message] | None:
        """Every body message, or None once the body grows past the cap (a chunked upload with no length)."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_body:
                return None
            if message["type"] != "http.request" or not message.get("more_body"):
                return messages


def _host_name(host: str) -> str:
    """The name in a Host header without its port: 'localhost:8000' → 'localhost', '[::1]:8000' → '::1'."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cross_site(headers: dict[str, str]) -> bool:
    """True for a write another site's page started. Browsers that send Sec-Fetch-Site are trusted on it (they
    also send `Origin: null` on same-origin form posts under a no-referrer policy); others are judged by Origin."""
    fetch_site = headers.get("sec-fetch-site", "")
    if fetch_site:
        return fetch_site not in {"same-origin", "none"}
    origin = headers.get("origin", "")
    return bool(origin) and (origin == "null" or urlsplit(origin).netloc != headers.get("host", ""))


def _json_body(headers: dict[str, str]) -> bool:
    """API writes carry JSON or no body at all: a cross-site form cannot send JSON without a preflight we never
    answer, so this also keeps other sites' forms away from the API."""
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or (not kind and headers.get("content-length", "0") in {"", "0"})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """The body already read, then the connection's own messages (a stream learns of a disconnect from them)."""
    queue = list(messages)

    async def replayed() -> Message:
        return queue.pop(0) if queue else await receive()

    return replayed


def _with_headers(send: Send, path: str) -> Send:
    csp = FILE_CSP if path.startswith("/files/") else PAGE_CSP

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                     (b"x-frame-options", b"SAMEORIGIN"), (b"referrer-policy", b"same-origin"),
                     (b"cross-origin-opener-policy", b"same-origin")]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _refuse(send: Send, scope: Scope, status: int, message: str) -> None:
    """The refusal as JSON under /api/ (the CLI's one line) and as a small page elsewhere."""
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"error": message}).encode(), b"application/json"
    else:
        text = html.escape(message)
        body = (f"<!doctype html><html lang=en><meta charset=utf-8><title>Socialplan</title>"
                f"<p>error: {text}</p></html>").encode()
        kind = b"text/html; charset=utf-8"
    await _with_headers(send, scope["path"])({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
