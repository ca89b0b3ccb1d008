"""The number guard: every figure in LLM prose must be one the plan holds.

`allowed_numbers(plan, texts)` collects the plan's values: every number in the plan data (the engines'
figures and reasons, the brief's structured fields) and in code-written texts (the offline sections). Brief
strings that contain digits are free text written by the client, so they are masked out first: a number
smuggled into a brief is never a figure. `unsupported(text, allowed)` lists the numbers of a text the plan
does not hold, accepting formatting variants (4,000 / 4000 / 4k / $4,000; 55% / 0.55; rounding to the
precision shown), years, dates, ordinals up to 31 and the integers 0-10, and the client's own words when
quoted (or repeated whole, or sentence by sentence). `strip_unsupported` removes the sentences (or table
rows) that hold such numbers.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

NUMBER = re.compile(
    r"(?<![\w.,])(?P<cur>[$€£¥])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>[kKmM](?![A-Za-z])|\s?(?:thousand|million|billion)\b)?(?P<pct>\s?%|\s?percent\b)?(?P<tail>[A-Za-z]*)"
)
TIME = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?:\s?([ap])\.?m\.?)?(?![\w:])|(?<![\w:])(\d{1,2})\s?([ap])\.?m\.?(?!\w)",
    re.IGNORECASE,
)
MASKS = (
    re.compile(r"\[[a-z0-9][a-z0-9-]{2,80}\]"),  # citations
    re.compile(r"\]\([^)\s]*\)|https?://\S+"),  # link targets and bare URLs
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b24/7\b"),  # ISO dates, "24/7"
    re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"),
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"),
)
QUOTED = re.compile(r"\"([^\"\n]{2,400})\"|“([^”\n]{2,400})”")
SCALES = {"k": 1e3, "m": 1e6, "thousand": 1e3, "million": 1e6, "billion": 1e9}
OK_TAILS = {"", "x", "st", "nd", "rd", "th", "s", "h", "hrs", "usd", "eur", "gbp"}
ORDINALS = {"st", "nd", "rd", "th"}
LIST_MARK = re.compile(r"^(\s*(?:[-*+]|\d+[.)]|#{1,6}|>)\s+)")
BOUNDARY = re.compile(r"[.!?;](?:\*{1,2}|[\"”')\]])*(?=\s+[\"“(*\[A-Z0-9])")


class Allowed(BaseModel):
    """The values a text may state, the HH:MM times, and the client's own digit-bearing words.

    A pydantic model so that it can travel in graph state (computed once per plan, used by every section).
    """

    model_config = ConfigDict(frozen=True)
    values: tuple[float, ...]
    times: frozenset[str]
    client_words: tuple[str, ...]

    def holds(self, value: float, tolerance: float) -> bool:
        """True when some allowed value is within `tolerance` of `value`."""
        i = bisect.bisect_left(self.values, value - tolerance - 1e-9)
        return i < len(self.values) and self.values[i] <= value + tolerance + 1e-9


def allowed_numbers(plan: dict[str, Any], texts: Iterable[str] = ()) -> Allowed:
    """The values of `plan` (a JSON dump with a `brief` key) and of code-written `texts`."""
    client = client_words(plan.get("brief") or {})
    found: set[float] = set()
    times: set[str] = set()
    strings = list(texts)
    for key, value in plan.items():
        for item in _leaves(value, strings=key != "brief"):
            if isinstance(item, str):
                strings.append(item)
            else:
                found.add(abs(float(item)))
    for text in strings:
        masked = MASKS[1].sub(" ", MASKS[0].sub(" ", _mask_client(text, client)))
        found.update(_values(masked))
        times.update(_times(masked))
    found |= {v * 100 for v in found if v <= 1}
    return Allowed(values=tuple(sorted(round(v, 6) for v in found)), times=frozenset(times), client_words=client)


def client_words(brief: dict[str, Any]) -> tuple[str, ...]:
    """The brief's free-text strings that contain digits (normalised), longest first."""
    business, audience, goals = brief.get("business") or {}, brief.get("audience") or {}, brief.get("goals") or {}
    texts = [business.get(k) for k in ("name", "description", "industry", "website")]
    texts += [audience.get("description"), goals.get("target")]
    texts += [*business.get("locations", []), *audience.get("interests", []), *brief.get("competitors", [])]
    found: set[str] = set()
    for text in (t for t in texts if isinstance(t, str) and re.search(r"\d", t)):
        found.add(_norm(text))
        found.update(_norm(part).rstrip(".!?") for part in sentences(text) if len(part.split()) >= 3)
    return tuple(sorted((w for w in found if re.search(r"\d", w)), key=len, reverse=True))


def unsupported(text: str, allowed: Allowed) -> list[str]:
    """The numbers (as written) in `text` that the plan does not hold."""
    masked = _mask_quotes(_mask_client(text, allowed.client_words), allowed.client_words)
    for pattern in MASKS:
        masked = pattern.sub(" ", masked)
    bad = [m.group(0).strip(" .") for m in TIME.finditer(masked) if _clock(m) not in allowed.times]
    masked = TIME.sub(" ", masked)
    for match in NUMBER.finditer(masked):
        if not _fits(match, allowed):
            bad.append(match.group(0).strip())
    return bad


@dataclass(frozen=True)
class Stripped:
    """A text with its unsupported sentences removed."""

    text: str
    removed: list[str]
    bad: list[str]
    total: int


def strip_unsupported(text: str, allowed: Allowed) -> Stripped:
    """Drop every sentence, list item or table row that states a number the plan does not hold."""
    return drop_sentences(text, lambda unit: unsupported(unit, allowed))


def drop_sentences(text: str, wrong: Callable[[str], list[str]]) -> Stripped:
    """Drop every sentence or table row for which `wrong` names something; keep the Markdown shape."""
    lines, removed, bad, total = [], [], [], 0
    for line in text.splitlines():
        units = [line] if line.lstrip().startswith("|") else list(sentences(line))
        kept = []
        for unit in units:
            total += 1
            found = wrong(unit)
            if found:
                removed.append(unit.strip())
                bad.extend(found)
            else:
                kept.append(unit)
        if not units or len(kept) == len(units):
            lines.append(line)
        elif len(re.findall(r"\w+", " ".join(kept))) >= 3:
            lines.append(_join(line, kept))
    return Stripped(text="\n".join(lines).strip() + "\n", removed=removed, bad=bad, total=total)


def sentences(line: str) -> Iterator[str]:
    """The sentences of one Markdown line; the first keeps the line's list or heading marker."""
    start = 0
    for match in BOUNDARY.finditer(line):
        yield line[start : match.end()]
        start = match.end()
    if line[start:].strip():
        yield line[start:]


def _join(line: str, kept: list[str]) -> str:
    marker = LIST_MARK.match(line)
    body = " ".join(part.strip() for part in kept)
    if marker and not body.startswith(marker.group(1).strip()):
        return f"{marker.group(1)}{body}"
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}{body}"


def _fits(match: re.Match[str], allowed: Allowed) -> bool:
    tail = match.group("tail").lower()
    if tail not in OK_TAILS and not (len(tail) == 3 and match.group("tail").isupper()):
        return True  # an identifier such as 1080p or 5G, not a figure
    raw = match.group("num")
    plain = not (match.group("cur") or match.group("scale") or match.group("pct") or "." in raw or "," in raw)
    value = float(raw.replace(",", ""))
    if plain and (value <= 10 or (tail in ORDINALS and value <= 31) or (len(raw) == 4 and 1900 <= value <= 2100)):
        return True
    scale = SCALES.get((match.group("scale") or "").strip().lower(), 1.0)
    value *= scale
    tolerance = _unit(raw, value, scale) / 2
    if allowed.holds(value, tolerance):
        return True
    if match.group("pct"):
        return allowed.holds(value / 100, tolerance / 100)
    return False


def _unit(raw: str, value: float, scale: float) -> float:
    """The precision the number is written to, but never coarser than two significant digits."""
    digits = raw.replace(",", "")
    if "." in digits:
        shown = 10.0 ** -len(digits.split(".")[1]) * scale
    else:
        shown = 10.0 ** (len(digits) - len(digits.rstrip("0"))) * scale if digits.strip("0") else scale
    if value >= 10:
        shown = min(shown, 10.0 ** (math.floor(math.log10(value)) - 1))
    return shown


def _values(text: str) -> Iterator[float]:
    for match in NUMBER.finditer(text):
        scale = SCALES.get((match.group("scale") or "").strip().lower(), 1.0)
        yield float(match.group("num").replace(",", "")) * scale


def _times(text: str) -> Iterator[str]:
    for match in TIME.finditer(text):
        yield _clock(match)


def _clock(match: re.Match[str]) -> str:
    """A matched time as 24-hour HH:MM."""
    hour = int(match.group(1) or match.group(4))
    minute = int(match.group(2) or 0)
    half = (match.group(3) or match.group(5) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    if half == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _leaves(value: Any, strings: bool) -> Iterator[str | float]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item, strings)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item, strings)
    elif (isinstance(value, int | float) and not isinstance(value, bool)) or (isinstance(value, str) and strings):
        yield value


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _mask_client(text: str, client: tuple[str, ...]) -> str:
    """`text` with whole occurrences of the client's digit-bearing words blanked out."""
    if not client:
        return text
    lowered = " ".join(text.split())
    for words in client:
        lowered = re.sub(re.escape(words), " ", lowered, flags=re.IGNORECASE)
    return lowered


def _mask_quotes(text: str, client: tuple[str, ...]) -> str:
    """`text` with quoted passages of the client's own words blanked out."""
    def blank(match: re.Match[str]) -> str:
        inner = _norm(match.group(1) or match.group(2) or "")
        return " " if any(inner in words for words in client) else match.group(0)

    return QUOTED.sub(blank, text) if client else text
