"""Checks on what the model wrote: only the citations it was given, no figure the plan lacks, and the
review's verdict applied by removing the sentences it quotes (or by going back to the offline text).

Every change is reported as a warning naming the section; a section that loses too much falls back whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.llm.numbers import Allowed, drop_sentences, strip_unsupported
from agent.llm.schemas import ReviewIssue, SectionDraft
from agent.model.plan import Section
from agent.writing.offline import CITATION, cited_ids

MIN_WORDS = 15
"""A section shorter than this after the checks is not worth keeping."""
MAX_REMOVED = 1 / 3
"""Above this share of removed sentences, the offline text is used instead."""
LEADING_HEADING = re.compile(r"^\s*#{1,3}\s+[^\n]*\n+")


@dataclass
class Checked:
    """A section after the checks, the warnings they raised, and whether it fell back to offline text."""

    section: Section
    warnings: list[str] = field(default_factory=list)
    fell_back: bool = False


def _short(items: list[str], limit: int = 5) -> str:
    shown = list(dict.fromkeys(items))
    return ", ".join(shown[:limit]) + (", ..." if len(shown) > limit else "")


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text))


def drop_unknown_citations(text: str, ids: set[str]) -> tuple[str, list[str]]:
    """`text` without `[id]` citations of entries that were not given, and those ids."""
    unknown = [m for m in CITATION.findall(text) if m not in ids]
    cleaned = CITATION.sub(lambda m: m.group(0) if m.group(1) in ids else "", text)
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned), unknown


def check_section(draft: SectionDraft, offline: Section, allowed: Allowed, ids: set[str]) -> Checked:
    """The model's section made safe, or the offline section when too little survives."""
    name = f"section '{offline.id}'"
    text = LEADING_HEADING.sub("", draft.text.strip(), count=1) if draft.text.lstrip().startswith("#") else draft.text
    text, unknown = drop_unknown_citations(text, ids)
    warnings = [f"{name}: dropped citations of unknown entries ({_short(unknown)})"] if unknown else []
    stripped = strip_unsupported(text, allowed)
    too_much = len(stripped.removed) > MAX_REMOVED * max(stripped.total, 1)
    if too_much or _words(stripped.text) < MIN_WORDS:
        why = f"figures the plan does not contain ({_short(stripped.bad)})" if stripped.bad else "too little text"
        return Checked(offline, [*warnings, f"{name}: the model's text had {why}; offline text used"], True)
    if stripped.removed:
        warnings.append(f"{name}: removed {len(stripped.removed)} sentence(s) stating figures the plan does not "
                        f"contain ({_short(stripped.bad)})")
    declared = [c for c in draft.citations if c in ids]
    citations = list(dict.fromkeys(cited_ids(stripped.text, ids) + declared))
    return Checked(Section(id=offline.id, title=offline.title, text=stripped.text, citations=citations), warnings)


def apply_review(section: Section, issues: list[ReviewIssue], offline: Section) -> Checked:
    """One section after the reviewer's issues: quoted sentences removed, or the offline text back."""
    name = f"section '{section.id}'"
    problems = _short([" ".join(i.problem.split())[:120] for i in issues], 2)
    quotes = [_norm(i.quote) for i in issues]
    if not all(len(q) >= 8 for q in quotes):
        return Checked(offline, [f"review: {name}: {problems}; offline text used"], True)
    stripped = drop_sentences(section.text, lambda unit: [q for q in quotes if _matches(unit, q)])
    missing = [q for q in quotes if not any(_matches(unit, q) for unit in stripped.removed)]
    too_much = len(stripped.removed) > MAX_REMOVED * max(stripped.total, 1)
    if missing or too_much or _words(stripped.text) < MIN_WORDS:
        return Checked(offline, [f"review: {name}: {problems}; offline text used"], True)
    citations = [c for c in section.citations if f"[{c}]" in stripped.text or f"[{c}]" not in section.text]
    kept = Section(id=section.id, title=section.title, text=stripped.text, citations=citations)
    return Checked(kept, [f"review: {name}: removed {len(stripped.removed)} sentence(s): {problems}"])


def _norm(text: str) -> str:
    return " ".join(text.replace("*", "").split()).casefold().strip(" .")


def _matches(unit: str, quote: str) -> bool:
    sentence = _norm(unit)
    return bool(sentence) and (quote in sentence or (len(sentence) >= 8 and sentence in quote))
