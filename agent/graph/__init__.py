"""The LangGraph graph: run state, the checkpointer, build_graph wiring and the server entry."""
