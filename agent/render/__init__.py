"""Rendering: a finished Strategy in, the files of a version folder out.

`render_files` builds strategy.md, strategy.html, plan.json, calendar.csv and calendar.ics;
`write_version` puts them atomically into `<out>/<client-slug>/v<N>/`. Rendering never calls an LLM.
"""

from __future__ import annotations

from agent.render.files import render_files
from agent.render.versions import next_version, slugify, write_version

__all__ = ["next_version", "render_files", "slugify", "write_version"]
