"""Cell values of exports: counts with thousands separators, dates in the exporters' many forms, IDs.

Exports write counts as `"1,250"`, `"2633.0"`, `"7.3E-4"`, `"1.2K"` or `-` and dates as
`10/01/2025 04:34` (Meta), `2019-01-31 23:32 +0000` (X, legacy), `Tue, Jul 14, 2026` (X) or an
Excel date cell (LinkedIn). A date column's format is chosen per file: the first candidate that
reads every value; month-first wins over day-first only when both read everything (the exporter's
English form), and that choice is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

MISSING = frozenset({"", "-", "--", "—", "n/a", "na", "null", "none", "nan"})
_THOUSANDS = re.compile(r"^-?\d{1,3}([,.]\d{3})+$")
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
X_EPOCH_MS = 1288834974657
_ACTIVITY = re.compile(r"activity(?::|%3A)(\d{15,20})", re.IGNORECASE)


def parse_count(value: object) -> float | None:
    """A count from a cell; None when empty or a dash. Raises ValueError when it is not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return float(value)
    text = _SPACES.sub("", str(value)).strip('"').lower()
    if text in MISSING:
        return None
    scale = 1.0
    if text[-1:] in _SUFFIX and re.match(r"^-?\d", text):
        scale, text = _SUFFIX[text[-1]], text[:-1]
    if text.endswith("%"):
        raise ValueError(str(value))
    return float(_plain_number(text)) * scale


def _plain_number(text: str) -> str:
    """'1,250' -> '1250'; '1.250' -> '1250' (counts are whole); '12,5' -> '12.5'; '1.234,5' -> '1234.5'."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return text.replace(thousands, "").replace(decimal, ".")
    if _THOUSANDS.match(text):
        return text.replace(",", "").replace(".", "")
    return text.replace(",", ".")


def excel_serial(value: float) -> dt.datetime:
    """A naive datetime from an Excel serial day number (1900 system)."""
    return EXCEL_EPOCH + dt.timedelta(days=float(value))


def parse_with(text: str, fmt: str) -> dt.datetime:
    """`strptime` after trimming quotes, spaces and a trailing '(weekday)'."""
    clean = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", text.strip().strip('"'))
    return dt.datetime.strptime(" ".join(clean.split()), fmt)


def choose_format(values: Sequence[str], candidates: Sequence[str]) -> tuple[str | None, str | None]:
    """(format reading every value or None, the first value the best candidate cannot read)."""
    best, best_bad, best_ok = None, None, -1
    for fmt in candidates:
        ok, bad = 0, None
        for text in values:
            try:
                parse_with(text, fmt)
                ok += 1
            except ValueError:
                bad = bad if bad is not None else text
        if bad is None:
            return fmt, None
        if ok > best_ok:
            best, best_bad, best_ok = fmt, bad, ok
    return None, best_bad if best is not None else (values[0] if values else None)


def day_first_ambiguous(values: Sequence[str], month_first: str, day_first: str) -> bool:
    """True when both readings work for every value and give different dates for some."""
    try:
        pairs = [(parse_with(v, month_first), parse_with(v, day_first)) for v in values]
    except ValueError:
        return False
    return any(a != b for a, b in pairs)


def snowflake_time(post_id: str) -> dt.datetime | None:
    """UTC creation time of an X post from its Snowflake ID; None when the ID is not one."""
    if not post_id.isdigit() or len(post_id) < 15:
        return None
    return _from_ms((int(post_id) >> 22) + X_EPOCH_MS)


def linkedin_activity_time(link: str) -> dt.datetime | None:
    """UTC creation time from the `urn:li:activity:<id>` in a LinkedIn post link (top 41 bits = ms)."""
    match = _ACTIVITY.search(link or "")
    return _from_ms(int(match.group(1)) >> 22) if match else None


def _from_ms(ms: int) -> dt.datetime | None:
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    return moment if 2006 <= moment.year <= 2100 else None


def clean_id(value: object) -> str:
    """An ID as text; Excel-mangled ones ('1.22158E+17') come back empty because their digits are gone."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and value < 2**53 else ""
    text = str(value).strip().strip('"')
    return "" if re.search(r"[eE]\+", text) else text
