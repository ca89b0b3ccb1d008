"""The pages: start a plan, one question at a time, confirm the brief, follow the plan being computed, read it,
replan it, see every client and batch-plan several. Server-rendered jinja2 (autoescaped, StrictUndefined);
forms carry the CSRF token; app.js only follows progress streams."""

from __future__ import annotations

import hmac
import html
from pathlib import Path
from typing import Annotated, Any

import markdown
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from agent.api.errors import NotFound
from agent.api.sessions import SessionView
from agent.model.brief_io import BriefError
from agent.web.files import inside
from agent.web.security import CSRF_COOKIE, TOKEN_COOKIE, check_csrf, new_token
from agent.web.service import WebService

router = APIRouter(include_in_schema=False)
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True,
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
STEPS = {"retrieve": "Finding cited practices for this kind of business",
         "plan": "Choosing channels, times, frequency, budget split and forecasts",
         "write": "Writing the strategy", "write_section": "Writing the sections with the language model",
         "write_ideas": "Writing post ideas", "review": "Checking every figure against the plan",
         "render": "Rendering the document, calendars and charts"}
LLM_STEPS = {"write_section", "write_ideas", "review"}
"""Steps that run only with a language model (offline, the writer's own text needs no review)."""
MEDIA = {".md": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".json": "application/json",
         ".ics": "text/calendar", ".svg": "image/svg+xml", ".html": "text/html; charset=utf-8",
         ".pdf": "application/pdf", ".png": "image/png",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
Csrf = Annotated[str, Form()]


def status_words(view: SessionView) -> str:
    """Where a session stands, in words."""
    if view.status == "asking":
        return f"question {view.prompt.number if view.prompt else view.asked + 1} of about {view.total}"
    return {"confirming": "checking the brief", "planning": "planning", "done": "plan ready"}[view.status]


TEMPLATES.globals["status_words"] = status_words


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page, with this browser's CSRF token (set as a cookie the first time)."""
    token = request.cookies.get(CSRF_COOKIE) or new_token()
    response = HTMLResponse(TEMPLATES.get_template(template).render(csrf=token, **values), status_code=status)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def error_page(request: Request, lines: list[str], status: int) -> HTMLResponse:
    """An error as a page: the CLI's lines."""
    return render(request, "error.html.j2", status=status, lines=lines)


def service(request: Request) -> WebService:
    """This process's service."""
    return request.app.state.service  # type: ignore[no-any-return]


def see(url: str) -> RedirectResponse:
    """After a form: go to `url` (303, so a reload never posts twice)."""
    return RedirectResponse(url, status_code=303)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """Start a plan; the sessions in the store."""
    return render(request, "home.html.j2", sessions=service(request).sessions())


@router.get("/signin")
def signin(request: Request, token: str = "") -> Response:
    """The sign-in link: a right token is kept as a cookie, then the home page opens; a wrong one is refused."""
    expected = request.app.state.token
    if not expected:
        return see("/")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return error_page(request, ["the sign-in link is wrong: use the one `socialplan serve` printed"], 401)
    response = see("/")
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


async def _read(upload: UploadFile | None) -> tuple[str, bytes] | None:
    if upload is None or not upload.filename:
        return None
    return upload.filename, await upload.read()


@router.post("/sessions")
async def start(request: Request, csrf: Csrf = "", brief: Annotated[UploadFile | None, File()] = None,
                analytics: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """A new session from the home page's form."""
    check_csrf(request.cookies, csrf)
    given = await _read(brief)
    exports = [pair for pair in [await _read(a) for a in analytics or []] if pair]
    text = (given[0], utf8(given[0], given[1])) if given else None
    session = await run_in_threadpool(service(request).create, text, exports)
    return see(f"/sessions/{session}")


def utf8(name: str, data: bytes) -> str:
    """An uploaded brief's text; a file that is not UTF-8 is a bad brief, as on the command line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BriefError(name, "file", "cannot be read (UnicodeDecodeError)") from None


@router.get("/sessions/{session}", response_class=HTMLResponse)
def session_page(session: str, request: Request) -> Response:
    """The pending question, the confirm step, the progress view, or (when done) the plan."""
    svc = service(request)
    view = svc.view(session)
    if view.status == "done":
        folder = Path(view.output)
        return see(f"/clients/{folder.parent.name}/{folder.name}")
    if view.status == "planning":
        job = svc.jobs.running_for(session)
        return progress_page(request, session, job.id if job else "")
    page = "confirm.html.j2" if view.status == "confirming" else "question.html.j2"
    return render(request, page, session=session, prompt=view.prompt)


def progress_page(request: Request, session: str, job: str) -> HTMLResponse:
    """The plan being computed: its steps, ticked off as the job's events arrive."""
    steps = [(step, words) for step, words in STEPS.items()
             if step not in LLM_STEPS or service(request).settings.llm_enabled]
    return render(request, "progress.html.j2", heading="Building your plan", job=job, session=session,
                  next_url=f"/sessions/{session}", steps=steps)


@router.post("/sessions/{session}/answer")
def answer(session: str, request: Request, csrf: Csrf = "", answer: Annotated[str, Form()] = "",
           question: Annotated[str | None, Form()] = None) -> Response:
    """An answer from the question or confirm form (which names its question, so a form from a stale tab is
    refused rather than applied to the next question); the confirm step plans on a job the next page follows."""
    check_csrf(request.cookies, csrf)
    svc = service(request)
    view = svc.view(session)
    if view.status == "confirming":
        return see(f"/sessions/{session}/jobs/{svc.answer_later(session, answer, question).id}")
    svc.answer(session, answer, question)
    return see(f"/sessions/{session}")


@router.post("/sessions/{session}/continue")
def carry_on(session: str, request: Request, csrf: Csrf = "") -> Response:
    """Carry on a plan that stopped part-way (no process is computing it)."""
    check_csrf(request.cookies, csrf)
    return see(f"/sessions/{session}/jobs/{service(request).answer_later(session, None).id}")


@router.get("/sessions/{session}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(session: str, job_id: str, request: Request) -> Response:
    """The progress view of a confirm step's job; once it is done, the session's page."""
    job = service(request).jobs.get(job_id)
    if job is None or job.owner != session or job.finished:
        return see(f"/sessions/{session}")
    return progress_page(request, session, job.id)


@router.get("/clients", response_class=HTMLResponse)
def clients_page(request: Request) -> HTMLResponse:
    """Every client with its latest version."""
    return render(request, "clients.html.j2", clients=service(request).clients())


@router.get("/clients/{client}", response_class=HTMLResponse)
def client_page(client: str, request: Request) -> HTMLResponse:
    """A client's versions: date, where each came from, goal, budget, channels, what changed."""
    rows = service(request).history(client)
    name = service(request).version_name(client, rows[-1].version)
    return render(request, "client.html.j2", client=client, name=name, rows=rows)


@router.get("/clients/{client}/v{version}", response_class=HTMLResponse)
def plan_page(client: str, version: int, request: Request) -> HTMLResponse:
    """The plan: the strategy with its charts, every file to download, its changes, and a replan form."""
    svc = service(request)
    detail = svc.version_detail(client, version)
    changes = detail["changes"]
    if changes and changes.startswith("# "):  # the page has its own heading: "Changes from version N"
        changes = changes.split("\n", 1)[1] if "\n" in changes else ""
    shown = markdown.markdown(html.escape(changes, quote=False), extensions=["tables"]) if changes else ""
    parent = next((r.parent for r in svc.history(client) if r.version == version), None)
    return render(request, "plan.html.j2", client=client, version=version, name=svc.version_name(client, version),
                  files=detail["files"], changes=Markup(shown), parent=parent)


@router.post("/clients/{client}/v{version}/replan")
def replan_form(client: str, version: int, request: Request, csrf: Csrf = "", words: Annotated[str, Form()] = "",
                sets: Annotated[str, Form()] = "") -> Response:
    """'What changed?': the next version, then its page (which shows changes.md)."""
    check_csrf(request.cookies, csrf)
    folder = service(request).replan(client, version, sets.splitlines(), words)
    return see(f"/clients/{folder.parent.name}/{folder.name}")


@router.get("/batch", response_class=HTMLResponse)
def batch_page(request: Request) -> HTMLResponse:
    """Upload several briefs."""
    return render(request, "batch.html.j2")


@router.post("/batch")
async def batch_upload(request: Request, briefs: Annotated[list[UploadFile], File()], csrf: Csrf = "") -> Response:
    """Start a batch job, then follow it."""
    check_csrf(request.cookies, csrf)
    files = [pair for pair in [await _read(b) for b in briefs] if pair]
    job = await run_in_threadpool(service(request).batch, files)
    return see(f"/batch/{job.id}")


@router.get("/batch/{job_id}", response_class=HTMLResponse)
def batch_job(job_id: str, request: Request) -> HTMLResponse:
    """A batch's progress list (app.js adds rows as plans finish)."""
    job = service(request).jobs.get(job_id)
    if job is None or job.kind != "batch":
        raise NotFound(f"no batch {job_id!r} on this server")
    items = [e.data for e in job.events if e.kind == "item"]
    total = job.total
    return render(request, "batch_job.html.j2", job=job.id, items=items, done=len(items), total=total,
                  finished=job.finished)


@router.get("/files/{client}/{version}/{name}")
def file(client: str, version: str, name: str, request: Request, download: bool = False) -> FileResponse:
    """A file of a version folder (only from the output root; no traversal, no symlinks)."""
    path = inside(service(request).root, client, version, name)
    if not path.is_file():
        raise NotFound(f"no file {client}/{version}/{name!r} in the output folder")
    return FileResponse(path, media_type=MEDIA.get(path.suffix.lower(), "application/octet-stream"),
                        filename=name if download else None,
                        content_disposition_type="attachment" if download else "inline")
