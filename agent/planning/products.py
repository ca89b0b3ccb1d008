"""The business's own nouns for post topics: its products or services, and the place it serves.

`business.products` wins when the brief gives it. Otherwise the description is read deterministically:
split into clauses (commas, semicolons, dashes), each clause cut where it turns to the audience or the
place ('for logistics firms', 'in Porto') or to how it is sold ('sold online'), the part before a word
that introduces the offer ('taqueria with ...', 'tasca serving ...') read as the business itself, and
what is left split on 'and' into noun phrases of one to four words without articles, filler or verbs.
No phrase found: the audience's interests, then the industry.
"""

from __future__ import annotations

import re

from agent.model.brief import Brief
from agent.planning.moments import event_title

MAX_PRODUCTS = 12
MAX_WORDS = 4
CLAUSE = re.compile(r",\s+|;|:|\(|\)|\s+[-–—]\s+|\.\s+|\.$|\s+plus\s+")
OFFER = re.compile(
    r"\s+(?:with|specialising in|specializing in|serving|selling|offering|stocking|making|featuring|building|"
    r"distributing|listing|including|dropping|launching|of|(?:shop|store|marketplace) for|"
    r"to (?:issue|manage|track|plan|book|find|learn|hire|send|build|create|keep|make)|"
    r"(?:advising|helping|supporting|coaching|teaching|training)\s.*?\s(?:on|with))\s+|"
    r"\s+(?P<subject>that|which)\s+", re.IGNORECASE)
"""Words after which the offer follows; before them, in the first clause, stands the business itself (or,
before 'that' and 'which', the product itself)."""
TAIL = re.compile(r"\s+(?:for|in|across|near|around|at|from|to|who|on|via|within|sold|made|based|delivered|"
                  r"taught|run|available|designed|a week|a month|per|every|advising|helping|supporting|coaching|"
                  r"teaching|training|visiting)\b.*$", re.IGNORECASE)
"""Where a phrase turns to the audience, the place, the channel or a frequency."""
FILLER = frozenset((
    "a", "an", "the", "our", "their", "its", "your", "and", "also", "plus", "by", "family-run", "family-owned",
    "independent", "local", "neighbourhood", "neighborhood", "award-winning", "small", "online", "mobile", "regional",
    "nonprofit", "non-profit", "free-to-play", "cloud", "new", "own", "rotating", "order", "busy",
    "sells", "sell", "offers", "offer", "provides", "provide", "makes", "make", "serves", "serve",
    "builds", "build", "hiring", "hires", "predicts", "predict", "issue", "issues", "get", "gets", "never", "miss",
    "selling", "listing", "building", "helps", "help", "delivers", "deliver", "paid", "ios", "android", "worldwide",
    "we", "us", "i", "you", "is", "are", "be", "here", "there", "best", "great", "very", "quality", "top", "leading",
    "premium", "good", "more", "all", "every", "just",
))
NUMBER_WORDS = frozenset(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens"))
ADJECTIVE_END = ("al", "ic", "ive", "ous", "ful", "ary")
KEEP_HEADS = frozenset(("software", "platform", "app", "tool", "tools", "course", "courses"))
"""Heads of the business's name for itself that still name what it sells ('payroll software')."""
SHARED_HEADS = frozenset((
    "software", "services", "service", "remodeling", "remodelling", "repair", "repairs", "clinic", "care",
    "products", "courses", "classes", "tools", "design", "engineers", "developers", "nurses", "plans", "cleaning",
    "treatments", "studio", "apps",
))
"""Heads that 'X and Y <head>' shares: 'kitchen and bathroom remodeling' is two kinds of remodeling."""
BUSINESS_HEADS = frozenset((
    "van", "shop", "store", "studio", "salon", "agency", "company", "business", "firm", "label", "brand", "bar",
    "taproom", "café", "cafe", "bakery", "consultancy", "practice", "provider", "contractor", "truck",
))
"""Words that name the business rather than what it sells, at the end of its first words ('dog grooming van')."""
VERB_NOUNS = {
    "predicts": "forecasts", "forecasts": "forecasts", "tracks": "tracking", "automates": "automation",
    "manages": "management", "schedules": "scheduling", "monitors": "monitoring", "plans": "planning",
    "analyses": "analysis", "analyzes": "analysis", "measures": "measurement", "detects": "detection",
    "optimises": "optimisation", "optimizes": "optimization", "routes": "routing", "reports": "reporting",
}
"""What a product does, as the noun a topic can name ('predicts' -> 'forecasts of ...')."""
SELLING_MODELS = frozenset((
    "subscription", "subscriptions", "membership", "memberships", "delivery", "free delivery", "home delivery",
    "shipping", "free shipping", "click and collect", "gift cards", "gift card", "loyalty scheme", "loyalty card",
))
"""How the business sells, not what it sells: 'roaster with a subscription' sells coffee (a topic such as
'a recipe with subscription' would be nonsense; the content pillars already cover subscriptions and bundles)."""
MAKERS = {
    "brewery": "beer", "microbrewery": "beer", "brewpub": "beer", "roaster": "coffee", "roastery": "coffee",
    "distillery": "spirits", "winery": "wine", "vineyard": "wine", "creamery": "ice cream", "chocolatier": "chocolate",
    "cidery": "cider", "meadery": "mead", "patisserie": "pastries", "pizzeria": "pizza", "taqueria": "tacos",
}
"""A business named for what it makes: 'craft brewery taproom' sells craft beer, 'specialty coffee roaster' coffee."""
AUDIENCE_NOUNS = frozenset((
    "homeowners", "owners", "families", "customers", "clients", "people", "adults", "firms", "companies",
    "businesses", "startups", "students", "residents", "teams", "managers", "employees", "locals", "buyers",
    "founders", "beginners", "freelancers", "users", "players", "fans", "women", "men", "kids", "parents",
))


def _words(phrase: str) -> list[str]:
    """The phrase's words without leading filler, numbers or articles (and trailing filler)."""
    words = [w for w in phrase.strip(" .,;:!?'\"").split() if w]
    while words and (words[0].lower() in FILLER or re.match(r"^\d", words[0])):
        words = words[1:]
    while words and words[-1].lower() in FILLER:
        words = words[:-1]
    return words


def _split_and(phrase: str) -> list[str]:
    """'lunch specials and weekend brunch' -> both; 'kitchen and bathroom remodeling' shares the head noun."""
    parts = [p for p in re.split(r"\s+(?:and|&|or)\s+", phrase) if p.strip()]
    if len(parts) == 2:
        first, second = _words(parts[0]), parts[1].split()
        if len(first) == 1 and len(second) >= 2 and second[-1].lower() in SHARED_HEADS:
            return [f"{first[0]} {' '.join(second[1:])}", parts[1]]
    return parts


def _phrases(part: str) -> list[str]:
    """Noun phrases of one to four words in a piece of a clause."""
    out = []
    for piece in _split_and(TAIL.sub("", f" {part}").strip()):
        words = _words(TAIL.sub("", f" {piece}"))
        if not words or words[0].lower() in NUMBER_WORDS:
            continue
        if len(words) <= MAX_WORDS and words[-1].lower() not in AUDIENCE_NOUNS:
            out.append(" ".join(words))
    return out


def _business_part(part: str) -> list[str]:
    """What the business's name for itself says it offers: 'warehouse analytics SaaS' -> 'warehouse analytics',
    'family-run taqueria' -> nothing (a single word left over names the business, not a product)."""
    words = TAIL.sub("", f" {part}").split()
    if words and words[-1].lower() not in KEEP_HEADS and words[-1].lower() not in MAKERS:
        words = words[:-1]
    made = MAKERS.get(words[-1].lower()) if words else None
    if made is not None:  # 'craft brewery' -> 'craft beer'; 'specialty coffee roaster' -> 'specialty coffee'
        words = words[:-1] if made in (w.lower() for w in words) else [*words[:-1], made]
    return [p for p in _phrases(" ".join(words)) if " " in p]


def _names_business(text: str) -> bool:
    """True when the words end in one that names the business itself ('mobile dog grooming van')."""
    words = TAIL.sub("", f" {text}").split()
    return len(words) > 1 and (words[-1].lower() in BUSINESS_HEADS or words[-1].lower() in MAKERS)


def _does(offer: str) -> list[str]:
    """What a product does, as nouns: 'predicts stock-outs and labour needs' -> 'forecasts of stock-outs', ..."""
    verb, _, rest = offer.strip().partition(" ")
    noun = VERB_NOUNS.get(verb.lower())
    return [f"{noun} of {p}" for p in _phrases(rest) if len(p.split()) < MAX_WORDS] if noun else _phrases(offer)


def _clause_products(clause: str, first: bool) -> list[str]:
    """Products of one clause: the offer first, then what the business's own name says (the product itself
    first, when the clause is 'X that does Y')."""
    found = OFFER.search(f" {clause} ")
    if found is None:
        return _business_part(clause) if _names_business(clause) else _phrases(clause)
    head, offer = f" {clause} "[:found.start()].strip(), f" {clause} "[found.end():]
    own = _business_part(head) if first or _names_business(head) else _phrases(head)
    if found.group("subject"):
        return own + _does(offer)
    return _clause_products(offer.strip(), False) + own


def extract_products(description: str) -> list[str]:
    """Product and service noun phrases named in a business description, in order, without repeats."""
    found: list[str] = []
    for index, clause in enumerate(c for c in CLAUSE.split(_sentence_case(description)) if c and c.strip()):
        found += _clause_products(clause.strip(), index == 0)
    seen: dict[str, str] = {}
    for phrase in found:
        seen.setdefault(phrase.lower(), phrase)
    sold = [p for p in seen.values() if p.lower().split()[-1] not in SELLING_MODELS and p.lower() not in SELLING_MODELS]
    return (sold or list(seen.values()))[:MAX_PRODUCTS]


def _sentence_case(text: str) -> str:
    """Lower-case each sentence's first word when it is only capitalised for the sentence ('Vegan skincare')."""
    return re.sub(r"(^|[.;]\s+)([A-Z])(?=[a-z])", lambda m: m.group(1) + m.group(2).lower(), text)


def business_products(brief: Brief) -> list[str]:
    """The products to feature: given, else read from the description (without the client's own events, which
    have posts of their own: a taproom's 'weekly trivia nights' is not what it sells), else the interests, else
    the industry."""
    if brief.business.products:
        return list(brief.business.products)
    read = extract_products(brief.business.description)
    events = [w for event in brief.business.events for w in _words(event_title(event).lower()) if len(w) > 3]
    sold = [p for p in read if not any(re.search(rf"\b{re.escape(w)}", p.lower()) for w in events)]
    return sold or read or list(brief.audience.interests) or [brief.business.industry]


DIRECTION = r"(?:(?:north|south|east|west|central|inner|outer|greater|downtown)\s+)?"
PLACE = re.compile(rf"\b(?:in|around|near|across)\s+(?:the\s+)?({DIRECTION}[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
RADIUS = re.compile(r"^within\s+[\d.,]+\s*\w+\s+(?:of|around)\s+(?:the\s+)?", re.IGNORECASE)
COUNTRY_WORDS = frozenset(("uk", "us", "usa", "england", "scotland", "wales", "northern ireland", "britain",
                           "great britain", "america", "the us", "the uk", "worldwide", "global", "europe"))


def place_of(brief: Brief, countries: set[str]) -> str | None:
    """The audience's place for topics ('South Austin', 'north Leeds'): from audience.area, else a place named
    in the audience description, else the first location when it is a place rather than a country (`countries`:
    lower-case names and codes of known countries)."""
    skip = countries | COUNTRY_WORDS
    if brief.audience.area:
        text = RADIUS.sub("", brief.audience.area.strip())
        text = re.split(r",|;|\s+and\s+", text.rsplit(" in ", 1)[-1])[0].strip()
        if text and text.lower() not in skip and len(text.split()) <= MAX_WORDS:
            return text
    for found in PLACE.finditer(brief.audience.description):
        if found.group(1).lower() not in skip:
            return found.group(1)
    first = brief.business.locations[0] if brief.business.locations else ""
    return first if first and first.lower() not in skip else None
