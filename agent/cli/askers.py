"""Who answers the interview: a script feeding lines on stdin, or a person at a terminal.

Both handle `help` themselves (show the help, ask again) and return None to pause: `quit`, end of
input, or Ctrl-C. `back` and real answers go to the graph.
"""

from __future__ import annotations

from typing import TextIO

from agent.cli import console
from agent.interview.bank import Prompt


class AnswerRejected(Exception):
    """A scripted answer the interview did not accept: the run stops so later answers cannot slide."""

    def __init__(self, prompt: Prompt, answer: str) -> None:
        super().__init__(f"question '{prompt.id}' ({prompt.text.strip()}): {answer!r} was not accepted: "
                         f"{prompt.error.strip()}")
        self.prompt, self.answer = prompt, answer


class LineAsker:
    """Non-terminal mode: one '? ' line per question, one answer line read per question. A rejected answer
    (the same question comes back with an error) raises AnswerRejected instead of reading the next line."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last: tuple[str, str] | None = None

    def __call__(self, prompt: Prompt) -> str | None:
        if prompt.error and self.last is not None and self.last[0] == prompt.id:
            raise AnswerRejected(prompt, self.last[1])
        console.show_prompt(prompt, terminal=False)
        answer = self._read(prompt)
        self.last = (prompt.id, answer) if answer is not None else None
        return answer

    def _read(self, prompt: Prompt) -> str | None:
        while True:
            line = self.stream.readline()
            if not line:
                return None
            answer = line.rstrip("\r\n")
            if answer.strip().lower() == "quit":
                return None
            if answer.strip().lower() != "help":
                return answer
            console.show_help(prompt.help or "no help for this question")
            console.show_prompt(prompt.model_copy(update={"error": "", "summary": ""}), terminal=False)


class TerminalAsker:
    """Interactive mode: progress, help, back, quit; Ctrl-C or Ctrl-D pause the session."""

    def __call__(self, prompt: Prompt) -> str | None:
        console.show_prompt(prompt, terminal=True)
        while True:
            try:
                answer = input("> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return None
            word = answer.strip().lower()
            if word == "quit":
                return None
            if word != "help":
                return answer
            console.show_help(prompt.help or "no help for this question")
