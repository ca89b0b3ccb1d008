"""The planning graph: wiring only.

START -> interview (loops until the brief is complete) -> confirm -> retrieve, or straight to retrieve
when the input already holds a brief -> plan -> write (offline prose: the fallback and the reference) ->
then, with an LLM, one `write_section` per section and one `write_ideas` (month one's post ideas) in parallel
(Send) -> review -> render; offline, write -> render.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agent.graph.state import PlanState, RunContext
from agent.nodes.confirm import confirm
from agent.nodes.interview import interview
from agent.nodes.plan import plan
from agent.nodes.render import render
from agent.nodes.retrieve import retrieve
from agent.nodes.review import review
from agent.nodes.write import write
from agent.nodes.write_ideas import write_ideas
from agent.nodes.write_section import fan_out, write_section
from agent.writing import SECTION_IDS

MAX_CONCURRENCY = max(16, len(SECTION_IDS) + 3)
"""Threads per run: every section call and the post-ideas call in flight at once, so they cost one round trip."""


def entry(state: PlanState) -> str:
    """A complete brief goes straight to retrieval; anything else starts the interview."""
    return "retrieve" if "brief" in state else "interview"


def build_graph(checkpointer: Any = None) -> Any:
    """Compile the planning graph (tests pass their own checkpointer)."""
    builder = StateGraph(PlanState, context_schema=RunContext)
    builder.add_node("interview", interview)
    builder.add_node("confirm", confirm)
    builder.add_node("retrieve", retrieve)
    builder.add_node("plan", plan)
    builder.add_node("write", write)
    builder.add_node("write_section", write_section)  # type: ignore[call-overload,arg-type]  # input: a Send payload
    builder.add_node("write_ideas", write_ideas)  # type: ignore[call-overload,arg-type]  # input: a Send payload
    builder.add_node("review", review)
    builder.add_node("render", render)
    builder.add_conditional_edges(START, entry, ["interview", "retrieve"])
    builder.add_edge("retrieve", "plan")
    builder.add_edge("plan", "write")
    builder.add_conditional_edges("write", fan_out, ["write_section", "write_ideas", "render"])
    builder.add_edge("write_section", "review")
    builder.add_edge("write_ideas", "review")
    builder.add_edge("review", "render")
    builder.add_edge("render", END)
    return builder.compile(checkpointer=checkpointer).with_config(max_concurrency=MAX_CONCURRENCY)
