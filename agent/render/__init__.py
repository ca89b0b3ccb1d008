"""Rendering: a finished Strategy in, the files of a version folder out.

`render_files` builds strategy.md, strategy.html, plan.json, calendar.csv and calendar.ics;
`write_version` puts them atomically into `<out>/<client-slug>/v<N>/`. Rendering never calls an LLM.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {"render_files": "agent.render.files", "next_version": "agent.render.versions",
          "slugify": "agent.render.versions", "write_version": "agent.render.versions"}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """The package's names, imported on first use: importing agent.render.versions alone (the CLI's history)
    does not load the document and chart writers."""
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'agent.render' has no attribute {name!r}")
