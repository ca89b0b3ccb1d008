"""Pure planning engines: brief + knowledge tables in, pydantic results out, no I/O."""
