"""Graph nodes, one per module; each returns a partial state update."""
