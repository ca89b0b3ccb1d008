"""The output root as the web app sees it: client folders, version folders and files, reached only by names
that stay inside the root (no `..`, no absolute paths, no symlinks anywhere on the way)."""

from __future__ import annotations

import re
from pathlib import Path

from agent.api.errors import NotFound
from agent.model.plan_io import versions

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
"""One path segment we serve: no leading dot (hidden, temporary or upload folders), no separators."""


def inside(root: Path, *parts: str) -> Path:
    """`root/parts...` when every part is a plain name and nothing on the way is a symlink; NotFound otherwise
    (the same answer for 'missing' and 'not allowed', so probing learns nothing)."""
    where = " / ".join(parts)
    path = root
    for part in parts:
        if not NAME.fullmatch(part) or part in {".", ".."}:
            raise NotFound(f"no file {where!r} in the output folder")
        path = path / part
        if path.is_symlink() or not path.exists():
            raise NotFound(f"no file {where!r} in the output folder")
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise NotFound(f"no file {where!r} in the output folder")
    return path


def client_folders(root: Path) -> list[Path]:
    """Every client folder under the root that holds at least one version, by name."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if NAME.fullmatch(p.name) and p.is_dir() and not p.is_symlink() and versions(p))


def version_folder(root: Path, client: str, version: int) -> Path:
    """A client's version folder; NotFound when there is none."""
    folder = inside(root, client)
    if version not in versions(folder):
        raise NotFound(f"{client} has no version {version}")
    return inside(root, client, f"v{version}")


def version_files(folder: Path) -> list[str]:
    """The files of a version folder a reader can download (plain files, no symlinks), sorted."""
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink() and NAME.fullmatch(p.name))
