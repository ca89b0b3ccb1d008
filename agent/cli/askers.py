"""Who answers the interview: a script feeding lines on stdin, or a person at a terminal.

Both handle `help` themselves (show the help, ask again) and return None to pause: `quit`, end of
input, or Ctrl-C. `back` and real answers go to the graph.
"""

from __future__ import annotations

from typing import TextIO

from agent.cli import console
from agent.interview.bank import Prompt


class LineAsker:
    """Non-terminal mode: one '? ' line per question, one answer line read per question."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, prompt: Prompt) -> str | None:
        console.show_prompt(prompt, terminal=False)
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
