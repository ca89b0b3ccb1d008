"""Interview sessions as a library: start one, answer its pending question, read where it stands.

The web app calls these; the terminal drives the same graph through agent.interview.driver. Every answer is
checkpointed by the graph, so any process on the same store (SQLite or PostgreSQL) can pick a session up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from langgraph.types import Command
from pydantic import BaseModel, Field

from agent.api.errors import Conflict, NotFound
from agent.graph.state import RunContext
from agent.interview.bank import Prompt, bank

Status = Literal["asking", "confirming", "planning", "done"]


class SessionView(BaseModel):
    """Where one interview session stands."""

    id: str = Field(description="The session id (also its resume link).")
    status: Status = Field(description="asking a question, confirming the brief, planning, or done.")
    client: str = Field("", description="The business name given so far.")
    prompt: Prompt | None = Field(None, description="The pending question or confirm step; None when not waiting.")
    asked: int = Field(0, description="Questions answered so far.")
    total: int = Field(0, description="Questions in the bank (an upper bound: a brief pre-fills some).")
    output: str = Field("", description="The finished plan's version folder.")
    changed: str = Field("", description="When the session last changed (ISO 8601, UTC).")


def config_of(session: str) -> dict[str, Any]:
    """The graph config that names a session's checkpoint thread."""
    return {"configurable": {"thread_id": session}}


def first_state(draft: dict[str, Any] | None = None, note: str = "") -> dict[str, Any]:
    """The input that starts an interview: a (possibly pre-filled) draft and a note about dropped fields."""
    return {"brief_draft": draft or {}, "asked": [], "error": note}


def view(graph: Any, session: str) -> SessionView:
    """The session's state; NotFound when the store has no such session."""
    snapshot = graph.get_state(config_of(session))
    if snapshot.created_at is None:
        raise NotFound(f"no session {session!r}")
    values = snapshot.values or {}
    prompt = next((Prompt.model_validate(item.value) for task in snapshot.tasks for item in task.interrupts), None)
    if prompt is not None:
        status: Status = "confirming" if prompt.kind == "confirm" else "asking"
    else:
        status = "done" if values.get("output_path") and not snapshot.next else "planning"
    draft = values.get("brief_draft") or {}
    return SessionView(id=session, status=status, client=str((draft.get("business") or {}).get("name") or ""),
                       prompt=prompt, asked=len(values.get("asked") or []), total=len(bank()),
                       output=str(values.get("output_path") or ""), changed=str(snapshot.created_at or ""))


def start_steps(graph: Any, context: RunContext, session: str, first: dict[str, Any]) -> Iterator[str]:
    """Start a session; yields the name of each graph step as it finishes (the first question stops it)."""
    yield from _steps(graph, first, session, context)


def answer_steps(graph: Any, context: RunContext, session: str, answer: str) -> Iterator[str]:
    """Answer the pending question; yields each graph step as it finishes, up to the next question or the plan.

    NotFound for an unknown session; Conflict when the session is not waiting for an answer.
    """
    current = view(graph, session)
    if current.prompt is None:
        raise Conflict(f"session {session!r} is not waiting for an answer (it is {current.status})")
    yield from _steps(graph, Command(resume=answer), session, context)


def continue_steps(graph: Any, context: RunContext, session: str) -> Iterator[str]:
    """Carry on a session whose plan stopped part-way (a crash, a restart): from its last checkpoint.

    Conflict unless the session is planning, i.e. neither waiting for an answer nor done.
    """
    current = view(graph, session)
    if current.status != "planning":
        raise Conflict(f"session {session!r} has nothing to continue (it is {current.status})")
    yield from _steps(graph, None, session, context)


def _steps(graph: Any, payload: Any, session: str, context: RunContext) -> Iterator[str]:
    for update in graph.stream(payload, config_of(session), context=context, stream_mode="updates"):
        for step in update:
            if step != "__interrupt__":
                yield step


def run(steps: Iterator[str]) -> None:
    """Exhaust a step iterator (for callers that do not show progress)."""
    for _ in steps:
        pass
