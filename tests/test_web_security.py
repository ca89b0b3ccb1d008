"""The web app's defences: files only from inside the output root, the token, CSRF, cross-site and non-JSON writes,
body caps, hostile brief uploads, security headers and escaped user text.

Most checks use the in-process client (tests/web.py `client`); paths a client library would normalise (`../`),
a chunked body on a real socket, the token of a real process, `serve --host 0.0.0.0` without a token and a server
that keeps answering while hostile uploads arrive use real `socialplan serve` processes (`served`).
"""

from __future__ import annotations

import html
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.conftest import EXAMPLES, socialplan
from tests.test_interview import ANSWERS
from tests.web import client, free_port, served

pytestmark = pytest.mark.xdist_group("web_security")
SECRET = "SECRET-d41d8cd98f"
TOKEN = "tok-" + "s3cr3t" * 4
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
NAME_XSS = XSS.replace('"', "'")  # for file names and YAML values
MIB = 1024 * 1024
TOO_LARGE = "the request is larger than 8 MiB"
BOMB = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)])
HOSTILE = {  # file name -> bytes of a brief the parser refuses
    "malformed.yaml": b"business:\n  name: [Loop\n  model: b2c\n",
    "bomb.yaml": BOMB.encode(),
    "deep.yaml": b"a: " + b"[" * 5000 + b"]" * 5000,
    "deep.json": b'{"a": ' + b"[" * 50000 + b"]" * 50000 + b"}",
    "latin1.yaml": "business:\n  name: Café Noël\n".encode("latin-1"),
    "huge.yaml": b"notes: " + b"x" * (MIB + 16) + b"\n",
}


# --- helpers ---------------------------------------------------------------------------------------------------------


def cli_line(folder: Path, name: str, data: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    """The line `socialplan plan NAME` prints after `error: ` for a file holding `data` (run in `folder`)."""
    (folder / name).write_bytes(data)
    monkeypatch.chdir(folder)
    result = socialplan("plan", name, "--offline", "--out", str(folder / "cli-out"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    return result.stderr.removeprefix("error: ").strip()


def csrf_of(c: TestClient | httpx.Client) -> str:
    """This browser's CSRF token (GET / sets the cookie the first time)."""
    c.get("/")
    return str(c.cookies["socialplan_csrf"])


def written(out: Path) -> list[str]:
    """Everything under the output root but the session store and its per-session lock files: client folders,
    uploads."""
    if not out.exists():
        return []
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if not p.name.startswith("sessions.sqlite") and p.relative_to(out).parts[0] != ".locks")


def refused(reply: Any, status: int, line: str) -> None:
    """`reply` is an error with this status and line: JSON under /api/, a page (the line after `error: `) elsewhere."""
    assert reply.status_code == status, reply.text[-300:]
    if reply.request.url.path.startswith("/api/"):
        assert reply.json() == {"error": line}
    else:
        assert reply.headers["content-type"].startswith("text/html")
        assert f"error: {line}" in html.unescape(reply.text)


def directives(response: Any) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    policy = response.headers["content-security-policy"]
    pairs = (part.strip().partition(" ") for part in policy.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


def plan_into(out: Path, brief: Path = EXAMPLES / "rosas-taqueria.yaml") -> Path:
    """`socialplan plan BRIEF --offline --out OUT` in this process; its version folder."""
    result = socialplan("plan", str(brief), "--offline", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET `path` exactly as written (no client-side normalisation of `..` or `//`)."""
    where = urlsplit(url)
    conn = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One output root with Rosa's plan, made once for the module (each test gets its own copy)."""
    out = tmp_path_factory.mktemp("planned") / "out"
    plan_into(out)
    return out


@pytest.fixture
def root(tmp_path: Path, planned: Path) -> Path:
    """An output root with one plan, and ways out of it: a secret beside the root, a symlink to it inside a version
    folder, a symlinked client folder and a symlinked version folder (both leading to a plan outside the root)."""
    out = tmp_path / "out"
    shutil.copytree(planned, out)
    folder = out / "rosas-taqueria" / "v1"
    (tmp_path / "secret.txt").write_text(SECRET)
    outside = tmp_path / "outside" / "v1"
    shutil.copytree(folder, outside)
    plan = json.loads((outside / "plan.json").read_text())
    plan["brief"]["business"]["name"] = SECRET
    (outside / "plan.json").write_text(json.dumps(plan))
    (outside / "strategy.md").write_text(SECRET)
    (folder / "leak.md").symlink_to(tmp_path / "secret.txt")
    (out / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (folder.parent / "v2").symlink_to(outside, target_is_directory=True)
    return out


# --- files: nothing outside the root ---------------------------------------------------------------------------------

TRAVERSALS = [
    "/files/%2e%2e/%2e%2e/secret.txt", "/files/rosas-taqueria/%2e%2e/secret.txt",
    "/files/rosas-taqueria/v1/%2e%2e", "/files/rosas-taqueria/v1/..%2f..%2f..%2fsecret.txt",
    "/files/rosas-taqueria/v1/..%5c..%5c..%5csecret.txt", "/files/%2e%2e%2f%2e%2e/v1/secret.txt",
    "/files/rosas-taqueria/v1/%2Fetc%2Fpasswd", "/files/rosas-taqueria/v1/%00secret.txt",
    "/files/rosas-taqueria/v1/leak.md", "/files/linked/v1/plan.json", "/files/linked/v1/strategy.md",
    "/files/rosas-taqueria/v2/strategy.md", "/files/rosas-taqueria/v2/plan.json", "/files/.uploads/x/y",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_output_root_is_served(path: str, root: Path) -> None:
    with client(root) as c:
        reply = c.get(path)
        absolute = c.get(f"/files/rosas-taqueria/v1/{quote(str(root.parent / 'secret.txt'), safe='')}")
    for answer in (reply, absolute):
        assert answer.status_code == 404, (path, answer.text[:200])
        assert SECRET not in answer.text


def test_the_api_never_reads_a_plan_through_a_symlink(root: Path) -> None:
    with client(root) as c:
        clients = c.get("/api/clients")
        linked = [c.get("/api/clients/linked/versions"), c.get("/api/clients/linked/versions/1"),
                  c.get("/api/clients/rosas-taqueria/versions/2")]
        history = c.get("/api/clients/rosas-taqueria/versions")
        page = c.get("/clients")
        good = c.get("/files/rosas-taqueria/v1/plan.json")
    assert good.status_code == 200 and good.json()["brief"]["business"]["name"] == "Rosa's Taqueria"
    assert [r.status_code for r in linked] == [404, 404, 404]
    for reply in (clients, history, page, *linked):
        assert SECRET not in reply.text
    assert [row["client"] for row in clients.json()] == ["rosas-taqueria"]
    assert [row["version"] for row in history.json()] == [1]


@pytest.mark.timeout(120)
def test_a_real_server_serves_nothing_outside_the_root_by_raw_paths(root: Path) -> None:
    secret = root.parent / "secret.txt"
    paths = ["/files/../../secret.txt", "/files/rosas-taqueria/../../secret.txt",
             "/files/rosas-taqueria/v1/../../../secret.txt", "/files/rosas-taqueria/v1/../../v1/leak.md",
             f"/files/rosas-taqueria/v1/{secret}", f"/files/rosas-taqueria/v1/..{secret}", "/../secret.txt",
             "/files/rosas-taqueria/v1/..\\..\\..\\secret.txt", "/files/./rosas-taqueria/./v1/leak.md"]
    with served(root) as url:
        replies = {path: raw_get(url, path) for path in paths}
        good = raw_get(url, "/files/rosas-taqueria/v1/strategy.md")
    assert good[0] == 200 and b"Rosa" in good[1]
    for path, (status, body) in replies.items():
        assert status == 404, (path, status)
        assert SECRET.encode() not in body, path


# --- serve: the token ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("--host", "0.0.0.0"), ("--host", "::"), ("--host", "192.0.2.7"),
                                  ("--host", "0.0.0.0", "--token", "")])
def test_serve_on_a_public_address_without_a_token_refuses_to_start(args: tuple[str, ...], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOCIALPLAN_TOKEN"}
    command = [sys.executable, "-m", "agent.cli", "serve", "--out", str(tmp_path / "out"), "--offline",
               "--port", str(free_port()), *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)  # a listening one hangs
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: --host {args[1]} is reachable from other machines: set a token with "
                                    "--token or SOCIALPLAN_TOKEN")
    assert not (tmp_path / "out").exists()


def test_serve_refuses_a_short_token(tmp_path: Path) -> None:
    result = socialplan("serve", "--out", str(tmp_path / "out"), "--token", "short", "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stderr == "error: the token is too short: use at least 16 characters\n"


def test_with_a_token_every_request_needs_it(root: Path) -> None:
    with client(root, token=TOKEN) as c:
        refusals = [c.get("/api/sessions"), c.get("/"), c.get("/files/rosas-taqueria/v1/plan.json"),
                   c.get("/api/sessions", headers={"Authorization": "Bearer wrong-token-123456"}),
                   c.get("/api/sessions", headers={"Authorization": f"Basic {TOKEN}"}),
                   c.get("/api/sessions", headers={"Cookie": "socialplan_token=wrong-token-123456"}),
                   c.post("/api/sessions", json={})]
        bearer = c.get("/api/sessions", headers={"Authorization": f"Bearer {TOKEN}"})
        wrong_link = c.get("/signin?token=wrong-token-123456", follow_redirects=False)
        cookie_after_wrong = c.cookies.get("socialplan_token")
        link = c.get(f"/signin?token={TOKEN}", follow_redirects=False)
        after = [c.get("/api/sessions"), c.get("/"), c.get("/files/rosas-taqueria/v1/plan.json")]
    for reply in refusals:
        refused(reply, 401, "sign in first: open the sign-in link the server printed (or send 'Authorization: Bearer')")
    assert not (root / ".uploads").exists() and bearer.status_code == 200 and bearer.json() == []
    assert wrong_link.status_code == 401 and cookie_after_wrong is None
    assert link.status_code == 303 and link.headers["location"] == "/"
    cookie = link.headers["set-cookie"]
    assert cookie.startswith(f"socialplan_token={TOKEN};") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert [r.status_code for r in after] == [200, 200, 200]


@pytest.mark.timeout(120)
def test_a_real_server_with_a_token_prints_its_sign_in_link(tmp_path: Path) -> None:
    with served(tmp_path / "out", "--token", TOKEN) as url:
        base = url.split("signin?")[0]
        assert url == f"{base}signin?token={TOKEN}"
        with httpx.Client(base_url=base, timeout=30) as anonymous:
            missing = anonymous.get("/api/sessions")
            wrong = anonymous.get("/api/sessions", headers={"Authorization": "Bearer wrong-token-123456"})
            bearer = anonymous.get("/api/sessions", headers={"Authorization": f"Bearer {TOKEN}"})
        with httpx.Client(timeout=30, follow_redirects=True) as browser:
            home = browser.get(url)
            later = browser.get(f"{base}api/sessions")
    assert (missing.status_code, wrong.status_code, bearer.status_code) == (401, 401, 200)
    assert home.status_code == 200 and "<form" in home.text
    assert later.status_code == 200 and later.json() == []


# --- cross-site writes, CSRF, JSON only, body caps ----------------------------------------------------------------


def test_a_form_without_the_right_csrf_token_is_refused_and_writes_nothing(root: Path) -> None:
    before = written(root)
    brief = ("rosa.yaml", (EXAMPLES / "rosas-taqueria.yaml").read_bytes())
    with client(root) as c:
        missing = c.post("/sessions", files={"brief": brief})
        token = csrf_of(c)
        wrong = [c.post("/sessions", files={"brief": brief}, data={"csrf": token[::-1]}),
                 c.post("/sessions", data={"csrf": ""}),
                 c.post("/batch", files=[("briefs", brief)], data={"csrf": "forged"}),
                 c.post("/clients/rosas-taqueria/v1/replan", data={"csrf": "forged", "words": "budget is 9"})]
        sessions = c.get("/api/sessions").json()
        other = TestClient(c.app, base_url="http://127.0.0.1:8000")  # another browser: no cookie, the same token
        stolen = other.post("/sessions", data={"csrf": token})
    for reply in [missing, *wrong, stolen]:
        refused(reply, 403, "the form has expired or came from another site; reload the page and try again")
    assert sessions == [] and written(root) == before


def test_a_session_answer_with_a_forged_csrf_token_changes_nothing(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        session = c.post("/api/sessions", json={}).json()["id"]
        token = csrf_of(c)
        forged = c.post(f"/sessions/{session}/answer", data={"csrf": "forged", "answer": "Evil Corp"})
        state = c.get(f"/api/sessions/{session}").json()
        good = c.post(f"/sessions/{session}/answer", data={"csrf": token, "answer": "Loop Coffee"},
                      follow_redirects=False)
    assert forged.status_code == 403 and state["asked"] == 0 and state["client"] == ""
    assert good.status_code == 303 and good.headers["location"] == f"/sessions/{session}"


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Origin": "http://127.0.0.1:9999"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"}])
def test_a_cross_site_write_is_refused(headers: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    with client(out) as c:
        token = csrf_of(c)
        api = c.post("/api/sessions", json={}, headers=headers)
        form = c.post("/sessions", data={"csrf": token}, headers=headers)
        batch = c.post("/api/batch", json={"briefs": [{"name": "a.yaml", "text": "a: 1"}]}, headers=headers)
        same = c.post("/api/sessions", json={}, headers={"Origin": "http://127.0.0.1:8000",
                                                         "Sec-Fetch-Site": "same-origin"})
        # Chromium sends `Origin: null` on a same-origin form post when the page's referrer policy hides it
        opaque = c.post("/sessions", data={"csrf": token}, follow_redirects=False,
                        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
        sessions = c.get("/api/sessions").json()
    for reply in (api, form, batch):
        refused(reply, 403, "a request from another site was refused")
    assert same.status_code == 201 and opaque.status_code == 303
    assert sorted(s["id"] for s in sessions) == sorted([same.json()["id"], opaque.headers["location"].split("/")[-1]])
    assert written(out) == []


@pytest.mark.parametrize(("content", "kind"), [
    (b'{"answer": "x"}', "text/plain"), (b"answer=x", "application/x-www-form-urlencoded"),
    (b'{"answer": "x"}', "application/json-seq"), (b"<answer/>", "application/xml"),
])
def test_an_api_write_that_is_not_json_is_415(content: bytes, kind: str, tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        replies = [c.post(path, content=content, headers={"Content-Type": kind})
                   for path in ("/api/sessions", "/api/batch", "/api/sessions/x/answers",
                                "/api/clients/x/versions/1/replan")]
        multipart = c.post("/api/sessions", files={"brief": ("b.yaml", b"a: 1")})
        sessions = c.get("/api/sessions").json()
    for reply in (*replies, multipart):
        refused(reply, 415, "send JSON (Content-Type: application/json)")
    assert sessions == []


def test_a_body_over_8_mib_is_413_with_a_length_or_chunked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    big = b'{"brief": "' + b"x" * (8 * MIB) + b'"}'
    with client(out) as c:
        token = csrf_of(c)
        sized = c.post("/api/sessions", content=big, headers={"Content-Type": "application/json"})
        chunked = c.post("/api/sessions", content=iter([big[i:i + MIB] for i in range(0, len(big), MIB)]),
                         headers={"Content-Type": "application/json"})
        upload = c.post("/sessions", files={"brief": ("big.yaml", big)}, data={"csrf": token})
        sessions = c.get("/api/sessions").json()
    assert "content-length" not in chunked.request.headers and chunked.request.headers["transfer-encoding"] == "chunked"
    for reply in (sized, chunked, upload):
        refused(reply, 413, TOO_LARGE)
    assert sessions == [] and written(out) == []


@pytest.mark.timeout(120)
def test_a_real_server_refuses_a_chunked_body_that_grows_past_8_mib(tmp_path: Path) -> None:
    chunk = b"x" * (64 * 1024)
    with served(tmp_path / "out") as url:
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(url).port, timeout=60)
        try:
            conn.putrequest("POST", "/api/sessions")
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for _ in range(8 * 16 + 1):  # 8 MiB and one chunk more: all of it read before the server refuses
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            reply = conn.getresponse()
            status, body = reply.status, json.loads(reply.read())
        finally:
            conn.close()
        sessions = httpx.get(f"{url}api/sessions", timeout=30).json()
    assert status == 413 and body == {"error": TOO_LARGE}
    assert sessions == [] and written(tmp_path / "out") == []


# --- hostile brief uploads -----------------------------------------------------------------------------------------


@pytest.mark.timeout(15)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_brief_upload_is_400_with_the_brief_line_and_writes_nothing(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = cli_line(tmp_path, name, HOSTILE[name], monkeypatch)
    out = tmp_path / "out"
    with client(out) as c:
        page = c.post("/sessions", files={"brief": (name, HOSTILE[name])}, data={"csrf": csrf_of(c)})
        api = None if name == "latin1.yaml" else \
            c.post("/api/sessions", json={"brief": HOSTILE[name].decode("utf-8"), "brief_name": name})
        sessions = c.get("/api/sessions").json()
        clients = c.get("/api/clients").json()
    assert line.startswith(f"{name}: ")
    refused(page, 400, line)
    if api is not None:  # JSON carries text: the API never sees undecodable bytes
        refused(api, 400, line)
    assert sessions == [] and clients == [] and written(out) == []


def answer_all(base: str, answers: list[str]) -> tuple[list[tuple[str, str | None]], dict[str, Any]]:
    """A whole session through the API of a real server: (status, question id) after each answer, and the end."""
    with httpx.Client(base_url=base, timeout=120) as api:
        session = api.post("/api/sessions", json={}).json()["id"]
        seen = []
        for text in answers:
            reply = api.post(f"/api/sessions/{session}/answers", json={"answer": text})
            assert reply.status_code == 200, reply.text
            body = reply.json()
            seen.append((body["status"], body["prompt"]["id"] if body["prompt"] else None))
        return seen, api.get(f"/api/sessions/{session}").json()


def hostile_uploads(base: str, name: str, stop: threading.Event) -> list[tuple[int, str]]:
    """Upload one hostile brief again and again (as a form, as a browser would) until `stop` is set."""
    results = []
    with httpx.Client(base_url=base, timeout=120) as browser:
        token = csrf_of(browser)
        while not stop.is_set() or not results:
            reply = browser.post("/sessions", files={"brief": (name, HOSTILE[name])}, data={"csrf": token})
            results.append((reply.status_code, reply.text))
    return results


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_the_server_keeps_answering_a_session_while_hostile_uploads_arrive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = {name: cli_line(tmp_path, name, data, monkeypatch) for name, data in HOSTILE.items()}
    out = tmp_path / "out"
    stop = threading.Event()
    uploads: dict[str, list[tuple[int, str]]] = {}
    with served(out) as base:
        threads = [threading.Thread(target=lambda n=name: uploads.__setitem__(n, hostile_uploads(base, n, stop)))
                   for name in HOSTILE]
        for thread in threads:
            thread.start()
        try:
            busy, busy_end = answer_all(base, ANSWERS)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
        alone, _ = answer_all(base, ANSWERS)
    assert busy == alone and busy[-1] == ("done", None)
    assert busy_end["status"] == "done" and busy_end["client"] == "Loop Coffee"
    plan = json.loads((Path(busy_end["output"]) / "plan.json").read_text())
    assert plan["brief"]["business"]["name"] == "Loop Coffee"
    assert sorted(uploads) == sorted(HOSTILE)
    for name, results in uploads.items():
        assert {status for status, _ in results} == {400}, name
        assert all(f"error: {lines[name]}" in html.unescape(text) for _, text in results), name
    kept = sorted(p.name for p in out.iterdir() if not p.name.startswith("sessions.sqlite"))
    assert kept == [".locks", "loop-coffee"]


# --- headers and escaping --------------------------------------------------------------------------------------------


def test_security_headers_on_pages_api_files_and_refusals(root: Path) -> None:
    with client(root) as c:
        replies = {"page": c.get("/"), "clients": c.get("/clients"), "api": c.get("/api/sessions"),
                   "api error": c.get("/api/sessions/nope"), "file": c.get("/files/rosas-taqueria/v1/strategy.html"),
                   "svg": c.get("/files/rosas-taqueria/v1/chart-budget.svg"), "static": c.get("/static/app.js"),
                   "refusal": c.post("/api/sessions", content=b"x", headers={"Content-Type": "text/plain"}),
                   "missing file": c.get("/files/rosas-taqueria/v1/nope.md")}
    with client(root, token=TOKEN) as c:
        replies["unauthorised"] = c.get("/")
    for what, reply in replies.items():
        policy = directives(reply)
        scripts = policy.get("script-src", policy.get("default-src", ""))
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, what
        assert policy["frame-ancestors"] in {"'self'", "'none'"}, what
        assert reply.headers["x-content-type-options"] == "nosniff", what
        assert reply.headers["referrer-policy"] == "same-origin", what  # tokens in URLs never leave the site
    assert "sandbox" in directives(replies["file"]) and directives(replies["file"])["default-src"] == "'none'"
    assert replies["file"].headers["content-type"].startswith("text/html")


def xss_brief(tmp_path: Path) -> Path:
    """The Rosa's Taqueria brief with a business name that is markup."""
    text = (EXAMPLES / "rosas-taqueria.yaml").read_text(encoding="utf-8")
    path = tmp_path / "xss.yaml"
    path.write_text(text.replace("Rosa's Taqueria", NAME_XSS), encoding="utf-8")
    return path


def test_a_business_name_that_is_markup_is_escaped_on_every_page(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        session = c.post("/api/sessions", json={}).json()["id"]
        c.post(f"/api/sessions/{session}/answers", json={"answer": XSS})
        home = c.get("/").text
        c.post(f"/api/sessions/{session}/answers", json={"answer": "back"})
        question = c.get(f"/sessions/{session}").text
    assert XSS not in home and str(escape(XSS)) in home
    assert XSS not in question and str(escape(XSS)) in question


def test_a_planned_business_name_that_is_markup_is_escaped(tmp_path: Path) -> None:
    name = NAME_XSS
    folder = plan_into(tmp_path / "out", xss_brief(tmp_path))
    client_name, version = folder.parent.name, folder.name
    with client(tmp_path / "out") as c:
        pages = {"clients": c.get("/clients"), "client": c.get(f"/clients/{client_name}"),
                 "plan": c.get(f"/clients/{client_name}/{version}")}
        api = c.get("/api/clients").json()
    assert api[0]["name"] == name  # JSON keeps the text as given; pages escape it
    for what, reply in pages.items():
        assert reply.status_code == 200, what
        assert name not in reply.text and "<script>alert" not in reply.text, what
        assert str(escape(name)) in reply.text, what


def test_a_batch_file_name_that_is_markup_is_escaped(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        files = [("briefs", (f"{NAME_XSS}.yaml", b"a: [1")),
                 ("briefs", ("rosa.yaml", (EXAMPLES / "rosas-taqueria.yaml").read_bytes()))]
        moved = c.post("/batch", files=files, data={"csrf": csrf_of(c)}, follow_redirects=False)
        assert moved.status_code == 303, moved.text
        c.get(f"/api/jobs/{moved.headers['location'].rsplit('/', 1)[-1]}/events")  # until it is done
        browser = TestClient(c.app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
        page = browser.get(moved.headers["location"])
    assert page.status_code == 200, page.text[-300:]
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert f"{escape(NAME_XSS)}.yaml" in page.text and "planned" in page.text


def test_a_brief_file_name_that_is_markup_is_escaped_in_the_error(tmp_path: Path) -> None:
    name = f"{NAME_XSS}.yaml"
    with client(tmp_path / "out") as c:
        page = c.post("/sessions", files={"brief": (name, b"a: [1")}, data={"csrf": csrf_of(c)})
    assert page.status_code == 400
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert f"error: {name}: line 2: malformed YAML" in html.unescape(page.text)


def test_upload_names_never_write_outside_the_root(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = ["../../../escape.yaml", str(tmp_path / "absolute.yaml"), "..\\..\\windows.yaml", ".hidden.yaml", ""]
    with client(out) as c:
        reply = c.post("/api/batch", json={"briefs": [{"name": n, "text": "a: [1"} for n in names]})
        job = c.get(f"/api/jobs/{reply.json()['id']}/events")
    assert reply.status_code == 202 and "event: done" in job.text
    outside = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()
                     and not p.is_relative_to(out))
    assert outside == []
    assert all(p.parent.parent == out / ".uploads" for p in out.rglob("*.yaml"))
    assert len(list(out.rglob("*.yaml"))) == len(names)


def test_a_request_for_another_host_name_is_refused(tmp_path: Path) -> None:
    """DNS rebinding: a page on rebind.example, its name pointed at 127.0.0.1, is same-origin with itself; without
    a token only loopback host names may be served."""
    rebound = {"Host": "rebind.example:8000", "Origin": "http://rebind.example:8000"}
    with client(tmp_path / "out") as c:
        read = c.get("/api/sessions", headers={"Host": rebound["Host"]})
        write = c.post("/api/sessions", json={}, headers=rebound)
        loopback = [c.get("/api/sessions", headers={"Host": host})
                    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1")]
        sessions = c.get("/api/sessions").json()
    for reply in (read, write):
        assert reply.status_code in {400, 403, 421}, reply.text
        assert set(reply.json()) == {"error"}
    assert [r.status_code for r in loopback] == [200] * 4
    assert sessions == []
