"""The graph as the LangGraph server (`langgraph dev`, Studio) loads it: see langgraph.json.

The server brings its own persistence, so the graph is compiled without a checkpointer. Runs
without a context use the default RunContext (settings from the environment, outputs/ as root).
"""

from __future__ import annotations

from agent.graph.build import build_graph

graph = build_graph()
