"""The write step's vocabulary: the document's prose sections, and the offline writer.

`SECTIONS` fixes the id, order and title of every prose section of the strategy document; the offline
writer and any LLM writer produce one `Section` per id, and the renderer places them by id.
"""

from __future__ import annotations

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("goals_kpis", "Goals and KPIs"),
    ("audience", "Audience"),
    ("channels", "Channel plan"),
    ("organic", "Organic (SMO) plan"),
    ("paid", "Paid (SMM) plan"),
    ("schedule", "Posting schedule and frequency"),
    ("calendar", "Content calendar"),
    ("competition", "Competition analysis"),
    ("style_guide", "Style guide"),
    ("measurement", "Measurement and reporting"),
)
"""(id, title) of each prose section, in document order."""

SECTION_IDS: tuple[str, ...] = tuple(section_id for section_id, _ in SECTIONS)

__all__ = ["SECTIONS", "SECTION_IDS"]
