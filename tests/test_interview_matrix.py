"""Resume matrix in-process: the interview cut after every answer resumes to the same plan as an uncut one.

The subprocess tests in test_interview.py cover the CLI at a few cut points; this drives the same graph
and LineAsker through io.StringIO at every cut point, with a fresh graph and SQLite connection per run.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from agent.cli.askers import LineAsker
from agent.graph.build import build_graph
from agent.graph.checkpoint import open_checkpointer
from agent.graph.state import RunContext
from agent.interview.bank import Prompt
from agent.interview.driver import drive
from tests.test_interview import ANSWERS


class Recorder(LineAsker):
    """A LineAsker that remembers which questions it showed."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(io.StringIO("".join(f"{line}\n" for line in lines)))
        self.shown: list[str] = []

    def __call__(self, prompt: Prompt) -> str | None:
        self.shown.append(prompt.text)
        return super().__call__(prompt)


def run(context: RunContext, store: Path, session: str, lines: list[str], first: bool) -> tuple[str, list[str]]:
    start = {"brief_draft": {}, "asked": [], "error": ""} if first else None
    asker = Recorder(lines)
    with open_checkpointer(store) as saver:
        outcome = drive(build_graph(checkpointer=saver), session, start, context, asker)
    return (outcome.output_path if outcome.status == "done" else ""), asker.shown


def plan_of(folder: str) -> dict:
    data = json.loads((Path(folder) / "plan.json").read_text())
    return {k: v for k, v in data.items() if k not in ("version", "created_at")}


@pytest.fixture(scope="module")
def uncut(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[str]]:
    root = tmp_path_factory.mktemp("uncut")
    folder, shown = run(RunContext(out_dir=root), root / "s.sqlite", "whole", ANSWERS, True)
    return plan_of(folder), shown


@pytest.mark.parametrize("cut", range(1, len(ANSWERS)))
def test_cut_after_every_answer(tmp_path: Path, cut: int, uncut: tuple[dict, list[str]]) -> None:
    plan, questions = uncut
    context = RunContext(out_dir=tmp_path)
    folder, shown = run(context, tmp_path / "s.sqlite", "s", ANSWERS[:cut], True)
    assert folder == "" and shown == questions[: cut + 1]
    folder, shown = run(context, tmp_path / "s.sqlite", "s", ANSWERS[cut:], False)
    assert folder, "the resumed session did not finish"
    assert shown == questions[cut:]  # the pending question first, nothing asked twice
    assert plan_of(folder) == plan
