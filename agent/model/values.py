"""Parsers for answers people type: money, numbers, ranges, lists, yes/no, platforms and formats.

Each returns a plain value or raises `AnswerError` with a one-line explanation a person can act on.
Used by the interview's question bank and by plain-words edits of a brief.
"""

from __future__ import annotations

import re

from agent.model.brief import Format, Platform
from agent.model.quantities import (
    AnswerError,
    hours_per_week,
    money_per_month,
    months_of,
    parse_money,
    parse_number,
    period_of,
)

__all__ = [
    "AnswerError", "find_platforms", "hours_per_week", "money_per_month", "months_of", "parse_format", "parse_money",
    "parse_number", "parse_platform", "parse_range", "parse_yes_no", "period_of", "split_list",
]  # fmt: skip

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


_GOALS = {
    "bookings": "leads", "booking": "leads", "appointments": "leads", "enquiries": "leads", "inquiries": "leads",
    "quotes": "leads", "demos": "leads", "leads": "leads", "signups": "leads", "orders": "sales", "sales": "sales",
    "purchases": "sales", "revenue": "sales", "followers": "awareness", "reach": "awareness",
    "awareness": "awareness", "visits": "traffic", "visitors": "traffic", "traffic": "traffic", "clicks": "traffic",
    "hires": "recruiting", "hiring": "recruiting", "applicants": "recruiting", "candidates": "recruiting",
    "installs": "app_installs", "downloads": "app_installs", "members": "community", "community": "community",
    "engagement": "engagement", "likes": "engagement", "comments": "engagement",
}  # fmt: skip
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "business.model": {
        "consumers": "b2c", "consumer": "b2c", "public": "b2c", "people": "b2c", "households": "b2c",
        "individuals": "b2c", "shoppers": "b2c", "businesses": "b2b", "business": "b2b", "companies": "b2b",
        "firms": "b2b", "both": "both", "mixed": "both",
    },
    "audience.gender": {
        "women": "mostly_female", "woman": "mostly_female", "female": "mostly_female", "females": "mostly_female",
        "men": "mostly_male", "man": "mostly_male", "male": "mostly_male", "males": "mostly_male",
        "everyone": "any", "anyone": "any", "mixed": "any", "all": "any", "both": "any", "no": "any",
    },
    "goals.primary": _GOALS,
    "goals.secondary": _GOALS,
    "resources.formats": {
        "photos": "images", "photo": "images", "pictures": "images", "pics": "images", "reels": "short_video",
        "reel": "short_video", "shorts": "short_video", "tiktoks": "short_video", "videos": "short_video",
        "video": "short_video", "clips": "short_video", "carousel": "carousels", "story": "stories",
        "lives": "live", "streams": "live", "streaming": "live", "vlogs": "long_video", "webinars": "live",
        "posts": "text", "articles": "text", "threads": "text", "writing": "text",
    },
}  # fmt: skip
"""Common words for the interview's choices, by the field they fill."""


def choice_word(path: str, text: str) -> str | None:
    """The choice a common word stands for: ('business.model', 'consumers') -> 'b2c'; None if none does."""
    words = CHOICE_WORDS.get(path, {})
    lower = " ".join(text.lower().split())
    if lower in words:
        return words[lower]
    found = {words[w] for w in re.findall(r"[a-z_]+", lower) if w in words}
    return found.pop() if len(found) == 1 else None
