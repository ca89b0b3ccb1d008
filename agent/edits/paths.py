"""Changes to a brief: `--set PATH=VALUE` operations and plain-words edits, validated by the Brief model.

Paths are dotted (`goals.primary`, `resources.monthly_budget`, `presence[0].followers`); values are
read as YAML (`5000`, `sales`, `[tiktok, x]`). `PATH+=VALUE` appends to a list, `PATH-=VALUE` removes
from one. Plain words ("budget is 2500", "add Pinterest to excluded") become the same operations.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from agent.model.brief import Brief
from agent.model.brief_io import BriefError, scan_yaml, validate_brief
from agent.model.yaml_text import safe_load

Op = Literal["set", "add", "remove"]
PATH_RE = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$")


@dataclass(frozen=True)
class Edit:
    """One change to a brief."""

    path: str
    value: Any
    op: Op = "set"

    def describe(self) -> str:
        """'goals.primary = sales' style text."""
        sign = {"set": "=", "add": "+=", "remove": "-="}[self.op]
        return f"{self.path} {sign} {self.value}"


def parse_set(text: str) -> Edit:
    """'PATH=VALUE', 'PATH+=VALUE' or 'PATH-=VALUE' -> Edit; BriefError on a malformed one."""
    match = re.match(r"^\s*([^=+\-\s]+)\s*(\+=|-=|=)\s*(.*)$", text)
    if not match:
        raise BriefError("--set", text, "expected PATH=VALUE, e.g. goals.primary=sales")
    path, sign, raw = match.groups()
    if not PATH_RE.match(path):
        raise BriefError("--set", path, "not a brief path (use dots, e.g. resources.monthly_budget)")
    try:
        scan_yaml("--set", raw)  # no aliases, bounded size: the web app takes edits too
        value = safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        value = raw
    op: Op = {"=": "set", "+=": "add", "-=": "remove"}[sign]  # type: ignore[assignment]
    return Edit(path=path, value=value, op=op)


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        steps.append(name)
        if index:
            steps.append(int(index.rstrip("]")))
    return steps


def _parent(data: dict[str, Any], steps: list[str | int], path: str) -> Any:
    node: Any = data
    for step in steps[:-1]:
        try:
            node = node[step] if isinstance(step, int) else node.setdefault(step, {})
        except (IndexError, KeyError, TypeError, AttributeError):
            raise BriefError("--set", path, "no such place in the brief") from None
    return node


def apply_edit(data: dict[str, Any], edit: Edit) -> None:
    """Apply one edit to brief data in place."""
    steps = _steps(edit.path)
    parent, last = _parent(data, steps, edit.path), steps[-1]
    if edit.op == "set":
        try:
            parent[last] = edit.value
        except (IndexError, TypeError):
            raise BriefError("--set", edit.path, "no such place in the brief") from None
        return
    current = parent.get(last) if isinstance(parent, dict) else None
    items = list(current or [])
    values = edit.value if isinstance(edit.value, list) else [edit.value]
    if edit.op == "add":
        items.extend(v for v in values if v not in items)
    else:
        items = [i for i in items if i not in values]
    parent[last] = items


def apply_edits(brief: Brief, edits: list[Edit]) -> Brief:
    """A new, validated Brief with the edits applied; BriefError names the bad field (and, for an unknown
    path, the closest known one)."""
    data = copy.deepcopy(brief.model_dump(mode="json", exclude_none=True))
    for edit in edits:
        check_path(edit.path)
        apply_edit(data, edit)
    return validate_brief(data, "--set")


def brief_paths(model: type[BaseModel] = Brief, prefix: str = "") -> list[str]:
    """Every field path of the brief: 'business.name', 'resources.monthly_budget', 'presence', ..."""
    paths = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        paths.append(path)
        inner = info.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            paths += brief_paths(inner, f"{path}.")
    return paths


def check_path(path: str) -> None:
    """BriefError for a path that names no field, suggesting the closest one."""
    known = brief_paths()
    plain = re.sub(r"\[\d+\]", "", path)
    if plain in known or any(plain.startswith(f"{k}.") for k in ("presence",)):
        return
    hint = suggest(plain, known)
    raise BriefError("--set", path, f"unknown key{f' (did you mean {hint}?)' if hint else ''}")


def suggest(path: str, known: list[str]) -> str | None:
    """The known path whose last part contains, or is closest to, the last part of `path`."""
    last = path.rsplit(".", 1)[-1].lower()
    leaves = [k for k in known if "." in k or k not in ("business", "audience", "goals", "resources")]
    containing = [k for k in leaves if last and last in k.rsplit(".", 1)[-1]]
    if containing:
        return containing[0]
    close = difflib.get_close_matches(last, [k.rsplit(".", 1)[-1] for k in leaves], n=1, cutoff=0.6)
    if close:
        return next(k for k in leaves if k.rsplit(".", 1)[-1] == close[0])
    section = difflib.get_close_matches(last, [k for k in known if "." not in k], n=1, cutoff=0.6)
    return next((k for k in known if section and k.startswith(f"{section[0]}.")), None)
