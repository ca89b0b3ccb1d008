"""The one Jinja2 helper of the product: document templates, section templates and prompts.

Templates live in `agent/render/templates/` (documents and offline section prose) and in the prompts
folder (`_prompts_dir()`, which may not exist yet). Text templates are rendered without
autoescaping; only templates whose name ends in `.html.j2` are autoescaped. Undefined names fail loudly.
The filters below are the product's shared vocabulary for money, percentages, days and platforms.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from agent.model.settings import Settings

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""Document and section templates shipped with the package."""
_BLANK_RUNS = re.compile(r"\n{3,}")

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
DAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}  # fmt: skip
PLATFORM_NAMES = {
    "facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "x": "X",
    "tiktok": "TikTok", "youtube": "YouTube", "pinterest": "Pinterest", "threads": "Threads",
}  # fmt: skip
FORMAT_NAMES = {
    "text": "text post", "images": "image", "carousels": "carousel", "short_video": "short video",
    "long_video": "long video", "live": "live session", "stories": "story",
}  # fmt: skip
GOAL_NAMES = {
    "awareness": "brand awareness", "engagement": "engagement", "traffic": "website traffic",
    "leads": "lead generation", "sales": "sales", "community": "community building",
    "recruiting": "recruiting", "app_installs": "app installs",
}  # fmt: skip
FORMAT_PLURALS = {
    "text": "text posts", "images": "images", "carousels": "carousels", "short_video": "short videos",
    "long_video": "long videos", "live": "live sessions", "stories": "stories",
}  # fmt: skip


def number(value: float | int | None, digits: int = 2) -> str:
    """Thousands separators, at most `digits` decimals, trailing zeros dropped: 1200.0 -> '1,200'."""
    if value is None:
        return "—"
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: float | int, currency: str = "USD") -> str:
    """'$1,200' for USD, EUR and GBP symbols; '1,200 CHF' for other codes. Cents only when present."""
    digits = 0 if float(amount) == round(float(amount)) else 2
    text = f"{float(amount):,.{digits}f}"
    symbol = CURRENCY_SYMBOLS.get(str(currency).upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def span(value: Any, digits: int = 0) -> str:
    """A low-high range (anything with .low/.high or a mapping): '55,000–110,000'."""
    low, high = _bounds(value)
    return (
        number(low, digits)
        if number(low, digits) == number(high, digits)
        else (f"{number(low, digits)}–{number(high, digits)}")
    )


def money_span(value: Any, currency: str = "USD") -> str:
    """A money range: '$5.58–$8.95'."""
    low, high = _bounds(value)
    return money(low, currency) if low == high else f"{money(low, currency)}–{money(high, currency)}"


def _bounds(value: Any) -> tuple[float, float]:
    if isinstance(value, dict):
        return float(value["low"]), float(value["high"])
    return float(value.low), float(value.high)


def percent(value: float | int, digits: int = 0) -> str:
    """A fraction as a percentage: 0.355 -> '36%' (digits=0) or '35.5%' (digits=1)."""
    return f"{float(value) * 100:.{digits}f}%"


def quantity(value: float | int | None, unit: str) -> str:
    """A number with its unit: '2.5%', '1,200 followers'; '—' when there is no value."""
    if value is None:
        return "—"
    if unit.strip() == "%":
        return f"{number(value)}{unit}"
    if value == 1 and unit not in ("sessions", "impressions"):
        unit = singular(unit)
    return f"{number(value)} {unit}".rstrip()


def singular(unit: str) -> str:
    """A plural unit for one: 'hours' -> 'hour', 'orders or visits' -> 'order or visit', 'booking or quote
    requests' -> 'booking or quote request' (the last word of each alternative)."""
    parts = re.split(r"( or | and )", unit)
    return "".join(part if part in (" or ", " and ") else _singular_word(part) for part in parts)


def _singular_word(part: str) -> str:
    head, _, last = part.rpartition(" ")
    if last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


def day_name(day: str) -> str:
    """'mon' -> 'Monday'."""
    return DAY_NAMES.get(str(day), str(day))


def day_short(day: str) -> str:
    """'mon' -> 'Mon'."""
    return day_name(day)[:3]


def platform_name(platform: object) -> str:
    """'linkedin' -> 'LinkedIn'; None -> 'All channels'."""
    if platform is None:
        return "All channels"
    return PLATFORM_NAMES.get(str(platform), str(platform).title())


def format_name(fmt: object) -> str:
    """A content format as one post: 'carousels' -> 'carousel', 'short_video' -> 'short video'."""
    return FORMAT_NAMES.get(str(fmt), str(fmt).replace("_", " "))


def format_plural(fmt: object) -> str:
    """A content format as a kind of post: 'short_video' -> 'short videos'."""
    return FORMAT_PLURALS.get(str(fmt), str(fmt).replace("_", " "))


def goal_name(goal: object) -> str:
    """'leads' -> 'lead generation'."""
    return GOAL_NAMES.get(str(goal), label(goal))


def label(value: object) -> str:
    """An identifier as words: 'not_recommended' -> 'not recommended'."""
    return str(value).replace("_", " ")


def words(items: list[Any] | tuple[Any, ...], conjunction: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    parts = [str(i) for i in items]
    if len(parts) <= 2:
        return f" {conjunction} ".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def sentence(text: object) -> str:
    """Text as a sentence: one line, first letter capitalised, ending with punctuation."""
    clean = " ".join(str(text).split())
    if not clean:
        return clean
    clean = clean[0].upper() + clean[1:]
    return clean if clean[-1] in ".!?…" else f"{clean}."


def lower_first(text: object) -> str:
    """'Local food and drink' -> 'local food and drink'; 'B2B software (SaaS)' stays (an acronym leads)."""
    value = str(text)
    if any(c.isupper() for c in value.split(" ", 1)[0][1:]):
        return value
    return value[:1].lower() + value[1:]


def inline(text: object) -> str:
    """Text on one line (newlines and runs of spaces collapsed)."""
    return " ".join(str(text).split())


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, `|` escaped."""
    return inline(text).replace("|", "\\|")


FILTERS = {
    "number": number, "money": money, "percent": percent, "quantity": quantity, "day_name": day_name,
    "day_short": day_short, "platform_name": platform_name, "format_name": format_name,
    "format_plural": format_plural, "label": label, "goal_name": goal_name, "span": span,
    "money_span": money_span, "words": words, "lower_first": lower_first, "sentence": sentence, "inline": inline,
    "cell": cell,
}  # fmt: skip


def _prompts_dir() -> Path:
    """The prompts folder from the settings defaults (it may not exist yet)."""
    return Settings.model_validate({}).prompts_dir


def _autoescape(name: str | None) -> bool:
    return bool(name and name.endswith((".html.j2", ".html")))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared Jinja2 environment (document templates first, then prompts)."""
    loaders = [FileSystemLoader(TEMPLATES_DIR), FileSystemLoader(_prompts_dir())]
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render(name: str, **context: Any) -> str:
    """Render template `name` (e.g. 'strategy.md.j2', 'sections/summary.md.j2') with `context`."""
    return environment().get_template(name).render(**context)


def template_names(include_prompts: bool = True) -> list[str]:
    """Every template name: document templates, then prompt templates (when the folder exists)."""
    names = _listed(TEMPLATES_DIR)
    if include_prompts:
        names += [n for n in _listed(_prompts_dir()) if n not in names]
    return names


def _listed(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.j2") if p.is_file())


def strip_blank_runs(text: str) -> str:
    """Collapse three or more newlines into one blank line and end with exactly one newline."""
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
