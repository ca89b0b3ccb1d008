"""Stored plans: read a version's plan.json, and resolve what a user points at (folder, file, client)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from agent.model.plan import Strategy

VERSION_DIR = re.compile(r"^v([1-9][0-9]*)$")
"""A version folder's name: v1, v2, ..."""


def versions(folder: Path, links: bool = False) -> list[int]:
    """The version numbers present in a client folder, ascending. A symlinked v<N> is not a version of this
    client (it may lead anywhere) unless `links` asks for every name taken, as choosing the next number does."""
    if not folder.is_dir():
        return []
    found = (VERSION_DIR.match(p.name) for p in folder.iterdir()
             if p.is_dir() and (links or not p.is_symlink()))
    return sorted(int(m.group(1)) for m in found if m)


def latest_version(folder: Path) -> Path | None:
    """The highest v<N> folder of a client, or None."""
    numbers = versions(folder)
    return folder / f"v{numbers[-1]}" if numbers else None


class PlanNotFound(ValueError):
    """A PLAN argument that does not lead to a stored plan; str() is '<path>: <what>'."""


def read_plan(folder: Path) -> Strategy:
    """The Strategy stored in a version folder."""
    return Strategy.model_validate_json((folder / "plan.json").read_text(encoding="utf-8"))


def resolve_version(target: Path) -> Path:
    """A version folder from a version folder, its plan.json, or a client folder (its latest version)."""
    if target.is_file() and target.name == "plan.json":
        target = target.parent
    if not target.exists():
        raise PlanNotFound(f"{target}: not found")
    if (target / "plan.json").is_file():
        return target
    if target.is_dir() and versions(target):
        latest = latest_version(target)
        if latest is not None and (latest / "plan.json").is_file():
            return latest
    raise PlanNotFound(f"{target}: not a plan (expected a version folder, its plan.json, or a client folder)")


def load_version(target: Path) -> tuple[Path, Strategy]:
    """The resolved version folder and its plan; PlanNotFound when unreadable."""
    folder = resolve_version(target)
    try:
        return folder, read_plan(folder)
    except (OSError, ValidationError, ValueError) as exc:
        raise PlanNotFound(f"{folder / 'plan.json'}: cannot be read ({exc.__class__.__name__})") from None
