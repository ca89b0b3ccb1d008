"""The shipped MiniLM model as a Chroma embedding function, registered under `EF_NAME`.

A persisted collection re-opens with it in any process that imported this module. It is imported where a
Chroma collection is opened (`store.VectorStore.collection`), so a process that only ranks a saved snapshot
never imports chromadb.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from agent.knowledge import embedding
from agent.knowledge.embedding import DIMENSIONS, EF_NAME, MAX_TOKENS, MODEL_DIR


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """Chroma embedding function over the shipped int8 MiniLM model (384 dims, cosine)."""

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR

    def __call__(self, input: Documents) -> Embeddings:
        if not input:
            return []
        return list(embedding.embed(list(input), self.model_dir))  # by module: tests watch `embed`

    def embed_query(self, input: Documents) -> Embeddings:
        return self.__call__(input)

    @staticmethod
    def name() -> str:
        return EF_NAME

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        # The persisted config names the model, not a path: the shipped copy is always used, so an
        # index built in one checkout opens in another.
        return MiniLMEmbedding()

    def get_config(self) -> dict[str, Any]:
        return {"model": "all-MiniLM-L6-v2-int8", "max_tokens": MAX_TOKENS, "dimensions": DIMENSIONS}

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]
