"""Token and call accounting, read from the server's `usage` field of each reply."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Usage(BaseModel):
    """Calls made and tokens the server reported for them."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )

    def record(self, body: Any) -> None:
        """Add the `usage` of one reply body (a dict from the JSON response; missing fields count 0)."""
        usage = body.get("usage") if isinstance(body, dict) else None
        if not isinstance(usage, dict):
            return
        self.prompt_tokens += _int(usage.get("prompt_tokens"))
        self.completion_tokens += _int(usage.get("completion_tokens"))


def _int(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
