"""The planning graph: wiring only.

retrieve -> plan -> write -> render. Later steps (interview, confirm, review) add nodes here.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agent.nodes.plan import plan
from agent.nodes.render import render
from agent.nodes.retrieve import retrieve
from agent.nodes.write import write
from agent.state import PlanState, RunContext


def build_graph(checkpointer: Any = None) -> Any:
    """Compile the planning graph (tests pass their own checkpointer)."""
    builder = StateGraph(PlanState, context_schema=RunContext)
    builder.add_node("retrieve", retrieve)
    builder.add_node("plan", plan)
    builder.add_node("write", write)
    builder.add_node("render", render)
    builder.add_edge(START, "retrieve")
    builder.add_edge("retrieve", "plan")
    builder.add_edge("plan", "write")
    builder.add_edge("write", "render")
    builder.add_edge("render", END)
    return builder.compile(checkpointer=checkpointer)
