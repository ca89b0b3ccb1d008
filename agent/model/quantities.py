"""Quantities people type, one grammar for the interview, the confirm step, "what changed?" and brief files:
numbers ('2.5k'), money with its currency and period ('£500 a month', '$12k a year'), team hours ('2 hours a
day'), and plan lengths ('six months', 'a quarter', '1 year').

Pure: the standard library only (the Brief model uses these as before-validators). Each parser returns a
plain value or raises `AnswerError` with a one-line explanation a person can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from agent.model.currencies import ISO_4217

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


def shown(value: object) -> str:
    """repr() of an input for a one-line message, shortened."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class AnswerError(ValueError):
    """An answer that could not be understood; str() says what was expected."""


def parse_number(text: str) -> float:
    """'2,500' / '2.5k' / '1.2m' / '40' -> float."""
    match = re.search(r"(\d[\d,]*(?:\.\d+)?|\.\d+)\s?([km](?![a-z]))?", text.lower())
    if not match:
        raise AnswerError(f"expected a number, got {shown(text)}")
    value = float(match.group(1).replace(",", ""))
    return value * {"k": 1_000, "m": 1_000_000}.get(match.group(2) or "", 1)


def parse_money(text: str) -> tuple[float, str | None]:
    """'€2.5k a month' -> (2500.0, 'EUR'); '3000 usd' -> (3000.0, 'USD'); currency None when unsaid."""
    currency = next((code for sym, code in SYMBOLS.items() if sym in text), None)
    currency = currency or next((code for code in _currency_words(text) if code in ISO_4217), None)
    if re.search(r"\b(none|nothing|zero|no budget)\b", text.lower()):
        return 0.0, currency
    return parse_number(text), currency


_AFTER_NUMBER = re.compile(r"\d[\d.,]*\s*[kKmM]?\s*([a-z]{3})(?![A-Za-z])", re.IGNORECASE)
_CAPITALS = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
ENGLISH = {"all", "top", "try", "cup", "mad", "bob", "gel", "mop", "sos", "pen"}
"""Currency codes that are also English words: read as a currency only when written in capitals."""


def _currency_words(text: str) -> list[str]:
    """Three-letter words that may be a currency code: right after the amount ('400 eur', '3k usd') or anywhere
    in capitals ('4000 a month, in EUR'); 'budget is now 4000' and '5k all in' name none."""
    after = [word.upper() for word in _AFTER_NUMBER.findall(text) if word.isupper() or word not in ENGLISH]
    return after + _CAPITALS.findall(text)


PER_MONTH = {"day": 365 / 12, "week": 52 / 12, "fortnight": 26 / 12, "month": 1.0, "quarter": 1 / 3, "year": 1 / 12}
"""How many of each period make a month (money is planned per month)."""
WORKDAYS_PER_WEEK = 5
"""Team hours given 'a day' count working days (assumption)."""
_PERIOD = re.compile(
    r"(?:\b(?:a|an|per|each|every|in a|in an)\s+|/\s*)(day|week|fortnight|month|quarter|year)\b"
    r"|\b(daily|weekly|fortnightly|monthly|quarterly|yearly|annually|annual)\b"
)
_ADVERBS = {"daily": "day", "weekly": "week", "fortnightly": "fortnight", "monthly": "month", "quarterly": "quarter",
            "yearly": "year", "annually": "year", "annual": "year"}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "half a": 0.5,
}  # fmt: skip
_SPAN = re.compile(r"(\d+(?:\.\d+)?|half a|twenty-four|[a-z]+)\s+(day|week|month|quarter|year)s?\b")


def period_of(text: str) -> str | None:
    """The period a quantity is given per: 'a week', '/month', 'yearly' -> 'week', 'month', 'year'."""
    match = _PERIOD.search(text.lower())
    if not match:
        return None
    return match.group(1) or _ADVERBS[match.group(2)]


def money_per_month(text: str) -> tuple[float, str | None]:
    """'£500 a month' -> (500, 'GBP'); '$12k a year' -> (1000, 'USD'); '300 a week' -> (1300, None)."""
    amount, currency = parse_money(text)
    return round(amount * PER_MONTH[period_of(text) or "month"], 2), currency


def hours_per_week(text: str) -> float:
    """'20 hours a week' -> 20; '2 hours a day' -> 10 (working days); '40 hours a month' -> 9.2."""
    hours = parse_number(text)
    period = period_of(text) or "week"
    if period == "day":
        return hours * WORKDAYS_PER_WEEK
    return round(hours * PER_MONTH[period] / PER_MONTH["week"], 1)


def months_of(text: str) -> int:
    """A plan length in months: '6', 'six months', 'a quarter', '1 year', 'two years' -> 6, 6, 3, 12, 24."""
    lower = " ".join(text.lower().split())
    if re.fullmatch(r"\d+", lower):
        return int(lower)
    match = _SPAN.search(lower)
    if not match:
        raise AnswerError(f"expected a length like '6 months', 'a quarter' or '1 year', got {shown(text)}")
    count_text, unit = match.groups()
    count = float(count_text) if count_text[0].isdigit() else NUMBER_WORDS.get(count_text)
    if count is None:
        raise AnswerError(f"expected a length like '6 months', 'a quarter' or '1 year', got {shown(text)}")
    months = count * {"day": 12 / 365, "week": 12 / 52, "month": 1, "quarter": 3, "year": 12}[unit]
    return max(1, round(months))



def friendly(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """A pydantic before-validator: text goes through `parse` (a plain number string too), anything else as is."""

    def validate(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse(value)
        except AnswerError as exc:
            raise ValueError(str(exc)) from None

    return validate


MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1)}  # fmt: skip


def start_date_of(text: str, today: dt.date) -> dt.date:
    """A plan's first day: '2027-03-01', 'next month' (its 1st), 'next week' or 'next monday' (the coming
    Monday), '1 March 2027', 'March 2027' (the 1st); relative words count from `today`."""
    lower = " ".join(text.lower().replace(",", " ").split())
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(lower)
    if lower in ("next month", "from next month"):
        return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    if lower in ("next week", "next monday", "monday"):
        return today + dt.timedelta(days=7 - today.weekday())
    if lower in ("today", "now"):
        return today
    match = re.fullmatch(r"(?:(\d{1,2}) )?([a-z]+)(?: (\d{1,2}))? (\d{4})", lower)
    if match and match.group(2) in MONTHS:
        day = int(match.group(1) or match.group(3) or 1)
        with contextlib.suppress(ValueError):
            return dt.date(int(match.group(4)), MONTHS[match.group(2)], day)
    raise AnswerError(f"expected a date like 2027-03-01, '1 March 2027' or 'next month', got {shown(text)}")
