"""Drive the interview graph: show each interrupt's prompt, feed the answer back, stop when paused.

`ask` is where a person (terminal) or a script (stdin lines) answers; it returns None to pause
(quit, Ctrl-C, end of input). Every answer is checkpointed by the graph before the next prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.types import Command
from pydantic import BaseModel

from agent.graph.state import RunContext
from agent.interview.bank import Prompt

Asker = Callable[[Prompt], "str | None"]


class Outcome(BaseModel):
    """How an interview run ended."""

    status: str  # "done", "paused", or "finished" (a resumed session that had already finished)
    session: str
    output_path: str = ""


def pending_prompt(graph: Any, config: dict[str, Any]) -> Prompt | None:
    """The prompt a stored session is waiting on, or None when it is not waiting."""
    snapshot = graph.get_state(config)
    for task in snapshot.tasks:
        for item in task.interrupts:
            return Prompt.model_validate(item.value)
    return None


def drive(graph: Any, session: str, first: dict[str, Any] | None, context: RunContext, ask: Asker) -> Outcome:
    """Run (or resume, when `first` is None) a session until it finishes or the asker pauses."""
    config = {"configurable": {"thread_id": session}}
    if first is not None:
        result = graph.invoke(first, config, context=context)
        prompt = _prompt_of(result)
    else:
        prompt = pending_prompt(graph, config)
        result = graph.get_state(config).values
        if prompt is None:  # resumed after it had finished: say so rather than replan
            return Outcome(status="finished", session=session, output_path=str(result.get("output_path", "")))
    while prompt is not None:
        answer = ask(prompt)
        if answer is None:
            return Outcome(status="paused", session=session)
        result = graph.invoke(Command(resume=answer), config, context=context)
        prompt = _prompt_of(result)
    return Outcome(status="done", session=session, output_path=str(result.get("output_path", "")))


def _prompt_of(result: dict[str, Any]) -> Prompt | None:
    interrupts = result.get("__interrupt__") or []
    return Prompt.model_validate(interrupts[0].value) if interrupts else None
