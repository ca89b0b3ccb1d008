"""Knowledge entries: Markdown files with YAML front matter, parsed and validated.

An entry looks like::

    ---
    id: sprout-best-times-2023
    title: Best times to post, Sprout Social 2023
    kind: smm
    platforms: [facebook, instagram]
    goals: [all]
    source: Sprout Social, "Best Times to Post on Social Media", 2023, https://...
    year: 2023
    ---
    Body in Markdown.

A malformed entry raises `EntryError` naming the file and line; `load_entries` collects those and
goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.model.brief import Goal, Platform
from agent.model.yaml_text import safe_load

ALL = "all"
_URL = re.compile(r"https?://[^\s,;'\"<>)]+")
_BARE_URL = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|ec|co|uk|ai|gov|edu)(?:/[^\s,;'\"<>)]*)?")


class EntryError(ValueError):
    """A knowledge entry that cannot be used, with where the problem is."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


class Entry(BaseModel):
    """One curated practice, with its source."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,80}$")
    title: str = Field(min_length=3)
    kind: Literal["smo", "smm"]
    platforms: list[str] = Field(default_factory=lambda: [ALL])
    goals: list[str] = Field(default_factory=lambda: [ALL])
    stage: list[str] = Field(default_factory=lambda: [ALL])
    source: str = Field(min_length=5)
    year: int = Field(ge=1990, le=2100)
    since: dt.date | None = None
    uncertain: bool = False
    url: str | None = Field(None, pattern=r"^https?://\S+$", description="The main source's address.")
    publisher: str | None = Field(None, max_length=120, description="Who published the main source.")
    tags: list[str] = Field(default_factory=list)
    body: str = Field(min_length=20)
    path: str = ""

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        known = {p.value for p in Platform} | {ALL}
        bad = [v for v in value if v not in known]
        if bad:
            raise ValueError(f"unknown platform {bad[0]!r}")
        return value

    @field_validator("goals")
    @classmethod
    def _goals(cls, value: list[str]) -> list[str]:
        known = {g.value for g in Goal} | {ALL}
        bad = [v for v in value if v not in known]
        if bad:
            raise ValueError(f"unknown goal {bad[0]!r}")
        return value

    def source_url(self) -> str | None:
        """`url`, else the first web address in `source` (a bare 'domain/path' gets https://)."""
        if self.url:
            return self.url
        found = _URL.search(self.source) or _BARE_URL.search(self.source)
        if found is None:
            return None
        address = found.group(0).rstrip(".,;)'\"")
        return address if address.startswith("http") else f"https://{address}"

    def source_publisher(self) -> str:
        """`publisher`, else the source's first clause (up to the first comma or quote)."""
        if self.publisher:
            return self.publisher
        head = re.split(r"[,\"(]", self.source, maxsplit=1)[0].strip(" '")
        return head[:80] or self.source[:80]

    def covers_platform(self, platform: str) -> bool:
        """True when the entry speaks of `platform` (or of all platforms)."""
        return ALL in self.platforms or platform in self.platforms


def parse_entry(path: Path, text: str) -> Entry:
    """Parse one entry's text; raise EntryError with the line of the problem."""
    if not text.startswith("---"):
        raise EntryError(path, 1, "front matter must start with '---'")
    lines = text.splitlines()
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise EntryError(path, 1, "front matter is not closed with '---'") from None
    try:
        meta = safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EntryError(path, (mark.line + 2) if mark else 1, "front matter is not valid YAML") from None
    if not isinstance(meta, dict):
        raise EntryError(path, 2, "front matter must be a mapping")
    body = "\n".join(lines[end + 1 :]).strip()
    try:
        return Entry(**meta, body=body, path=str(path))
    except (ValidationError, TypeError) as exc:
        field, message = _first_error(exc)
        return_line = _line_of(lines[1:end], field) + 1 if field else 1
        raise EntryError(path, return_line, f"{field or 'entry'}: {message}") from None


def _first_error(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        return field, err["msg"].removeprefix("Value error, ")
    return "", str(exc)


def _line_of(meta_lines: list[str], field: str) -> int:
    for number, line in enumerate(meta_lines, start=1):
        if line.startswith(f"{field}:"):
            return number
    return 0


def entry_files(root: Path) -> list[Path]:
    """Entry files under `root`, sorted, skipping data tables and READMEs."""
    return sorted(
        p for p in root.rglob("*.md") if "data" not in p.relative_to(root).parts and p.name != "README.md"
    )


def load_entries(root: Path) -> tuple[dict[str, Entry], list[EntryError]]:
    """All valid entries by id, and the errors of the ones skipped."""
    entries: dict[str, Entry] = {}
    errors: list[EntryError] = []
    for path in entry_files(root):
        try:
            entry = parse_entry(path, path.read_text(encoding="utf-8"))
        except EntryError as exc:
            errors.append(exc)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(EntryError(path, 1, f"cannot read: {exc}"))
            continue
        if entry.id in entries:
            errors.append(EntryError(path, 2, f"id {entry.id!r} already used by {entries[entry.id].path}"))
            continue
        entries[entry.id] = entry
    return entries, errors


def missing_ids(entries: dict[str, Entry], wanted: Iterable[str]) -> list[str]:
    """Ids in `wanted` that have no entry."""
    return sorted({w for w in wanted if w not in entries})
