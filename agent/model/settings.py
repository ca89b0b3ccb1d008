"""One settings object: defaults, descriptions, environment fallback, CLI overrides.

Every knob the product has lives here. `Settings.from_env()` reads the environment once; the CLI
passes flag values as overrides. Nothing else in the package reads os.environ for configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout (or install) root holding knowledge/ and prompts/."""


def _cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialplan"


ENV = {
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
    "model": "SOCIALPLAN_MODEL",
    "llm_timeout": "SOCIALPLAN_LLM_TIMEOUT",
    "llm_retries": "SOCIALPLAN_LLM_RETRIES",
    "knowledge_dir": "SOCIALPLAN_KNOWLEDGE_DIR",
    "index_dir": "SOCIALPLAN_INDEX_DIR",
    "chroma_url": "SOCIALPLAN_CHROMA_URL",
    "output_dir": "SOCIALPLAN_OUTPUT_DIR",
    "llm_concurrency": "SOCIALPLAN_LLM_CONCURRENCY",
    "documents": "SOCIALPLAN_DOCUMENTS",
    "database_url": "SOCIALPLAN_DATABASE_URL",
}
OPTIONAL_DOCUMENTS = ("docx", "pdf")
"""Documents written besides strategy.md/.html, plan.json and the calendars, unless turned off."""


class Settings(BaseModel):
    """Runtime configuration. Environment variable names are in `ENV`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    openai_api_key: SecretStr | None = Field(None, description="API key for the LLM endpoint.")
    openai_base_url: str | None = Field(None, description="OpenAI-compatible endpoint (Ollama, vLLM...).")
    model: str = Field("gpt-4o-mini", description="Model name sent to the endpoint.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before one LLM call times out.")
    llm_retries: int = Field(2, ge=0, le=10, description="Transport retries per LLM call.")
    llm_concurrency: int = Field(16, ge=1, le=256, description="Most LLM calls in flight per process.")
    offline: bool = Field(False, description="Never call an LLM, even when one is configured.")
    knowledge_dir: Path = Field(PROJECT_ROOT / "knowledge", description="Curated entries and data/.")
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Jinja2 prompt templates.")
    index_dir: Path = Field(_cache_home() / "index", description="Where the search index lives.")
    chroma_url: str | None = Field(None, description="Chroma server URL; unset means embedded store.")
    output_dir: Path = Field(Path("outputs"), description="Root of client folders.")
    database_url: SecretStr | None = Field(
        None, description="PostgreSQL URL for checkpoints and sessions; unset means <output root>/sessions.sqlite.",
    )
    documents: str = Field(
        "docx,pdf", pattern=r"^(none|(docx|pdf)(,(docx|pdf))*)$",
        description="Optional documents to write: 'docx,pdf' (default), 'docx', 'pdf' or 'none'.",
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from the environment, with explicit overrides (None means 'not given')."""
        values: dict[str, Any] = {}
        for field, var in ENV.items():
            raw = os.environ.get(var)
            if raw not in (None, ""):
                values[field] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def llm_enabled(self) -> bool:
        """True when an LLM should be called: not offline, and a key or a base URL is set."""
        return not self.offline and (self.openai_api_key is not None or bool(self.openai_base_url))

    @property
    def document_kinds(self) -> frozenset[str]:
        """The optional documents to write (strategy.docx, strategy.pdf)."""
        return frozenset(kind for kind in self.documents.split(",") if kind in OPTIONAL_DOCUMENTS)

    @property
    def data_dir(self) -> Path:
        """The benchmark tables folder."""
        return self.knowledge_dir / "data"
