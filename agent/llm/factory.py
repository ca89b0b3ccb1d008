"""The one model factory: an OpenAI client for any OpenAI-compatible endpoint, built from `Settings`.

`get_llm(settings)` returns None when the run is offline (`--offline`, or no key and no base URL), else a
cached `LLM` (client, model name, what response formats the endpoint accepts). Nodes call this and nothing
else; tests reach the fake server through the same path. `llm_slot()` bounds how many calls run at once
in this process, so a batch of plans cannot flood a local server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from agent.model.settings import Settings

if TYPE_CHECKING:
    from openai import OpenAI

DEFAULT_BASE_URL = "https://api.openai.com/v1"
NO_KEY = "no-key"
"""Sent as the key when only a base URL is set: local servers ignore it, and the client needs one."""
DEFAULT_MAX_CONCURRENT_CALLS = 16
"""Enough for every section of one plan at once; a batch shares the same cap."""

FORMAT_TIERS: tuple[str, ...] = ("json_schema", "json_object", "prompt")
"""How a structured reply is asked for, best first: strict schema, JSON mode, schema in the prompt only."""


class FormatMemory:
    """The best response format the endpoint has not rejected yet (shared by parallel calls)."""

    def __init__(self) -> None:
        self._index = 0
        self._lock = threading.Lock()

    def current(self) -> str:
        """The tier to try first."""
        return FORMAT_TIERS[self._index]

    def downgrade(self, rejected: str) -> str | None:
        """Remember that `rejected` failed; the next tier to try, or None when none is left."""
        with self._lock:
            below = FORMAT_TIERS.index(rejected) + 1
            if below >= len(FORMAT_TIERS):
                return None
            self._index = max(self._index, below)
            return FORMAT_TIERS[self._index]


@dataclass
class LLM:
    """A configured model: the client, the model name, and what the endpoint accepts.

    `client` is None when the configuration cannot make one (`error` says why, in plain words): calls then
    fail like any other fault, so a plan still falls back to offline text instead of crashing.
    """

    client: OpenAI | None = field(repr=False)
    model: str
    endpoint: str
    key_set: bool
    secrets: tuple[str, ...] = field(default=(), repr=False)
    formats: FormatMemory = field(default_factory=FormatMemory, repr=False)
    error: str | None = None


def new_llm(settings: Settings) -> LLM:
    """A fresh LLM for these settings (whether or not the run is offline)."""
    from openai import OpenAI  # loaded only when a model is used: offline runs start faster

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    endpoint = settings.openai_base_url or DEFAULT_BASE_URL
    llm = LLM(client=None, model=settings.model, endpoint=endpoint, key_set=bool(key), secrets=(key,) if key else ())
    if not endpoint.startswith(("http://", "https://")):
        llm.error = f"OPENAI_BASE_URL must be a full http:// or https:// URL (got '{endpoint}')"
        return llm
    try:
        llm.client = OpenAI(
            api_key=key or NO_KEY, base_url=endpoint, timeout=settings.llm_timeout, max_retries=settings.llm_retries
        )
    except Exception as exc:  # noqa: BLE001 - a bad URL must not crash a plan; calls report it instead
        llm.error = f"OPENAI_BASE_URL is not usable ({exc.__class__.__name__}: {exc})"
    return llm


@lru_cache(maxsize=8)
def _cached(settings: Settings) -> LLM:
    return new_llm(settings)


def get_llm(settings: Settings) -> LLM | None:
    """The LLM for a run, or None when the run is offline. Cached per settings (connections are reused)."""
    if not settings.llm_enabled:
        return None
    return _cached(settings)


def reset_llm_cache() -> None:
    """Forget cached clients (tests start each fake server fresh)."""
    _cached.cache_clear()


_limit = threading.BoundedSemaphore(DEFAULT_MAX_CONCURRENT_CALLS)


def set_max_concurrent_calls(limit: int) -> None:
    """Cap simultaneous LLM calls in this process (e.g. `batch --workers N` with a small local server)."""
    global _limit
    _limit = threading.BoundedSemaphore(max(1, int(limit)))


@contextmanager
def llm_slot() -> Iterator[None]:
    """Hold one of the process's LLM call slots for the duration of a request."""
    limit = _limit
    with limit:
        yield
