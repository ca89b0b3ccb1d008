"""Plain-words changes to a brief read by the LLM: "we doubled the budget and dropped TikTok" -> edits.

`llm_edits(text, brief, settings)` makes one structured call that returns dotted-path edits (the same
operations as `--set PATH=VALUE`), parses them with `parse_set` and checks them with `apply_edits` (the
Brief model). On any fault, an empty or an invalid result it falls back to the offline `parse_words`
(which raises AnswerError when it understands nothing either). Offline it is `parse_words` itself.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.edits.paths import Edit, apply_edits, parse_set
from agent.edits.words import parse_words
from agent.interview.fields import field_info, known_paths
from agent.llm.factory import get_llm
from agent.model.brief import Brief
from agent.model.brief_io import BriefError
from agent.model.settings import Settings
from agent.render.templating import render

Message = dict[str, Any]
SIGNS = {"set": "=", "add": "+=", "remove": "-="}
PRESENCE_ITEM = "a list of {platform, followers, posts_per_week, engagement_rate (a fraction)}; edit one account " \
                "with presence[0].followers"


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BriefEdit(_Reply):
    """One change to one field of the brief."""

    path: str = Field(description="Dotted brief path, e.g. resources.monthly_budget or presence[0].followers.")
    op: Literal["set", "add", "remove"] = Field(description="set a value, or add/remove items of a list.")
    value: str = Field(description="The value as YAML: 5000, sales, [tiktok, x].")


class BriefEdits(_Reply):
    """Every change the client describes."""

    edits: list[BriefEdit] = Field(description="The edits, in the order described; empty when nothing is clear.")


def edit_fields() -> list[dict[str, Any]]:
    """What the model is told about each field: description, allowed values, limits (no interview wording)."""
    fields = []
    for path in known_paths():
        info = {k: v for k, v in field_info(path).items() if k in ("path", "description", "allowed", "limits")}
        if path == "presence":
            info["description"] = PRESENCE_ITEM
        fields.append(info)
    return fields


def edit_messages(text: str, brief: Brief) -> list[Message]:
    """The system and user messages of the one call."""
    user = render("edit.j2", brief=brief.model_dump(mode="json", exclude_none=True), fields=edit_fields(),
                  change=text.strip())
    return [{"role": "system", "content": render("edit_system.j2")}, {"role": "user", "content": user}]


def checked_edits(reply: BriefEdits, brief: Brief) -> list[Edit]:
    """The model's edits as `Edit`s that apply to the brief; BriefError when any does not (or none is given)."""
    if not reply.edits:
        raise BriefError("change", "edits", "the model found nothing to change")
    edits = [parse_set(f"{e.path.strip()}{SIGNS[e.op]}{e.value}") for e in reply.edits]
    apply_edits(brief, edits)
    return edits


def llm_edits(text: str, brief: Brief, settings: Settings, warnings: list[str] | None = None) -> list[Edit]:
    """Edits for a plain-words change: the model's when they validate, else the offline parser's.

    Why the model's edits were not used is appended to `warnings` when a list is given.
    """
    llm = get_llm(settings)
    if llm is None:
        return parse_words(text)
    from agent.llm.structured import call_structured  # loads openai: only when an LLM runs

    outcome = call_structured(llm, edit_messages(text, brief), BriefEdits)
    if outcome.value is None:
        problem = str(outcome.fault or "no reply")
    else:
        try:
            return checked_edits(outcome.value, brief)
        except BriefError as exc:
            problem = f"{exc.field}: {exc.message}"
    if warnings is not None:
        warnings.append(f"change {text.strip()!r}: {problem}; read without the model")
    return parse_words(text)
