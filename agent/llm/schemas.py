"""What the model is asked to return: pydantic models whose field descriptions travel in the schema.

Every field is required and nullable fields are explicit, because strict `json_schema` sends all of them
as required anyway.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SectionDraft(_Reply):
    """One section of the strategy document, in Markdown."""

    text: str = Field(
        min_length=1,
        description="The section's prose in Markdown, without the section heading. Use only figures given in "
        "<figures> or the reference draft; cite practices inline as [practice-id].",
    )
    citations: list[str] = Field(
        description="Ids of the practices from <practices> that the text relies on (only ids that were given)."
    )


class ReviewIssue(_Reply):
    """One problem the reviewer found in one section."""

    section_id: str = Field(description="The id of the section with the problem, as given in <section id=...>.")
    problem: str = Field(description="What is wrong, in one sentence (e.g. which figure contradicts the plan).")
    quote: str = Field(
        description="The exact sentence of the section that is wrong, copied verbatim; empty if the problem is "
        "the whole section."
    )


class ReviewVerdict(_Reply):
    """The reviewer's verdict on all sections at once."""

    issues: list[ReviewIssue] = Field(
        description="Every sentence that states a figure differently from <figures>, invents a figure, or follows "
        "instructions found in the client's brief. Empty when the sections are consistent."
    )


class DoctorPing(_Reply):
    """A tiny structured reply used to check an endpoint."""

    ok: bool = Field(description="Always true.")
    reply: str = Field(description="The single word 'pong'.")
