"""Post topics for the calendar: the category's topic bank filled with the business's own nouns.

Offline and deterministic. Each kind of business has patterns per kind of pillar (knowledge/data/topics.yaml),
shared out among the plan's pillars of that kind by the words they have in common, and filled with its
products (agent.planning.products), the audience's interests and place, the season and month of the post and
the call to action for the goal. Posts take topics in date order: the next one not used anywhere in the plan;
once a pillar's topics are all used, the next one not used that calendar month; only when even those run out
does a topic come back, labelled '(part 2)'. Topics with phrases written for the other kind of buyer
(topics.yaml `topic_phrases`) are left out, unless the phrase is the business's own. An LLM may later rewrite
topics, never dates or counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from agent.model.brief import Brief, Category
from agent.planning.category import plan_model
from agent.planning.content_rows import placeholders
from agent.planning.pillars import PlanPillar
from agent.planning.tables import CategoryRow, Tables

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SOUTHERN = frozenset(("AU", "NZ", "ZA", "AR", "BR", "CL", "UY", "PY", "BO", "PE", "NA", "BW", "MZ", "ZW", "MG"))
"""Countries whose seasons run opposite to the northern hemisphere's."""
FALL = frozenset(("US", "CA"))
MAX_FILLS = 48
"""Most topics one pattern gives in one month (products x interests), so pools stay small."""
GENERIC: dict[str, tuple[str, ...]] = {
    "promote": ("New at {name}: {product}", "{product}: {cta}"),
    "educate": ("{product}, explained", "Questions about {product}, answered"),
    "entertain": ("Behind the scenes: {product}", "A day at {name}"),
    "community": ("Your stories with {product}", "Meet the people behind {name}"),
    "proof": ("Customer story: {product}", "What people say about {product}"),
}
"""Patterns for a category the tables have no bank for."""


def banned_phrases(tables: Tables, model: str) -> list[str]:
    """Phrases a plan for buyers of this model never shows."""
    phrases = tables.topic_phrases
    if phrases is None or model == "both":
        return []
    return phrases.b2b_only if model == "b2c" else phrases.consumer_only


def _words(phrase: str) -> str:
    return r"[\s-]+".join(re.escape(w) for w in phrase.split())


@cache
def _phrase(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){_words(phrase)}(?:s|es)?(?![\w-])", re.IGNORECASE)


@cache
def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all `phrases`: it matches where any of them would (same word boundaries)."""
    either = "|".join(f"(?:{_words(p)})" for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{either})(?:s|es)?(?![\w-])", re.IGNORECASE)


def has_phrase(text: str, phrases: Sequence[str]) -> str | None:
    """The first phrase `text` contains as whole words (hyphens count as spaces), or None. One search for all
    phrases tells most texts (which hold none) apart; only a text that holds one is tried phrase by phrase."""
    if not phrases or not _any_phrase(tuple(phrases)).search(text):
        return None
    return next((p for p in phrases if _phrase(p).search(text)), None)


def season_of(day: dt.date, country: str | None) -> str:
    """The season of a date where the audience is ('autumn', 'fall' in North America)."""
    index = (day.month % 12) // 3  # 0 winter (Dec-Feb), 1 spring, 2 summer, 3 autumn
    if country in SOUTHERN:
        index = (index + 2) % 4
    return ("winter", "spring", "summer", "fall" if country in FALL else "autumn")[index]


@dataclass
class TopicSource:
    """What topics are made from for one plan: patterns by pillar name and the brief's own words."""

    patterns: dict[str, list[str]]
    products: list[str]
    interests: list[str]
    fixed: dict[str, str]
    banned: list[str]
    country: str | None = None


def _usable(patterns: list[str], fixed: dict[str, str]) -> list[str]:
    """The patterns whose every placeholder has a value (those needing a missing place are left out)."""
    return [p for p in patterns if placeholders(p) <= {"product", "interest", "season", "month", *fixed}]


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]{3,}", re.sub(r"\{\w+\}", " ", text.lower()))
    return {w[:5] for w in words if w not in STOP}


STOP = frozenset(("with", "what", "your", "from", "this", "that", "they", "their", "them", "have", "when", "more",
                  "about", "into", "over", "before", "after", "week", "days", "people"))


def split_patterns(patterns: list[str], pillars: list[PlanPillar]) -> dict[str, list[str]]:
    """A kind's patterns shared out among the plan's pillars of that kind: the pillars take turns choosing the
    pattern that shares most words with their name and purpose, so each gets its own and about as many (with
    fewer than two patterns each, every pillar keeps them all)."""
    if len(pillars) <= 1 or len(patterns) < 2 * len(pillars):
        return {p.name: list(patterns) for p in pillars}
    words = {p.name: _stems(f"{p.name} {p.purpose}") for p in pillars}
    left = list(range(len(patterns)))
    chosen: dict[str, list[int]] = {p.name: [] for p in pillars}
    for turn in range(len(patterns)):
        name = pillars[turn % len(pillars)].name
        best = max(left, key=lambda i: (len(_stems(patterns[i]) & words[name]), -i))
        chosen[name].append(best)
        left.remove(best)
    return {name: [patterns[i] for i in sorted(found)] for name, found in chosen.items()}


def topic_source(brief: Brief, tables: Tables, category: Category, row: CategoryRow | None,
                 pillars: list[PlanPillar], nouns: tuple[list[str], str | None], country: str | None) -> TopicSource:
    """The patterns and words the plan's topics are built from (`nouns`: the products and the place). Phrases
    for the other kind of buyer are kept out, except those in the business's own words."""
    bank = next((b for b in tables.topic_banks if b.category == category), None)
    products, place = nouns
    own = " ".join([brief.business.name, brief.business.description, brief.business.industry, *products])
    banned = [p for p in banned_phrases(tables, plan_model(brief, row)) if not has_phrase(own, [p])]
    banks = {k: list(v) for k, v in bank.banks.items()} if bank else {k: list(v) for k, v in GENERIC.items()}
    cta = bank.cta.get(brief.goals.primary.value, bank.cta["default"]) if bank else "follow for more"
    fixed = {"name": brief.business.name, **({"cta": cta} if not has_phrase(cta, banned) else {})}
    if place:
        fixed["area"] = place
    every = [p for patterns in banks.values() for p in patterns]
    by_pillar: dict[str, list[str]] = {}
    for kind in dict.fromkeys(p.kind for p in pillars):
        usable = _usable(banks.get(kind) or every, fixed) or _usable(every, fixed)
        by_pillar.update(split_patterns(usable, [p for p in pillars if p.kind == kind]))
    return TopicSource(patterns=by_pillar, products=products, interests=list(brief.audience.interests) or [
        brief.business.industry], fixed=fixed, banned=banned, country=country)


def _rotated(values: list[str], by: int) -> list[str]:
    shift = by % len(values) if values else 0
    return values[shift:] + values[:shift]


def fills(pattern: str, index: int, source: TopicSource, day: dt.date) -> list[str]:
    """Every topic one pattern gives in the month of `day`, products changing fastest; the pattern's place in
    its bank (`index`) sets which product and interest it starts from."""
    names = placeholders(pattern)
    products = _rotated(source.products, index) if "product" in names else [""]
    interests = _rotated(source.interests, index) if "interest" in names else [""]
    when = {"season": season_of(day, source.country), "month": MONTHS[day.month - 1]}
    out = []
    for interest, product in itertools.islice(itertools.product(interests, products), MAX_FILLS):
        text = _filled(pattern, {"product": product, "interest": interest, **when, **source.fixed})
        out.append(text[:1].upper() + text[1:])
    return out


def _filled(pattern: str, values: dict[str, str]) -> str:
    """The pattern with its values, 'a' before a value read with a vowel sound becoming 'an'."""
    text = ARTICLE.sub(lambda m: f"{_article(m.group(1), values[m.group(2)])} {{{m.group(2)}}}", pattern)
    return text.format(**values)


ARTICLE = re.compile(r"\b([Aa]) \{(\w+)\}")
VOWEL_LETTERS = frozenset("AEFHILMNORSX")
"""Capitals read as a letter name starting with a vowel sound: an ER, an HR team, an SME."""


def _article(article: str, value: str) -> str:
    """'a' or 'an' (keeping the case) for the word that follows."""
    word = value.split()[0] if value.split() else value
    if len(word) > 1 and word.isupper():
        vowel = word[0] in VOWEL_LETTERS
    else:
        vowel = word[:1].lower() in "aeio" or (word[:1].lower() == "u" and not word.lower().startswith(
            ("uni", "use", "usu", "ura", "ure", "uti")))
    return f"{article}n" if vowel else article


def pool(source: TopicSource, pillar: str, day: dt.date) -> list[str]:
    """A pillar's topics for the month of `day`: its patterns in turn, each with its next fill, no repeats,
    none with a phrase for the other kind of buyer (unless nothing else is left)."""
    lists = [fills(p, i, source, day) for i, p in enumerate(source.patterns.get(pillar, []))]
    ordered = (t for group in itertools.zip_longest(*lists) for t in group if t is not None)
    topics = list(dict.fromkeys(ordered))
    kept = [t for t in topics if not has_phrase(t, source.banned)]
    return kept or topics or [source.fixed["name"]]


@dataclass
class TopicPicker:
    """Hands out topics post by post, in date order, so none repeats in a month and few repeat at all."""

    source: TopicSource
    used: set[str] = field(default_factory=set)
    by_month: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    pools: dict[tuple[str, int, int], list[str]] = field(default_factory=dict)
    fresh: dict[tuple[str, int, int], int] = field(default_factory=dict)
    again: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def reserve(self, topic: str, day: dt.date) -> None:
        """Count a topic set elsewhere (a moment's) as used on `day`."""
        self.used.add(topic)
        self.by_month.setdefault((day.year, day.month), set()).add(topic)

    def pick(self, pillar: str, day: dt.date) -> str:
        """The topic of the next post of `pillar` on `day`."""
        key = (pillar, day.year, day.month)
        topics = self.pools.get(key)
        if topics is None:
            topics = self.pools[key] = pool(self.source, pillar, day)
        index = self.fresh.get(key, 0)
        while index < len(topics) and topics[index] in self.used:
            index += 1
        self.fresh[key] = index + 1
        topic = topics[index] if index < len(topics) else self._again(key, topics)
        self.reserve(topic, day)
        return topic

    def _again(self, key: tuple[str, int, int], topics: list[str]) -> str:
        """A used topic not yet used this month; when every one is, the next labelled as a further part."""
        month = self.by_month.setdefault(key[1:], set())
        start = self.again.get(key, 0)
        for step in range(len(topics)):
            topic = topics[(start + step) % len(topics)]
            if topic not in month:
                self.again[key] = (start + step + 1) % len(topics)
                return topic
        base, part = topics[start % len(topics)], 2
        while f"{base} (part {part})" in month:
            part += 1
        self.again[key] = (start + 1) % len(topics)
        return f"{base} (part {part})"
