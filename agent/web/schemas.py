"""The JSON API's request and response bodies (their field descriptions are the OpenAPI schema's)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class NewSession(BaseModel):
    """Start an interview, optionally pre-filled from a brief."""

    brief: str | None = Field(None, description="A (partial) brief as YAML or JSON text; valid fields pre-fill it.")
    brief_name: str = Field("brief.yaml", description="The brief's file name (.json reads it as JSON).")


class Answer(BaseModel):
    """An answer to the pending question, as typed in the terminal ('back' goes back one question)."""

    answer: str = Field(description="The answer text; empty keeps the shown default.")
    question: str | None = Field(None, description="The id of the question this answers (the pending prompt's "
                                 "`id`); when it is no longer pending the answer is refused with 409.")
    wait: bool = Field(True, description="Wait for the next question or the finished plan; false returns a job.")


class Replan(BaseModel):
    """Changes for the next version of a plan."""

    set: list[str] = Field(default_factory=list, description="`--set`-style edits: 'PATH=VALUE', 'PATH+=VALUE'.")
    words: str = Field("", description="A change in plain words, e.g. 'budget is 2500; add tiktok'.")


class BriefUpload(BaseModel):
    """One brief of a batch."""

    name: str = Field(description="The file name (.yaml, .yml or .json).")
    text: str = Field(description="The brief's text.")


class Batch(BaseModel):
    """Several briefs to plan in one job."""

    briefs: list[BriefUpload] = Field(min_length=1, max_length=200)


class JobView(BaseModel):
    """A background job: a plan being computed or a batch."""

    id: str
    kind: str
    finished: bool
    events: list[dict[str, Any]] = Field(description="Every event so far: {kind: step|item|done, data: {...}}.")


class FileLink(BaseModel):
    """One file of a version folder."""

    name: str
    url: str


class VersionDetail(BaseModel):
    """A stored plan version and its files."""

    client: str
    version: int
    folder: str
    files: list[FileLink]
    changes: str | None = Field(None, description="changes.md against the version it was replanned from.")


class ClientRow(BaseModel):
    """One client folder and its latest version."""

    client: str
    name: str
    versions: int
    latest: dict[str, Any]


class ErrorBody(BaseModel):
    """Every error: the same one line the CLI prints after `error: `."""

    error: str
