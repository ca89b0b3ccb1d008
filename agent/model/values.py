"""Parsers for answers people type: money, numbers, ranges, lists, yes/no, platforms and formats.

Each returns a plain value or raises `AnswerError` with a one-line explanation a person can act on.
Used by the interview's question bank and by plain-words edits of a brief.
"""

from __future__ import annotations

import re

from agent.model.brief import Format, Platform

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
PLATFORM_WORDS = {
    "fb": "facebook", "meta": "facebook", "ig": "instagram", "insta": "instagram", "twitter": "x",
    "li": "linkedin", "yt": "youtube", "tik tok": "tiktok", "pin": "pinterest",
}
FORMAT_WORDS = {
    "video": "short_video", "videos": "short_video", "reels": "short_video", "shorts": "short_video",
    "short video": "short_video", "long video": "long_video", "photos": "images", "image": "images",
    "pictures": "images", "carousel": "carousels", "story": "stories", "posts": "text", "writing": "text",
    "live video": "live", "livestream": "live",
}


class AnswerError(ValueError):
    """An answer that could not be understood; str() says what was expected."""


def parse_number(text: str) -> float:
    """'2,500' / '2.5k' / '1.2m' / '40' -> float."""
    match = re.search(r"(\d[\d,]*(?:\.\d+)?|\.\d+)\s?([km](?![a-z]))?", text.lower())
    if not match:
        raise AnswerError(f"expected a number, got {text!r}")
    value = float(match.group(1).replace(",", ""))
    return value * {"k": 1_000, "m": 1_000_000}.get(match.group(2) or "", 1)


def parse_money(text: str) -> tuple[float, str | None]:
    """'€2.5k a month' -> (2500.0, 'EUR'); '3000 usd' -> (3000.0, 'USD'); currency None when unsaid."""
    currency = next((code for sym, code in SYMBOLS.items() if sym in text), None)
    code = re.search(r"\b([A-Za-z]{3})\b", text.replace("k ", " ").replace("a month", ""))
    if code and code.group(1).upper() not in {"PER", "MON", "AND", "THE"} and not currency:
        currency = code.group(1).upper()
    if re.search(r"\b(none|nothing|zero|no budget)\b", text.lower()):
        return 0.0, currency
    return parse_number(text), currency


def parse_range(text: str) -> tuple[int, int]:
    """'25-40' / '25 to 40' / '25–40' -> (25, 40)."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) != 2:
        raise AnswerError(f"expected a range like 25-40, got {text!r}")
    low, high = sorted(numbers)
    return low, high


def parse_yes_no(text: str) -> bool:
    """'y', 'yes', 'ok' -> True; 'n', 'no' -> False."""
    word = text.strip().lower()
    if word in {"y", "yes", "yep", "ok", "sure", "true", "approve", "approved"}:
        return True
    if word in {"n", "no", "nope", "false"}:
        return False
    raise AnswerError("answer yes or no")


def split_list(text: str) -> list[str]:
    """'a, b and c' -> ['a', 'b', 'c']; 'none' -> []."""
    if text.strip().lower() in {"", "none", "no", "nothing", "-"}:
        return []
    parts = re.split(r",|;|\band\b|/|\n", text)
    return [p.strip() for p in parts if p.strip()]


def parse_platform(word: str) -> str:
    """'Twitter' -> 'x', 'IG' -> 'instagram'; AnswerError when unknown."""
    key = word.strip().lower()
    key = PLATFORM_WORDS.get(key, key)
    if key in {p.value for p in Platform}:
        return key
    known = ", ".join(p.value for p in Platform)
    raise AnswerError(f"unknown platform {word!r} (known: {known})")


def parse_format(word: str) -> str:
    """'video' -> 'short_video', 'photos' -> 'images'; AnswerError when unknown."""
    key = word.strip().lower()
    key = FORMAT_WORDS.get(key, key.replace(" ", "_"))
    if key in {f.value for f in Format}:
        return key
    known = ", ".join(f.value for f in Format)
    raise AnswerError(f"unknown format {word!r} (known: {known})")


def find_platforms(text: str) -> list[str]:
    """Every platform named in free text."""
    found = []
    lower = text.lower()
    for word in [*PLATFORM_WORDS, *(p.value for p in Platform)]:
        if re.search(rf"\b{re.escape(word)}\b", lower):
            found.append(PLATFORM_WORDS.get(word, word))
    return list(dict.fromkeys(found))
