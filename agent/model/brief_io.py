"""Load a Brief from a YAML or JSON file, turning every problem into one clear `BriefError`.

The message format is the CLI contract: `<file>: <field>: <what is wrong>`.

Briefs may be uploaded, so parsing has a bounded cost: the file is capped at `MAX_BYTES`, YAML anchors and
aliases are refused before anything is built (no alias bomb can expand), and nesting and node counts are capped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from agent.model.brief import Brief
from agent.model.quantities import shown
from agent.model.yaml_text import SAFE_LOADER, safe_load

MAX_BYTES = 1024 * 1024
"""Largest brief file read; a real brief is a few KB."""
MAX_DEPTH = 16
"""Deepest nesting of mappings and lists; a brief needs 3 (presence -> item -> field)."""
MAX_NODES = 10_000
"""Most values (and keys) in one brief; a real brief has a few hundred."""

_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters that may not appear raw in a brief file (tab, line feed and carriage return may)."""


class BriefError(ValueError):
    """A brief that cannot be used; str() is '<file>: <field>: <what>' for the first problem, and `others`
    holds one such line for each further problem found in the same pass."""

    def __init__(self, source: str, field: str, message: str, others: list[str] | None = None) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source, self.field, self.message = source, field, message
        self.others = others or []


def too_large(name: str) -> BriefError:
    """The error for a brief over MAX_BYTES."""
    return BriefError(name, "file", f"is larger than {MAX_BYTES // 1024 // 1024} MiB; a brief is a few KB of text")


def read_brief_data(path: Path) -> dict[str, Any]:
    """Parse the file into a mapping, or raise BriefError."""
    name = str(path)
    return parse_brief_text(name, path.suffix, _read_text(name, path))


def parse_brief_text(name: str, suffix: str, text: str) -> dict[str, Any]:
    """Parse a brief's text (YAML, or JSON when `suffix` is .json) into a mapping, or raise BriefError naming
    `name`: the one parser for files on disk and uploads alike."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise too_large(name)
    if not text.strip():
        raise BriefError(name, "file", "is empty")
    control = _RAW_CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise BriefError(name, f"line {line}", f"contains a control character (U+{ord(control.group()):04X})")
    data = _parse(name, suffix.lower(), text)
    if not isinstance(data, dict):
        raise BriefError(name, "file", "must hold a mapping of sections (business, audience, goals...)")
    return data


def _read_text(name: str, path: Path) -> str:
    """The file's text, reading at most MAX_BYTES + 1 bytes (so /dev/zero or a huge upload costs nothing)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise BriefError(name, "file", "not found") from None
    except IsADirectoryError:
        raise BriefError(name, "file", "is a folder, not a brief file") from None
    except OSError as exc:
        raise BriefError(name, "file", f"cannot be read ({exc.__class__.__name__})") from None
    if len(raw) > MAX_BYTES:
        raise too_large(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BriefError(name, "file", "cannot be read (UnicodeDecodeError)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as text mode reads


def _parse(name: str, suffix: str, text: str) -> Any:
    """JSON or YAML by suffix; a value Python cannot hold or absurd nesting also becomes a BriefError."""
    try:
        return _parse_json(name, text) if suffix == ".json" else _parse_yaml(name, text)
    except BriefError:
        raise
    except RecursionError:
        raise BriefError(name, "file", f"is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # an integer over 4300 digits, an impossible date such as 2027-02-30
        reason = str(exc).split(";")[0].split("\n")[0][:120]
        raise BriefError(name, "file", f"holds a value that cannot be read ({reason})") from None


def _parse_json(name: str, text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BriefError(name, f"line {exc.lineno}", f"malformed JSON ({exc.msg})") from None
    _check_json_shape(name, data)
    return data


def _check_json_shape(name: str, data: Any) -> None:
    """Walk the parsed JSON without recursion, enforcing MAX_DEPTH and MAX_NODES."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 1
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            children = list(node.values()) if isinstance(node, dict) else node
            nodes += len(children) + (len(node) if isinstance(node, dict) else 0)  # values, and keys as YAML counts
            _check_size(name, "file", depth, nodes)
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _parse_yaml(name: str, text: str) -> Any:
    try:
        scan_yaml(name, text)
        return safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or "syntax error"
        raise BriefError(name, where, f"malformed YAML ({problem})") from None


def scan_yaml(name: str, text: str) -> None:
    """Read the YAML events (cheap, nothing is built) and refuse anchors, aliases, deep nesting and bulk.

    Refusing every anchor and alias makes an alias bomb (billion laughs) fail at its first `&`, before any
    expansion; a brief never needs them.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        where = f"line {event.start_mark.line + 1}" if event.start_mark else "file"
        if getattr(event, "anchor", None) is not None:
            raise BriefError(name, where, "YAML anchors and aliases (&, *) are not allowed in a brief")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        nodes += isinstance(event, yaml.NodeEvent)
        _check_size(name, where, depth, nodes)


def _check_size(name: str, where: str, depth: int, nodes: int) -> None:
    if depth > MAX_DEPTH:
        raise BriefError(name, where, f"is nested more than {MAX_DEPTH} levels deep; a brief needs 3")
    if nodes > MAX_NODES:
        raise BriefError(name, where, f"has more than {MAX_NODES:,} values; a brief needs a few hundred")


def validate_brief(data: dict[str, Any], source: str) -> Brief:
    """Validate a mapping as a Brief, or raise BriefError naming the first bad field."""
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        problems = list(dict.fromkeys(describe(err) for err in exc.errors()))
        (field, message), rest = problems[0], problems[1:]
        raise BriefError(source, field, message, [f"{source}: {f}: {m}" for f, m in rest]) from None


def load_brief(path: Path) -> Brief:
    """Read and validate a brief file."""
    return validate_brief(read_brief_data(path), str(path))


def field_path(loc: tuple[Any, ...]) -> str:
    """('presence', 0, 'platform') -> 'presence[0].platform'; odd keys are quoted and shortened."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = str(part) if str(part).isprintable() else repr(part)
            key = key if len(key) <= 60 else key[:57] + "..."
            out += f".{key}" if out else key
    return out or "brief"


def describe_error(exc: ValidationError) -> tuple[str, str]:
    """The first error of a ValidationError as (field path, plain message)."""
    return describe(exc.errors()[0])


def describe(err: Any) -> tuple[str, str]:
    """One pydantic error as (field path, plain message)."""
    loc = tuple(err["loc"])
    kind, given = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return field_path(loc), "unknown key"
    if kind == "missing":
        return field_path(loc), "is required"
    if kind == "finite_number":
        return field_path(loc), f"must be a finite number (got {shown(given)})"
    message = err["msg"].removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        expected = message.removeprefix("Input should be ")
        noun = {"platform": "platform", "formats": "format", "exclude_platforms": "platform"}
        label = next((noun[str(p)] for p in reversed(loc) if str(p) in noun), "value")
        return field_path(loc), f"unknown {label} {shown(given)} (expected {expected})"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return field_path(loc), f"{message.lower()} (got {shown(given)})"
    return field_path(loc), message[:1].lower() + message[1:]


BRIEF_SUFFIXES = {".yaml", ".yml", ".json"}


def expand(paths: list[Path]) -> list[Path]:
    """Brief files from files and folders (folders: their *.yaml, *.yml, *.json, sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in BRIEF_SUFFIXES and p.is_file()))
        else:
            out.append(path)
    return list(dict.fromkeys(out))
