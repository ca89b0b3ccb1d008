"""The web session's own rules: a plan that stopped part-way carries on from its checkpoint, a session answers
one request at a time, and a brief upload pre-fills the interview with the CLI's parser."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock

from agent.model.settings import Settings
from tests.conftest import EXAMPLES
from tests.fake_llm import FakeLLM
from tests.test_interview_llm import DEAL_QUESTION
from tests.web import client


def start_from(test_client, brief: Path) -> str:  # type: ignore[no-untyped-def]
    reply = test_client.post("/api/sessions", json={"brief": brief.read_text(encoding="utf-8"),
                                                    "brief_name": brief.name})
    assert reply.status_code == 201, reply.text
    session, state = str(reply.json()["id"]), reply.json()
    while state["status"] == "asking":  # the optional questions the brief leaves out: keep their defaults
        state = test_client.post(f"/api/sessions/{session}/answers", json={"answer": ""}).json()
    return session


def test_a_brief_upload_pre_fills_the_interview_up_to_the_confirm_step(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        session = start_from(c, EXAMPLES / "rosas-taqueria.yaml")
        state = c.get(f"/api/sessions/{session}").json()
    assert state["status"] == "confirming"
    assert "Rosa" in state["prompt"]["summary"] and state["client"] == "Rosa's Taqueria"


def test_a_plan_that_stopped_part_way_carries_on_from_its_checkpoint(tmp_path: Path) -> None:
    (tmp_path / "rosas-taqueria").write_text("in the way")  # the version folder cannot be made: render fails
    with client(tmp_path) as c:
        session = start_from(c, EXAMPLES / "rosas-taqueria.yaml")
        failed = c.post(f"/api/sessions/{session}/answers", json={"answer": "yes", "wait": False}).json()
        events = c.get(f"/api/jobs/{failed['id']}/events").text
        assert "event: done" in events and '"status": "failed"' in events
        assert c.get(f"/api/sessions/{session}").json()["status"] == "planning"
        assert c.post(f"/api/sessions/{session}/answers", json={"answer": "yes"}).status_code == 409
        (tmp_path / "rosas-taqueria").unlink()
        page = c.get(f"/sessions/{session}")
        assert "Continue the plan here" in page.text
        csrf = c.cookies["socialplan_csrf"]
        moved = c.post(f"/sessions/{session}/continue", data={"csrf": csrf}, follow_redirects=False)
        job = moved.headers["location"].rsplit("/", 1)[-1]
        assert "event: done" in c.get(f"/api/jobs/{job}/events").text
        done = c.get(f"/api/sessions/{session}").json()
    assert done["status"] == "done"
    assert Path(done["output"]) == tmp_path / "rosas-taqueria" / "v1"
    assert (Path(done["output"]) / "plan.json").is_file()


def test_a_session_answers_one_request_at_a_time(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        session = c.post("/api/sessions").json()["id"]
        service = c.app.state.service  # type: ignore[attr-defined]
        with service.hold(session):
            busy = c.post(f"/api/sessions/{session}/answers", json={"answer": "Loop Coffee"})
        after = c.post(f"/api/sessions/{session}/answers", json={"answer": "Loop Coffee"})
    assert busy.status_code == 409 and "busy" in busy.json()["error"]
    assert after.status_code == 200 and after.json()["prompt"]["id"] == "description"


def test_a_session_another_process_is_answering_is_busy_here(tmp_path: Path) -> None:
    """Two serve processes share the output root: the other one's lock file on the session makes this one wait."""
    with client(tmp_path) as c:
        session = c.post("/api/sessions").json()["id"]
        other = FileLock(tmp_path / ".locks" / f"{session}.lock")
        with other:
            busy = c.post(f"/api/sessions/{session}/answers", json={"answer": "Loop Coffee"})
            asked = c.get(f"/api/sessions/{session}").json()["asked"]
        after = c.post(f"/api/sessions/{session}/answers", json={"answer": "Loop Coffee"})
    assert busy.status_code == 409 and "busy" in busy.json()["error"] and asked == 0
    assert after.status_code == 200 and after.json()["asked"] == 1


def test_an_answer_to_a_question_no_longer_pending_is_refused(tmp_path: Path) -> None:
    """A second tab (or a retried request) that answers 'name' after it was answered must not land on the next
    question: the form names its question, and a stale one is 409 with nothing changed."""
    with client(tmp_path) as c:
        session = c.post("/api/sessions").json()["id"]
        first = c.post(f"/api/sessions/{session}/answers", json={"answer": "Loop Coffee", "question": "name"})
        stale = c.post(f"/api/sessions/{session}/answers", json={"answer": "Other Name", "question": "name"})
        c.get(f"/sessions/{session}")
        form = c.post(f"/sessions/{session}/answer", follow_redirects=False, data={
            "csrf": c.cookies["socialplan_csrf"], "question": "name", "answer": "Third Name"})
        state = c.get(f"/api/sessions/{session}").json()
    assert first.status_code == 200 and first.json()["prompt"]["id"] == "description"
    assert stale.status_code == 409
    assert stale.json()["error"] == "question 'name' was already answered; the pending one is 'description' (reload " \
        "to see it)"
    assert form.status_code == 409
    assert state["asked"] == 1 and state["client"] == "Loop Coffee"


def test_with_an_llm_the_adaptive_interviewer_runs_on_the_page_too(fake_llm: FakeLLM, llm_settings: Settings) -> None:
    fake_llm.script("Extraction", {
        "fields": [{"path": "business.name", "value": "Acme Analytics"},
                   {"path": "business.description", "value": "Warehouse analytics SaaS for logistics firms"},
                   {"path": "business.model", "value": "b2b"}],
        "next_path": "goals.target", "next_question": DEAL_QUESTION, "follow_up_reason": "B2B: deal size matters."})
    llm = {"offline": False, "openai_base_url": llm_settings.openai_base_url, "model": "fake-model",
           "openai_api_key": llm_settings.openai_api_key, "llm_timeout": 5.0, "llm_retries": 0}
    with client(llm_settings.output_dir, **llm) as c:
        session = c.post("/api/sessions").json()["id"]
        c.get(f"/sessions/{session}")
        page = c.post(f"/sessions/{session}/answer", data={
            "csrf": c.cookies["socialplan_csrf"],
            "answer": "We're Acme Analytics: warehouse analytics SaaS for logistics firms, sold to businesses."})
        state = c.get(f"/api/sessions/{session}").json()
    assert len(fake_llm.of_kind("Extraction")) == len(fake_llm.requests) == 1
    assert state["prompt"]["id"] == "target" and state["prompt"]["text"] == DEAL_QUESTION
    assert state["client"] == "Acme Analytics"
    assert DEAL_QUESTION.replace("'", "&#39;") in page.text
