"""Load a Brief from a YAML or JSON file, turning every problem into one clear `BriefError`.

The message format is the CLI contract: `<file>: <field>: <what is wrong>`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from agent.model.brief import Brief


class BriefError(ValueError):
    """A brief that cannot be used; str() is '<file>: <field>: <what>'."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source, self.field, self.message = source, field, message


def read_brief_data(path: Path) -> dict[str, Any]:
    """Parse the file into a mapping, or raise BriefError."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BriefError(name, "file", "not found") from None
    except IsADirectoryError:
        raise BriefError(name, "file", "is a folder, not a brief file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BriefError(name, "file", f"cannot be read ({exc.__class__.__name__})") from None
    if not text.strip():
        raise BriefError(name, "file", "is empty")
    data = _parse(name, path.suffix.lower(), text)
    if not isinstance(data, dict):
        raise BriefError(name, "file", "must hold a mapping of sections (business, audience, goals...)")
    return data


def _parse(name: str, suffix: str, text: str) -> Any:
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BriefError(name, f"line {exc.lineno}", f"malformed JSON ({exc.msg})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or "syntax error"
        raise BriefError(name, where, f"malformed YAML ({problem})") from None


def validate_brief(data: dict[str, Any], source: str) -> Brief:
    """Validate a mapping as a Brief, or raise BriefError naming the first bad field."""
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        field, message = describe_error(exc)
        raise BriefError(source, field, message) from None


def load_brief(path: Path) -> Brief:
    """Read and validate a brief file."""
    return validate_brief(read_brief_data(path), str(path))


def field_path(loc: tuple[Any, ...]) -> str:
    """('presence', 0, 'platform') -> 'presence[0].platform'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "brief"


def describe_error(exc: ValidationError) -> tuple[str, str]:
    """The first error of a ValidationError as (field path, plain message)."""
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    kind, given = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return field_path(loc), "unknown key"
    if kind == "missing":
        return field_path(loc), "is required"
    message = err["msg"].removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        expected = message.removeprefix("Input should be ")
        noun = {"platform": "platform", "formats": "format", "exclude_platforms": "platform"}
        label = next((noun[str(p)] for p in reversed(loc) if str(p) in noun), "value")
        return field_path(loc), f"unknown {label} {given!r} (expected {expected})"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return field_path(loc), f"{message.lower()} (got {given!r})"
    return field_path(loc), message[:1].lower() + message[1:]
