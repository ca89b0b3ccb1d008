"""Citations that read like a report, and the document's table of contents.

The templates and the writers cite knowledge entries as `[entry-id]`. `number_citations` turns each run
of adjacent markers (one claim) into one numbered marker, `[3]` or `[3, 7]`, linking to `#ref-3`; numbers
follow the order of first mention, at most `MAX_PER_MARKER` per claim, and markers naming no cited
practice are dropped. `contents` lists the document's sections with the anchors Python-Markdown's `toc`
extension gives the headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

from agent.model.plan import Practice

MAX_PER_MARKER = 3
RUN = re.compile(r"(?:[ \t]?\[[a-z0-9][a-z0-9-]{2,80}\](?!\())+")
ID = re.compile(r"\[([a-z0-9][a-z0-9-]{2,80})\]")
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Reference:
    number: int
    practice: Practice


def number_citations(text: str, practices: list[Practice]) -> tuple[str, list[Reference]]:
    """`text` with numbered markers, and the references in number order."""
    known = {p.id: p for p in practices}
    numbers: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        ids = [i for i in dict.fromkeys(ID.findall(match.group(0))) if i in known][:MAX_PER_MARKER]
        for entry_id in ids:
            numbers.setdefault(entry_id, len(numbers) + 1)
        if not ids:
            return ""
        links = ", ".join(f"[{numbers[i]}](#ref-{numbers[i]})" for i in ids)
        return f" \\[{links}\\]"

    numbered = RUN.sub(replace, text)
    return numbered, [Reference(n, known[i]) for i, n in numbers.items()]


def contents(markdown_text: str, deepest: int = 3) -> list[tuple[int, str, str]]:
    """(level, title, anchor) of each `##`/`###` heading, anchors as the toc extension makes them."""
    used: set[str] = set()
    found = []
    for match in HEADING.finditer(markdown_text):
        level, title = len(match.group(1)), match.group(2)
        anchor = unique(slugify(_plain(title), "-"), used)
        if 2 <= level <= deepest:
            found.append((level, title, anchor))
    return found


def _plain(title: str) -> str:
    """Heading text as the toc extension sees it: entities decoded, emphasis markers gone."""
    return title.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("*", "").replace("`", "")
