"""Chat messages for each LLM step, rendered from the jinja2 files in prompts/ (StrictUndefined).

Inputs go into tagged sections as JSON (`tojson` escapes `<`, `>` and `&`, so no input can close a tag);
the brief sits in `<brief_data>`, marked as data and not instructions.
"""

from __future__ import annotations

from typing import Any, TypedDict

from agent.knowledge.entries import Entry
from agent.llm.figures import key_figures, section_figures
from agent.model.plan import CalendarPost, Section, Strategy
from agent.render.templating import render

Message = dict[str, Any]
MAX_LINES = 4
MAX_CHARS = 400
MAX_SOURCE = 120


class PracticeNote(TypedDict):
    """A knowledge entry as a section call sees it: id, title, source and key lines."""

    id: str
    title: str
    source: str
    lines: list[str]


def inert(text: str) -> str:
    """Free text placed between tags, unable to open or close one."""
    return text.replace("<", "‹").replace(">", "›")


def practice_lines(entry: Entry) -> list[str]:
    """The key lines of an entry's body: its first non-heading lines, within a small budget."""
    lines: list[str] = []
    used = 0
    for line in entry.body.splitlines():
        clean = " ".join(line.split())
        if not clean or clean.startswith("#"):
            continue
        if used + len(clean) > MAX_CHARS or len(lines) >= MAX_LINES:
            break
        lines.append(clean)
        used += len(clean)
    return lines or [" ".join(entry.body.split())[:MAX_CHARS]]


def practice_note(entry: Entry) -> PracticeNote:
    """What a section call is told about one entry."""
    source = entry.source if len(entry.source) <= MAX_SOURCE else entry.source[: MAX_SOURCE - 1] + "…"
    return PracticeNote(id=entry.id, title=entry.title, source=source, lines=practice_lines(entry))


def section_messages(section: Section, strategy: Strategy, practices: list[PracticeNote]) -> list[Message]:
    """The system and user messages of one section call; `section` holds the offline text (the reference)."""
    user = render(
        "section.j2",
        section={"id": section.id, "title": section.title},
        brief=strategy.brief.model_dump(mode="json", exclude_none=True),
        figures=section_figures(strategy, section.id),
        practices=practices,
        reference=inert(section.text.strip()),
    )
    return [{"role": "system", "content": render("system.j2")}, {"role": "user", "content": user}]


def review_messages(strategy: Strategy, sections: list[Section]) -> list[Message]:
    """The system and user messages of the one review call over the LLM-written sections."""
    user = render(
        "review.j2",
        figures=key_figures(strategy),
        sections=[{"id": s.id, "title": s.title, "text": inert(s.text.strip())} for s in sections],
    )
    return [{"role": "system", "content": render("review_system.j2")}, {"role": "user", "content": user}]


def ideas_messages(strategy: Strategy, posts: list[CalendarPost], model: str) -> list[Message]:
    """The system and user messages of the one post-ideas call; `posts` are month one's, slot n the n-th."""
    brief = strategy.brief
    business: dict[str, object] = {"name": brief.business.name, "description": brief.business.description,
                                   "industry": brief.business.industry, "model": model,
                                   "category": strategy.category.name if strategy.category else None}
    if brief.business.products:
        business["products"] = list(brief.business.products)
    audience = {"description": brief.audience.description, "interests": list(brief.audience.interests)}
    goal = {"primary": brief.goals.primary.value, "target": brief.goals.target}
    slots = [
        {"slot": i, "date": post.date.isoformat(), "weekday": f"{post.date:%A}", "platform": post.platform.value,
         "format": post.format.value, "pillar": post.pillar, "reference_topic": post.topic,
         **({"note": post.note} if post.note else {})}
        for i, post in enumerate(posts, start=1)
    ]  # fmt: skip
    user = render(
        "ideas.j2", business=business, audience=audience, goal=goal,
        pillars=[{"name": p.name, "purpose": p.purpose} for p in strategy.pillars], slots=slots,
        languages=strategy.market.languages if strategy.market else [],
    )
    return [{"role": "system", "content": render("ideas_system.j2")}, {"role": "user", "content": user}]


def doctor_messages() -> list[Message]:
    """The doctor's tiny structured call."""
    return [{"role": "user", "content": render("doctor.j2")}]
