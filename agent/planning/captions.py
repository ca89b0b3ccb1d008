"""Caption drafts for the calendar: the post's idea as a sentence, the call to action, this platform's hashtags.

Pure: posts, brief and tables in, posts with `caption` out. Hashtags are built from the business's own
products, interests and name (CamelCase, letters and digits only), as many as captions.yaml allows for the
platform; the call to action comes from the category's topic bank for the goal, pointing to the link in bio
where captions carry no clickable link (captions.yaml bio_link: in the topic's own call to action too). Nothing
else changes.
"""

from __future__ import annotations

import re

from agent.model.brief import Brief, Category
from agent.model.plan import CalendarPost
from agent.planning.tables import Tables

_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_TAG = 30


def hashtag(text: str) -> str:
    """'handmade tortillas' -> '#HandmadeTortillas' ('' when nothing usable is left)."""
    words = _WORD.findall(text)
    tag = "".join(w[:1].upper() + w[1:] for w in words)
    return f"#{tag}" if 2 <= len(tag) <= MAX_TAG and not tag.isdigit() else ""


def tag_pool(brief: Brief, products: list[str]) -> list[str]:
    """Candidate hashtags, most specific first: products, interests, then the business name."""
    tags = [hashtag(t) for t in [*products, *brief.audience.interests, brief.business.name]]
    return list(dict.fromkeys(t for t in tags if t))


ASKING = frozenset(("promote", "proof"))
"""Pillar kinds whose posts carry the goal's call to action; educate, entertain and community posts give."""
SOFT = ("engagement", "awareness")
"""The goals whose call to action asks nothing of the reader's wallet: a reply, then a follow."""


def call_to_action(brief: Brief, tables: Tables, category: Category, soft: bool = False) -> str:
    """The category's call to action for the primary goal; `soft`: for a post that gives rather than asks (the
    engagement call, else the awareness one, else the goal's)."""
    bank = next((b for b in tables.topic_banks if b.category == category), None)
    if bank is None:
        return ""
    goal = bank.cta.get(brief.goals.primary.value, bank.cta["default"])
    return next((bank.cta[g] for g in SOFT if g in bank.cta), goal) if soft else goal


def with_captions(posts: list[CalendarPost], brief: Brief, tables: Tables, category: Category,
                  products: list[str], asking: set[str] | None = None) -> list[CalendarPost]:
    """Each post with a caption draft (and, where captions carry no link, its topic's call to action pointing to
    the link in bio). `asking`: the pillars whose posts carry the goal's call to action (promote, proof); the
    others give value and ask for a reply or a follow, as the content-mix rule asks (None: every post asks)."""
    counts = tables.captions.hashtags if tables.captions else {}
    asks, gives = call_to_action(brief, tables, category), call_to_action(brief, tables, category, soft=True)
    pool = tag_pool(brief, products)
    out = []
    bio = tables.captions.bio_link if tables.captions else []
    for index, post in enumerate(posts):
        count = counts.get(post.platform.value, 0)
        tags = [pool[(index + i) % len(pool)] for i in range(min(count, len(pool)))] if pool else []
        cta = asks if asking is None or post.pillar in asking or "Moment:" in post.note else gives
        linked = post.platform.value not in bio
        topic, action = (post.topic, cta) if linked else (in_bio(post.topic), in_bio(cta))
        out.append(post.model_copy(update={"topic": topic,
                                           "caption": caption(topic, action, list(dict.fromkeys(tags)))}))
    return out


LINK = re.compile(r"\b(?:on|via) (?:the|my) (?:product )?(?:link|site|website)\b")


def in_bio(cta: str) -> str:
    """A call to action for a platform whose captions carry no clickable link: 'order via the product link' ->
    'order via the link in bio'."""
    return LINK.sub("via the link in bio", cta)


def caption(topic: str, cta: str, tags: list[str]) -> str:
    """'Topic.' + ' Call to action.' (unless the topic already says it) + ' #Tags'."""
    text = " ".join(topic.split()).rstrip(".")
    parts = [f"{text[:1].upper()}{text[1:]}."]
    if cta and cta.lower() not in text.lower():
        parts.append(f"{cta[:1].upper()}{cta[1:].rstrip('.')}.")
    return " ".join(parts + tags).strip()
