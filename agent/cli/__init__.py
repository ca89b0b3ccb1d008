"""The terminal face: typer commands over the library API; all terminal output lives in console."""
