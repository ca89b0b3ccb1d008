"""The JSON API through the framework's test client (tests/web.py `client`, in this process, fixed clock).

Every endpoint and its errors: status codes and the exact one-line JSON errors, compared with the line the CLI
prints after `error: ` for the same problem (a bad brief, a bad `--set`); the OpenAPI schema lists every /api/
path; a whole interview through the API ends in a plan folder `socialplan history` lists, and a plan made by
`socialplan plan` into the same output root shows up in the API; replans by words and by `--set`; a batch with
one bad brief; answers on a background job followed by polling and by the server-sent event stream; 404s for
unknown sessions, clients, versions and jobs; 409 for an answer to a finished session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from agent.web import api
from tests.conftest import EXAMPLES, socialplan
from tests.test_interview import ANSWERS
from tests.web import client

API_PATHS = {
    "/api/sessions", "/api/sessions/{session}", "/api/sessions/{session}/answers", "/api/jobs/{job_id}",
    "/api/jobs/{job_id}/events", "/api/clients", "/api/clients/{client}/versions",
    "/api/clients/{client}/versions/{version}", "/api/clients/{client}/versions/{version}/replan", "/api/batch",
}
BOMB = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                 + [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)])
BAD_BRIEFS = {  # file name -> text: each is refused by the brief parser, on the command line and in the API
    "malformed.yaml": "business:\n  name: [Loop\n",
    "bomb.yaml": BOMB,
    "deep.yaml": "a: " + "[" * 200 + "]" * 200,
    "deep.json": '{"a": ' + "[" * 5000 + "]" * 5000 + "}",
    "broken.json": '{"business": {"name": "Loop"',
    "empty.yaml": "  \n",
    "control.yaml": "business:\n  name: Lo\x01op\n",
    "list.yaml": "- business\n- audience\n",
}


def cli_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The line `socialplan ARGS` prints after `error: ` (run in tmp_path, so relative file names match)."""
    monkeypatch.chdir(tmp_path)
    result = socialplan(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith("error: "), result.stderr
    return lines[0].removeprefix("error: ")


def cli_plan(brief: Path, out: Path) -> Path:
    """`socialplan plan BRIEF --offline --out OUT` in this process; the version folder it printed last."""
    result = socialplan("plan", str(brief), "--offline", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def start(c: TestClient, brief: Path | None = None) -> dict[str, Any]:
    """POST /api/sessions (pre-filled from `brief` when given): 201 and the new session."""
    body = {"brief": brief.read_text(encoding="utf-8"), "brief_name": brief.name} if brief else None
    reply = c.post("/api/sessions", json=body)
    assert reply.status_code == 201, reply.text
    return reply.json()  # type: ignore[no-any-return]


def to_confirm(c: TestClient, brief: Path) -> str:
    """A session pre-filled from `brief`, its remaining questions answered with their defaults: the confirm step."""
    session = start(c, brief)
    for _ in range(session["total"]):
        if session["status"] == "confirming":
            return str(session["id"])
        session = answer(c, session["id"], "")
    raise AssertionError(f"never reached the confirm step: {session}")


def answer(c: TestClient, session: str, text: str, wait: bool = True) -> dict[str, Any]:
    """POST an answer; 200 and the session (wait) or 202 and the job."""
    reply = c.post(f"/api/sessions/{session}/answers", json={"answer": text, "wait": wait})
    assert reply.status_code == (200 if wait else 202), reply.text
    return reply.json()  # type: ignore[no-any-return]


def error_of(reply: Any, status: int) -> str:
    """The one error line of a JSON error reply with this status."""
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/json"
    body = reply.json()
    assert set(body) == {"error"} and "\n" not in body["error"], body
    return str(body["error"])


def finished_job(c: TestClient, job_id: str) -> dict[str, Any]:
    """GET /api/jobs/{id} once the job is done (the event stream blocks until then)."""
    c.get(f"/api/jobs/{job_id}/events")
    job = c.get(f"/api/jobs/{job_id}").json()
    assert job["finished"], job
    return job  # type: ignore[no-any-return]


def test_the_openapi_schema_lists_every_api_path(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        schema = c.get("/openapi.json").json()
        docs = c.get("/api/docs")
    listed = {path for path in schema["paths"] if path.startswith("/api/")}
    assert listed == API_PATHS == {route.path for route in api.router.routes}  # type: ignore[attr-defined]
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert not any(path.startswith(("/sessions", "/clients", "/files", "/batch")) for path in schema["paths"])
    assert schema["paths"]["/api/sessions/{session}/answers"]["post"]["requestBody"]["content"]["application/json"]


def test_a_whole_interview_through_the_api_ends_in_a_plan_the_cli_lists(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with client(out) as c:
        session = start(c)
        assert session["status"] == "asking" and session["prompt"]["id"] == "name"
        steps = [answer(c, session["id"], text) for text in ANSWERS]
        assert [s["status"] for s in steps] == ["asking"] * 22 + ["confirming", "done"]
        assert steps[-2]["prompt"]["kind"] == "confirm" and "Loop Coffee" in steps[-2]["prompt"]["summary"]
        done = c.get(f"/api/sessions/{session['id']}").json()
        late = c.post(f"/api/sessions/{session['id']}/answers", json={"answer": "yes"})
        listed = [row["id"] for row in c.get("/api/sessions").json()]
    assert done == steps[-1]
    assert done["status"] == "done" and done["client"] == "Loop Coffee" and done["prompt"] is None
    assert Path(done["output"]) == out / "loop-coffee" / "v1"
    assert error_of(late, 409) == f"session '{session['id']}' is not waiting for an answer (it is done)"
    assert listed == [session["id"]]
    history = socialplan("history", str(out / "loop-coffee"), "--json")
    assert history.returncode == 0, history.stderr
    rows = json.loads(history.stdout)
    assert rows["client"] == "loop-coffee" and [r["version"] for r in rows["versions"]] == [1]
    assert rows["versions"][0]["goal"] == "sales" and rows["versions"][0]["budget"] == "3,000 GBP"


def test_a_plan_the_cli_made_in_the_same_root_is_served_by_the_api(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with client(out) as c:
        assert c.get("/api/clients").json() == []
        folder = cli_plan(EXAMPLES / "acme-analytics.yaml", out)
        clients = c.get("/api/clients").json()
        versions = c.get("/api/clients/acme-analytics/versions").json()
        detail = c.get("/api/clients/acme-analytics/versions/1").json()
        plan = c.get("/files/acme-analytics/v1/plan.json")
    assert folder == out / "acme-analytics" / "v1"
    assert [(r["client"], r["name"], r["versions"]) for r in clients] == [("acme-analytics", "Acme Analytics", 1)]
    assert clients[0]["latest"] == versions[-1] and versions[0]["change"] == "first plan"
    assert detail["folder"] == str(folder) and detail["changes"] is None
    assert {"name": "plan.json", "url": "/files/acme-analytics/v1/plan.json"} in detail["files"]
    assert {f["name"] for f in detail["files"]} == {p.name for p in folder.iterdir() if p.is_file()}
    assert plan.status_code == 200 and plan.json()["brief"]["business"]["name"] == "Acme Analytics"


def test_replan_by_words_and_by_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli_plan(EXAMPLES / "acme-analytics.yaml", out)
    with client(out) as c:
        words = c.post("/api/clients/acme-analytics/versions/1/replan", json={"words": "budget is 2500"})
        sets = c.post("/api/clients/acme-analytics/versions/1/replan", json={"set": ["goals.primary=sales"]})
        both = c.post("/api/clients/acme-analytics/versions/2/replan",
                      json={"set": ["resources.team_hours_per_week=6"], "words": "add tiktok"})
        rows = c.get("/api/clients/acme-analytics/versions").json()
    assert (words.status_code, sets.status_code, both.status_code) == (201, 201, 201), both.text
    assert [words.json()["version"], sets.json()["version"], both.json()["version"]] == [2, 3, 4]
    assert "resources.monthly_budget | 4000 | 2500" in words.json()["changes"]
    assert "goals.primary | leads | sales" in sets.json()["changes"]
    assert "v2 → v4" in both.json()["changes"] and "resources.team_hours_per_week" in both.json()["changes"]
    assert [(r["version"], r["parent"]) for r in rows] == [(1, None), (2, 1), (3, 1), (4, 2)]
    cli = json.loads(socialplan("history", str(out / "acme-analytics"), "--json").stdout)
    assert cli["versions"] == rows


def test_replan_errors_are_the_cli_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    folder = cli_plan(EXAMPLES / "acme-analytics.yaml", out)
    with client(out) as c:
        replies = {edit: c.post("/api/clients/acme-analytics/versions/1/replan", json={"set": [edit]})
                   for edit in ("nonsense", "budget.monthly_total=4000", "resources.monthly_budget=lots")}
        empty = c.post("/api/clients/acme-analytics/versions/1/replan", json={"set": [" "], "words": ""})
        missing = c.post("/api/clients/acme-analytics/versions/7/replan", json={"words": "budget is 2500"})
        nobody = c.post("/api/clients/nobody/versions/1/replan", json={"words": "budget is 2500"})
    for edit, reply in replies.items():
        assert error_of(reply, 400) == cli_error(tmp_path, monkeypatch, "replan", str(folder), "--set", edit,
                                                 "--offline")
    assert error_of(empty, 400) == "nothing to change: give a --set edit (path=value) or a change in words"
    assert error_of(missing, 404) == "acme-analytics has no version 7"
    assert error_of(nobody, 404) == "no file 'nobody' in the output folder"
    assert sorted(p.name for p in (out / "acme-analytics").iterdir()) == ["v1"]  # nothing written


@pytest.mark.parametrize("name", sorted(BAD_BRIEFS))
def test_a_bad_brief_is_the_line_socialplan_plan_prints(name: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / name).write_text(BAD_BRIEFS[name], encoding="utf-8")
    expected = cli_error(tmp_path, monkeypatch, "plan", name, "--offline", "--out", str(tmp_path / "cli"))
    with client(tmp_path / "out") as c:
        reply = c.post("/api/sessions", json={"brief": BAD_BRIEFS[name], "brief_name": name})
        sessions = c.get("/api/sessions").json()
    assert error_of(reply, 400) == expected
    assert expected.startswith(f"{name}: ")
    assert sessions == []


def test_a_brief_over_a_mebibyte_is_the_cli_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "notes: " + "x" * (1024 * 1024) + "\n"
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
    expected = cli_error(tmp_path, monkeypatch, "plan", "big.yaml", "--offline", "--out", str(tmp_path / "cli"))
    with client(tmp_path / "out") as c:
        reply = c.post("/api/sessions", json={"brief": text, "brief_name": "big.yaml"})
    assert error_of(reply, 400) == expected == "big.yaml: file: is larger than 1 MiB; a brief is a few KB of text"


def test_a_batch_of_three_with_one_bad_brief_plans_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = "business:\n  name: [Broken\n"
    (tmp_path / "broken.yaml").write_text(bad, encoding="utf-8")
    expected = cli_error(tmp_path, monkeypatch, "plan", "broken.yaml", "--offline", "--out", str(tmp_path / "cli"))
    briefs = [{"name": "acme.yaml", "text": (EXAMPLES / "acme-analytics.yaml").read_text(encoding="utf-8")},
              {"name": "broken.yaml", "text": bad},
              {"name": "rosa.yaml", "text": (EXAMPLES / "rosas-taqueria.yaml").read_text(encoding="utf-8")}]
    with client(tmp_path / "out") as c:
        reply = c.post("/api/batch", json={"briefs": briefs})
        assert reply.status_code == 202, reply.text
        assert reply.json()["kind"] == "batch"
        job = finished_job(c, reply.json()["id"])
        clients = [row["client"] for row in c.get("/api/clients").json()]
    items = {e["data"]["source"]: e["data"] for e in job["events"] if e["kind"] == "item"}
    assert [e["kind"] for e in job["events"]] == ["item"] * 3 + ["done"]
    assert job["events"][-1]["data"] == {"status": "ok", "planned": 2, "total": 3}
    assert {name: i["status"] for name, i in items.items()} == {"acme.yaml": "ok", "broken.yaml": "bad input",
                                                                "rosa.yaml": "ok"}
    assert items["broken.yaml"]["error"] == expected and items["broken.yaml"]["url"] == ""
    assert items["acme.yaml"]["url"] == "/clients/acme-analytics/v1"
    assert items["acme.yaml"]["client"] == "Acme Analytics"
    assert clients == ["acme-analytics", "rosas-taqueria"]


@pytest.mark.parametrize(("body", "line"), [
    ({"briefs": []}, "briefs: List should have at least 1 item after validation, not 0"),
    ({"briefs": [{"name": "a.yaml"}]}, "briefs.0.text: Field required"),
    ({}, "briefs: Field required"),
])
def test_a_malformed_batch_is_422(body: dict[str, Any], line: str, tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        assert error_of(c.post("/api/batch", json=body), 422) == line


def test_an_answer_on_a_job_returns_202_and_its_events_end_in_done(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        session = to_confirm(c, EXAMPLES / "rosas-taqueria.yaml")
        job = answer(c, session, "", wait=False)
        assert job["kind"] == "plan" and set(job) == {"id", "kind", "finished", "events"}
        done = finished_job(c, job["id"])
        after = c.get(f"/api/sessions/{session}").json()
    kinds = [e["kind"] for e in done["events"]]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"step"} and len(kinds) > 2
    assert done["events"][-1]["data"] == {"status": "ok", "session": "done"}
    assert [e["data"]["step"] for e in done["events"][:-1]][-1] == "render"
    assert after["status"] == "done" and Path(after["output"]) == tmp_path / "out" / "rosas-taqueria" / "v1"
    assert (Path(after["output"]) / "plan.json").is_file()


def test_the_event_stream_sends_steps_then_done(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        session = to_confirm(c, EXAMPLES / "rosas-taqueria.yaml")
        job = answer(c, session, "yes", wait=False)
        with c.stream("GET", f"/api/jobs/{job['id']}/events") as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert stream.headers["cache-control"] == "no-store"
            text = stream.read().decode()
    events = [block.splitlines() for block in text.split("\n\n") if block and not block.startswith(":")]
    kinds = [lines[0] for lines in events]
    assert kinds[-1] == "event: done" and len(kinds) > 2
    assert set(kinds[:-1]) == {"event: step"}
    assert all(lines[1].startswith("data: ") for lines in events)
    assert json.loads(events[-1][1].removeprefix("data: ")) == {"status": "ok", "session": "done"}
    assert json.loads(events[-2][1].removeprefix("data: ")) == {"step": "render"}


def test_unknown_sessions_clients_versions_and_jobs_are_404(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli_plan(EXAMPLES / "rosas-taqueria.yaml", out)
    with client(out) as c:
        lines = {
            c.get("/api/sessions/nope"): "no session 'nope'",
            c.post("/api/sessions/nope/answers", json={"answer": "x"}): "no session 'nope'",
            c.post("/api/sessions/nope/answers", json={"answer": "x", "wait": False}): "no session 'nope'",
            c.get("/api/clients/nobody/versions"): "no file 'nobody' in the output folder",
            c.get("/api/clients/nobody/versions/1"): "no file 'nobody' in the output folder",
            c.get("/api/clients/rosas-taqueria/versions/2"): "rosas-taqueria has no version 2",
            c.get("/api/jobs/f00d"): "no job 'f00d' on this server",
            c.get("/api/jobs/f00d/events"): "no job 'f00d' on this server",
        }
        jobs_left = [j for j in c.app.state.service.jobs._jobs]  # type: ignore[attr-defined]
    for reply, line in lines.items():
        assert error_of(reply, 404) == line
    assert jobs_left == []  # an unknown session never starts a job


def test_a_folder_that_holds_no_plan_is_not_a_client(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "empty-client").mkdir(parents=True)
    with client(out) as c:
        browser = TestClient(c.app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
        replies = [c.get("/api/clients/empty-client/versions"), c.get("/api/clients/sessions.sqlite/versions"),
                   browser.get("/clients/empty-client"), browser.get("/clients/sessions.sqlite")]
        clients = c.get("/api/clients").json()
    assert clients == []
    for reply in replies:
        assert reply.status_code == 404, (reply.request.url.path, reply.status_code, reply.text[:200])
    assert error_of(replies[0], 404) == "empty-client: no plan versions here"
    assert error_of(replies[1], 404) == "sessions.sqlite: no plan versions here"


def test_an_unknown_api_path_or_method_is_a_json_error_line(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        unknown = c.get("/api/nope")
        method = c.delete("/api/sessions")
    assert error_of(unknown, 404) == "GET /api/nope: not found"
    assert error_of(method, 405) == "DELETE /api/sessions: method not allowed"
    assert "POST" in method.headers["allow"]


def test_a_server_error_shows_one_generic_line_and_logs_the_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """An unexpected failure must not show internals (paths, exception text) to the browser; the log has them."""
    with client(tmp_path / "out") as c:
        def broken(*_: object) -> None:
            raise RuntimeError(f"internal detail {tmp_path}")
        monkeypatch.setattr(c.app.state.service, "sessions", broken)  # type: ignore[attr-defined]
        browser = TestClient(c.app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
        api, page = browser.get("/api/sessions"), browser.get("/")
    line = "the server could not finish this request; the reason is in the server's log"
    assert error_of(api, 500) == line
    assert page.status_code == 500 and line.replace("'", "&#39;") in page.text and str(tmp_path) not in page.text
    assert any(f"internal detail {tmp_path}" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_invalid_request_bodies_are_422_with_one_line(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        session = start(c)["id"]
        missing = c.post(f"/api/sessions/{session}/answers", json={})
        wrong = c.post(f"/api/sessions/{session}/answers", json={"answer": ["a"]})
        broken = c.post(f"/api/sessions/{session}/answers", content=b"{", headers={"content-type": "application/json"})
        version = c.get("/api/clients/acme/versions/first")
        still = c.get(f"/api/sessions/{session}").json()
    assert error_of(missing, 422) == "answer: Field required"
    assert error_of(wrong, 422) == "answer: Input should be a valid string"
    assert error_of(broken, 422).endswith("JSON decode error")
    assert error_of(version, 422).startswith("path.version: Input should be a valid integer")
    assert still["status"] == "asking" and still["asked"] == 0


def test_a_bad_answer_is_asked_again_with_the_reason(tmp_path: Path) -> None:
    with client(tmp_path / "out") as c:
        session = start(c)["id"]
        for text in ANSWERS[:3]:
            answer(c, session, text)
        again = answer(c, session, "seven")
        back = answer(c, session, "back")
    assert again["status"] == "asking" and again["prompt"]["id"] == "model" and again["prompt"]["error"]
    assert again["asked"] == 3
    assert back["prompt"]["id"] == "industry" and back["prompt"]["default"]
