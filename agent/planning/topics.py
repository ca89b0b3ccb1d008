"""Post topics for the calendar, built from the brief by pillar.

Offline and deterministic: each pillar has a bank of topic patterns filled from the brief's
interests, industry and offer; the n-th post of a pillar on a channel takes the n-th pattern and
cycles through the interests. An LLM may later rewrite topics, never dates or counts.
"""

from __future__ import annotations

from agent.model.brief import Brief

BANKS: dict[str, tuple[str, ...]] = {
    "educate": (
        "How-to: one practical {interest} tip for {who}",
        "Myth vs fact: what people get wrong about {interest}",
        "Checklist: getting {interest} right in {industry}",
        "Explainer: the numbers behind {interest}",
        "FAQ: a question customers often ask about {interest}",
    ),
    "promote": (
        "Product in action: how {name} helps with {interest}",
        "Customer result: a before/after story with {name}",
        "Call to action: {cta}",
        "Feature spotlight: what {name} does for {interest}",
    ),
    "community": (
        "Behind the scenes at {name}",
        "Ask the audience: your biggest challenge with {interest}?",
        "Team spotlight: who makes {name} work",
        "Reshare and thank a customer or partner (UGC)",
    ),
    "curate": (
        "Roundup: this month's {industry} news and what it means",
        "Expert view: share and comment on a take about {interest}",
        "Trend watch: {interest} in {industry}",
    ),
}
KEYWORDS = {
    "promote": ("promot", "offer", "sell", "sales", "product", "convert", "cta"),
    "community": ("community", "person", "people", "behind", "culture", "social", "engage", "brand personality"),
    "curate": ("curat", "share", "industry", "news", "others"),
}
CTA = {
    "leads": "book a demo or download the guide", "sales": "shop the current offer",
    "traffic": "read the latest article", "app_installs": "download the app",
    "recruiting": "see open roles", "community": "join the community",
    "awareness": "follow for more", "engagement": "tell us in the comments",
}


def bank_of(pillar: str) -> str:
    """Which topic bank a pillar name maps to."""
    lower = pillar.lower()
    for bank, words in KEYWORDS.items():
        if any(w in lower for w in words):
            return bank
    return "educate"


def _who(brief: Brief) -> str:
    text = brief.audience.description.split(",")[0].split(".")[0].strip()
    return text[:1].lower() + text[1:] if len(text) <= 60 else "your customers"


def topic_for(brief: Brief, pillar: str, platform: str, index: int) -> str:
    """The topic of the `index`-th post of `pillar` on `platform`."""
    bank = BANKS[bank_of(pillar)]
    interests = brief.audience.interests or [brief.business.industry]
    pattern = bank[index % len(bank)]
    interest = interests[(index // len(bank) + len(platform)) % len(interests)]
    return pattern.format(
        interest=interest, who=_who(brief), industry=brief.business.industry, name=brief.business.name,
        cta=CTA[brief.goals.primary.value],
    )
