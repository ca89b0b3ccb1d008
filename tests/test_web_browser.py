"""The web app in a real browser: Debian's headless Chromium (/usr/bin/chromium) driven by Playwright.

A founder types the interview, edits the brief at the confirm step, follows the plan being computed, reads the
plan with its charts, downloads it and replans it; a session saved halfway resumes from its link after the server
restarts; a business name made of HTML stays text on every page; Back, a bad answer and a brief upload behave.

One browser for the module and one `socialplan serve` for the tests that need no restart. Every test waits on what
the page shows, never on a clock. The progress view is seen because the browser follows the approval's redirect
within milliseconds while a plan takes seconds; its event stream is held by the test (`HeldEvents`) so the ticked
steps can be checked before the page moves on. With SOCIALPLAN_SCREENSHOTS set, full-page screenshots go there.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from agent.model.settings import ENV
from agent.web.pages import LLM_STEPS, STEPS
from tests.conftest import EXAMPLES
from tests.test_interview import ANSWERS
from tests.web import free_port, served

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"
PLAN_WAIT = 180_000
"""Milliseconds to wait for a plan page: an upper bound for a busy machine, never a measured time."""
QUESTION = re.compile(r"^Question (\d+) of about (\d+)$")
expect.set_options(timeout=15_000)  # what a page shows after it loaded: generous for a busy CI machine


@dataclass
class Tab:
    """A browser page and what it reported: dialogs (alert, confirm...) and script or console errors."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        """No dialog opened and no script error, CSP violation or failed load was logged."""
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the module (never a downloaded browser: CI installs Debian's)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Server:
    """A running `socialplan serve`: its URL and its output folder."""

    url: str
    out: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_index: Path) -> Iterator[Server]:
    """One `socialplan serve --offline` for the tests that need no restart, isolated like every test's env."""
    out = tmp_path_factory.mktemp("served")
    with pytest.MonkeyPatch.context() as env:
        for var in ENV.values():
            env.delenv(var, raising=False)
        env.setenv("OPENAI_BASE_URL", "")
        env.setenv("SOCIALPLAN_INDEX_DIR", str(shared_index))
        env.setenv("SOCIALPLAN_DOCUMENTS", "none")
        env.setenv("XDG_CACHE_HOME", str(out.parent / "cache"))
        with served(out) as url:
            yield Server(url, out)


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    """A fresh browser context (no cookies) with one page that records dialogs and errors."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    tab = Tab(page)
    page.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    page.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot into $SOCIALPLAN_SCREENSHOTS, when it is set."""
    folder = os.environ.get("SOCIALPLAN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def narrow(page: Page, name: str) -> None:
    """At a phone's width the page fits (no sideways scrolling); a screenshot of it, then back to a laptop's."""
    page.set_viewport_size({"width": 390, "height": 844})
    frame = page.locator("#strategy")
    if frame.count():  # an offscreen cross-origin frame is not painted until it is scrolled into view
        frame.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    shot(page, f"{name}-narrow")
    page.set_viewport_size({"width": 1280, "height": 800})


def start(page: Page, url: str) -> None:
    """Open the home page and start an interview from scratch."""
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the interview").click()
    assert number(page) == 1


def number(page: Page) -> int:
    """The shown question's number, from 'Question N of about M'."""
    label = page.locator(".progress span")
    expect(label).to_have_text(QUESTION)
    match = QUESTION.match(label.inner_text())
    assert match is not None
    return int(match[1])


def bar(page: Page) -> float:
    """How full the progress bar is (0 to 1)."""
    progress = page.locator(".progress progress")
    return float(progress.get_attribute("value") or 0) / float(progress.get_attribute("max") or 1)


def choice(page: Page, answer: str) -> Locator:
    """The button a founder clicks for a typed answer: '2' is the 2nd choice, '' the highlighted default."""
    if not answer:
        return page.locator("button.choice.chosen")
    if answer.isdigit():
        return page.locator("button.choice").nth(int(answer) - 1)
    return page.locator(f'button.choice[value="{answer}"]')


def submit(page: Page, answer: str) -> None:
    """Answer the shown question: click the choice, or type into the box and press Enter."""
    with page.expect_navigation():
        if page.locator("button.choice").count():
            choice(page, answer).click()
        else:
            page.locator("#answer").fill(answer)
            page.locator("#answer").press("Enter")


def back(page: Page) -> None:
    """Press the Back button."""
    with page.expect_navigation():
        page.get_by_role("button", name="Back").click()


def interview(page: Page, answers: list[str], shots: dict[int, str] | None = None) -> list[float]:
    """Answer each question in turn (screenshots before the answers `shots` names); the bar before each."""
    filled = []
    for index, answer in enumerate(answers):
        expect(page.locator(".ask")).to_be_visible()
        filled.append(bar(page))
        if index in (shots or {}):
            shot(page, (shots or {})[index])
        submit(page, answer)
    return filled


def edit_brief(page: Page, words: str) -> None:
    """At the confirm step: apply a change in plain words."""
    page.locator("#change").fill(words)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply the change").click()


def approve(page: Page) -> None:
    """Approve the brief and wait for the plan page."""
    page.get_by_role("button", name="Approve and plan").click()
    page.wait_for_url(re.compile(r"/clients/[\w.-]+/v1$"), timeout=PLAN_WAIT)


@dataclass
class HeldEvents:
    """The progress page's event stream, held at the end: its first connection gets the job's whole stream but
    the 'done' event (so the page ticks its steps and stays); its reconnection waits for `release()`."""

    steps: list[str] = field(default_factory=list)
    waiting: list[Route] = field(default_factory=list)
    answered: bool = False
    released: bool = False

    def __call__(self, route: Route) -> None:
        if self.released:
            route.continue_()
        elif self.answered:
            self.waiting.append(route)
        else:
            self.answered = True
            response = route.fetch(timeout=PLAN_WAIT)  # the stream ends with the job's 'done'
            kept = [b for b in response.text().split("\n\n") if b.strip() and not b.startswith("event: done")]
            self.steps = [json.loads(b.split("data: ", 1)[1])["step"] for b in kept if b.startswith("event: step")]
            route.fulfill(response=response, body="retry: 50\n\n" + "".join(f"{b}\n\n" for b in kept))

    def release(self) -> None:
        """Let the reconnection through: the page gets 'done' and moves on to the plan."""
        self.released = True
        for route in self.waiting:
            route.continue_()


def approve_and_follow(page: Page) -> list[str]:
    """Approve, see the progress view tick off the job's steps, then reach the plan page; the steps reported."""
    events = HeldEvents()
    page.route("**/api/jobs/*/events", events)
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and plan").click()
    expect(page).to_have_url(re.compile(r"/sessions/\w+/jobs/\w+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Building your plan")
    expect(page.locator("#steps li")).to_have_count(len(STEPS) - len(LLM_STEPS))  # offline: no language-model steps
    expect(page.locator("#steps li.done").first).to_be_visible(timeout=PLAN_WAIT)
    ticked = [step for step in STEPS if step in events.steps]
    expect(page.locator("#steps li.done")).to_have_count(len(ticked))
    shot(page, "progress")
    events.release()
    page.wait_for_url(re.compile(r"/clients/[\w.-]+/v1$"), timeout=PLAN_WAIT)
    page.unroute("**/api/jobs/*/events")
    return events.steps


def check_plan(page: Page, name: str, version: int) -> None:
    """The plan page: its heading, and the strategy in its frame with every chart inline as SVG."""
    expect(page.locator("main > h1")).to_have_text(f"{name}: plan version {version}")
    strategy = page.frame_locator("#strategy")
    expect(strategy.locator("h1")).to_have_text(f"Social media strategy: {name}")
    files = page.locator("ul.files a").all_inner_texts()
    charts = [Path(f).stem for f in files if f.startswith("chart-") and f.endswith(".svg")]
    assert len(charts) >= 3, files
    for chart in charts:
        svg = strategy.locator(f"svg#{chart}")
        expect(svg).to_be_visible()
        assert svg.locator("rect, path, line, circle").count() > 0, chart


def download(page: Page, name: str) -> str:
    """Click a download link; the downloaded file's text."""
    with page.expect_download() as caught:
        page.get_by_role("link", name=name, exact=True).click()
    assert caught.value.suggested_filename == name
    return Path(caught.value.path()).read_text(encoding="utf-8")


def test_a_founder_types_the_interview_edits_the_brief_and_gets_a_plan_with_charts(tab: Tab, server: Server) -> None:
    page = tab.page
    start(page, server.url)
    narrow(page, "question")
    filled = interview(page, ANSWERS[:-1], shots={0: "question", 3: "question-choice"})
    assert filled[0] == 0 and all(later > earlier for earlier, later in zip(filled, filled[1:], strict=False))
    expect(page.get_by_role("heading", level=1)).to_have_text("Is this right?")
    summary = page.locator("#brief-summary")
    expect(summary).to_contain_text("Business: Loop Coffee (Food and drink, B2C, early stage)")
    expect(summary).to_contain_text("Resources: 3,000 GBP a month")
    edit_brief(page, "budget is 2500")
    expect(summary).to_contain_text("Resources: 2,500 GBP a month")
    expect(summary).not_to_contain_text("3,000 GBP")
    shot(page, "confirm")
    narrow(page, "confirm")
    steps = approve_and_follow(page)
    assert "plan" in steps and steps[-1] == "render", steps
    check_plan(page, "Loop Coffee", 1)
    shot(page, "plan")
    narrow(page, "plan")
    markdown = download(page, "strategy.md")
    assert next(line for line in markdown.splitlines() if line.startswith("#")) == \
        "# Social media strategy: Loop Coffee"
    assert "2,500" in markdown
    page.locator("#words").fill("budget is 4000")
    with page.expect_navigation(timeout=PLAN_WAIT):
        page.get_by_role("button", name="Replan").click()
    expect(page).to_have_url(re.compile(r"/clients/loop-coffee/v2$"))
    check_plan(page, "Loop Coffee", 2)
    expect(page.locator("#changes h2").first).to_have_text("Changes from version 1")
    expect(page.locator("#changes")).to_contain_text("resources.monthly_budget")
    expect(page.locator("#changes")).not_to_contain_text("resources.currency")
    page.locator("#strategy").scroll_into_view_if_needed()
    shot(page, "plan-replanned")
    tab.assert_quiet()


def test_a_session_saved_halfway_resumes_from_its_link_after_the_server_restarts(tab: Tab, tmp_path: Path) -> None:
    page, out, port = tab.page, tmp_path / "out", free_port()
    with served(out, port=port) as url:
        start(page, url)
        interview(page, ANSWERS[:5])
        link = page.get_by_role("link", name="Save and continue later")
        saved = urljoin(page.url, link.get_attribute("href") or "")
        asked, question = number(page), page.locator(".ask").inner_text()
    assert asked == 6 and saved == page.url
    page.context.clear_cookies()  # a founder coming back later: a new browser session
    with served(out, port=port):
        page.goto(saved)
        assert number(page) == asked
        expect(page.locator(".ask")).to_have_text(question)
        interview(page, ANSWERS[asked - 1:-1])
        expect(page.locator("#brief-summary")).to_contain_text("Business: Loop Coffee (Food and drink, B2C")
        approve(page)
        check_plan(page, "Loop Coffee", 1)
    tab.assert_quiet()


def test_an_html_business_name_is_shown_as_text_on_every_page(tab: Tab, server: Server) -> None:
    page = tab.page
    start(page, server.url)
    submit(page, XSS)
    back(page)
    assert number(page) == 1
    expect(page.locator("#answer")).to_have_attribute("placeholder", XSS)
    expect(page.locator("form.question strong")).to_have_text(XSS)  # "Leave it empty to keep <the name>"
    submit(page, "")
    interview(page, ANSWERS[1:-1])
    expect(page.locator("#brief-summary")).to_contain_text(f"Business: {XSS} (Food and drink")
    approve(page)
    assert page.title() == f"{XSS} v1 · Socialplan"
    expect(page.locator("main > h1")).to_have_text(f"{XSS}: plan version 1")
    strategy = page.frame_locator("#strategy")
    expect(strategy.locator("h1")).to_have_text(f"Social media strategy: {XSS}")
    assert strategy.locator("img, script").count() == 0
    no_markup(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Clients", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    expect(page.get_by_role("link", name=XSS, exact=True)).to_be_visible()
    no_markup(page)
    page.goto(server.url)
    expect(page.locator("table td", has_text=XSS)).to_have_text(XSS)
    no_markup(page)
    tab.assert_quiet()


def no_markup(page: Page) -> None:
    """The page holds no element the name would have made: no image, and no script but app.js."""
    assert page.locator("img").count() == 0
    assert page.locator("script").evaluate_all("nodes => nodes.map(n => n.getAttribute('src'))") == ["/static/app.js"]


def test_back_goes_back_one_question_and_a_bad_answer_asks_the_same_one_again(tab: Tab, server: Server) -> None:
    page = tab.page
    start(page, server.url)
    expect(page.get_by_role("button", name="Back")).to_have_count(0)
    interview(page, ANSWERS[:4])
    assert number(page) == 5 and page.locator("button.choice").count() == 4  # stage: a choice question
    back(page)
    assert number(page) == 4
    expect(choice(page, "")).to_have_attribute("value", "b2c")  # the answer given, highlighted
    interview(page, ANSWERS[3:5])
    assert number(page) == 6
    page.locator("#answer").fill("https://typed-then-back.example")
    back(page)  # what was typed is not taken as the answer
    assert number(page) == 5
    interview(page, ANSWERS[4:17])
    assert number(page) == 18
    asked = page.locator(".ask").inner_text()
    submit(page, "abc")
    assert number(page) == 18
    expect(page.locator(".ask")).to_have_text(asked)
    expect(page.get_by_role("alert")).to_contain_text("abc")
    shot(page, "question-error")
    submit(page, "10")
    assert number(page) == 19
    expect(page.get_by_role("alert")).to_have_count(0)
    tab.assert_quiet()


def upload(page: Page, url: str, brief: Path) -> int:
    """Start from a brief file on the home page and keep every default the interview offers; questions asked."""
    page.goto(url)
    page.locator('input[name="brief"]').set_input_files(brief)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the interview").click()
    asked = 0
    while page.locator(".ask").count():
        asked += 1
        submit(page, "")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is this right?")
    return asked


def test_a_brief_uploaded_on_the_home_page_asks_only_what_it_leaves_out(tab: Tab, server: Server) -> None:
    asked = upload(tab.page, server.url, EXAMPLES / "rosas-taqueria.yaml")
    assert 0 < asked < len(ANSWERS) // 2, asked
    expect(tab.page.locator("#brief-summary")).to_contain_text("Business: Rosa's Taqueria")
    tab.assert_quiet()


def test_a_plan_that_stops_part_way_says_so_and_carries_on_from_the_progress_page(tab: Tab, server: Server) -> None:
    page, blocker = tab.page, server.out / "rosas-taqueria"
    blocker.write_text("in the way")  # the version folder cannot be made: rendering fails
    upload(page, server.url, EXAMPLES / "rosas-taqueria.yaml")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Building your plan")
    # the job's error as it arrives, or (had the job ended before the page was served) the page for a stopped plan
    expect(page.locator("#progress-note")).to_have_text(re.compile(r"^error: cannot write|stopped part-way"),
                                                        timeout=PLAN_WAIT)
    again = page.get_by_role("button", name="Continue the plan here")
    expect(again).to_be_visible()
    shot(page, "progress-error")
    blocker.unlink()
    again.click()
    page.wait_for_url(re.compile(r"/clients/rosas-taqueria/v1$"), timeout=PLAN_WAIT)
    check_plan(page, "Rosa's Taqueria", 1)
    tab.assert_quiet()
