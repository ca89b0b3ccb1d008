"""Changes to a brief: --set paths, plain-words edits, and edits an LLM reads from words."""
