"""Every page template renders with StrictUndefined from the values its route passes, and escapes user text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from agent.api.sessions import SessionView
from agent.interview.bank import Prompt
from agent.web.pages import STEPS, TEMPLATES

XSS = '<img src=x onerror=alert(1)>"&'
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;&#34;&amp;"
PROMPT = Prompt(id="name", text="What is the business called?", help=XSS, default=XSS, number=2, total=24,
                error=XSS, summary=XSS, input="text")
CHOICE = PROMPT.model_copy(update={"id": "model", "choices": ["b2b", "b2c", "both"], "input": "choice",
                                   "default": "b2c"})
ROW = {"version": 1, "parent": None, "created": "2026-11-18 09:30", "goal": "sales", "budget": "3,000 GBP",
       "channels": XSS, "change": XSS, "other_client": False}
CONTEXTS: dict[str, dict[str, Any]] = {
    "home.html.j2": {"sessions": [SessionView(id="ab12cd34", status="asking", client=XSS, prompt=PROMPT, total=24,
                                              changed="2026-11-18T09:30:00+00:00")]},
    "question.html.j2": {"session": "ab12cd34", "prompt": PROMPT},
    "confirm.html.j2": {"session": "ab12cd34", "prompt": PROMPT.model_copy(update={"kind": "confirm"})},
    "progress.html.j2": {"heading": "Building your plan", "job": "", "next_url": "/sessions/ab12cd34",
                         "session": "ab12cd34",
                         "steps": list(STEPS.items())},
    "error.html.j2": {"lines": [XSS]},
    "plan.html.j2": {"client": "loop-coffee", "version": 2, "name": XSS, "parent": 1, "changes": Markup("<p>x</p>"),
                     "files": [{"name": "strategy.md", "url": "/files/loop-coffee/v2/strategy.md"}]},
    "clients.html.j2": {"clients": [{"client": "loop-coffee", "name": XSS, "versions": 1, "latest": ROW}]},
    "client.html.j2": {"client": "loop-coffee", "name": XSS, "rows": [ROW]},
    "batch.html.j2": {},
    "batch_job.html.j2": {"job": "f00d", "done": 1, "total": 2, "finished": False,
                          "items": [{"source": XSS, "client": XSS, "status": "bad input", "error": XSS,
                                     "url": "", "channels": ""}]},
}
FOLDER = Path(TEMPLATES.loader.searchpath[0])  # type: ignore[attr-defined]
PAGES = sorted(p.name for p in FOLDER.glob("*.html.j2") if not p.name.startswith("_"))  # partials start with _


def test_every_page_template_has_a_context() -> None:
    assert sorted(CONTEXTS) == PAGES


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_page_renders_and_escapes_user_text(name: str) -> None:
    page = TEMPLATES.get_template(name).render(csrf="tok", **CONTEXTS[name])
    assert page.startswith("<!doctype html>")
    assert "<img src=x" not in page
    assert "<script>" not in page and " onclick=" not in page and "javascript:" not in page
    if XSS in str(CONTEXTS[name]) and name not in {"progress.html.j2", "batch.html.j2"}:
        assert ESCAPED in page


@pytest.mark.parametrize("name", ["home.html.j2", "question.html.j2", "confirm.html.j2", "plan.html.j2",
                                  "batch.html.j2", "progress.html.j2"])
def test_every_form_that_writes_carries_the_csrf_token(name: str) -> None:
    page = TEMPLATES.get_template(name).render(csrf="tok-123", **CONTEXTS[name])
    forms = page.count('method="post"')
    assert forms >= 1
    assert page.count('<input type="hidden" name="csrf" value="tok-123">') == forms


def test_a_choice_question_offers_one_button_per_choice_and_marks_the_default() -> None:
    page = TEMPLATES.get_template("question.html.j2").render(csrf="t", session="s", prompt=CHOICE)
    assert all(page.count(f'name="answer" value="{c}"') == 1 for c in CHOICE.choices)
    assert 'value="b2c" class="choice chosen"' in page
    assert 'name="answer" value="back"' in page
