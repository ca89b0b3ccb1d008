"""Sentence embeddings for the knowledge base: all-MiniLM-L6-v2, int8 ONNX, run by onnxruntime.

The model ships in `agent/knowledge/model/` (see its README); nothing is downloaded and torch is not
needed. Chroma's embedding function over this model (`MiniLMEmbedding`, registered under `EF_NAME`) is in
`chroma_ef`, so computing vectors does not import chromadb (about 1 s).

Texts are tokenised with the model's own WordPiece tokenizer, truncated at 256 tokens and padded to
the longest text of each batch, never to a fixed length (see BATCH: one text per run by default).
Token vectors are mean-pooled over the attention mask and L2-normalised, as sentence-transformers does.
"""

from __future__ import annotations

import os

# Must be set before onnxruntime is imported: otherwise a session sends telemetry DNS queries.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import threading  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

EF_NAME = "socialplan-minilm-onnx"
MODEL_DIR = Path(__file__).resolve().parent / "model"
MAX_TOKENS = 256
DIMENSIONS = 384
BATCH = 1
"""Texts per ONNX run. Dynamic int8 quantisation scales activations per run, so texts batched together
(and their padding) shift each other's vectors (cosine 0.992 seen); one text per run keeps every vector
independent of its neighbours, identical at ingest and query time."""
SPLIT_AT = 8
"""Texts from which `embed` runs every other text on a second thread (a plan asks 15-40, an ingest ~470)."""

_LOCK = threading.Lock()
_SESSIONS: dict[Path, ort.InferenceSession] = {}
_TOKENIZERS: dict[Path, Tokenizer] = {}


def _tokenizer(model_dir: Path) -> Tokenizer:
    """The model's WordPiece tokenizer, truncating and padding as the module docstring says (once per process)."""
    with _LOCK:
        if model_dir not in _TOKENIZERS:
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # no length: pad to the batch's longest
            _TOKENIZERS[model_dir] = tokenizer
        return _TOKENIZERS[model_dir]


def _session(model_dir: Path) -> ort.InferenceSession:
    """The ONNX session for `model_dir`, loaded once per process: one intra-op thread that never spins.

    For a 20-40-token query that is half the time of onnxruntime's default two threads (which mostly wait on
    each other, and spin on a busy machine); for the 470 chunks of an ingest, two such calls at once (`embed`)
    take 7.0 s where the default session took 8.4 s. Calls run at once on one session (the workers of a batch,
    the two halves of `embed`). The thread count changes how work is split, not what each output sums: the
    vectors are the same either way.
    """
    with _LOCK:
        if model_dir not in _SESSIONS:
            model = model_dir / "model.onnx"
            if not model.is_file():
                raise FileNotFoundError(f"embedding model missing: {model} (see scripts/export_model.py)")
            options = ort.SessionOptions()
            options.log_severity_level = 3
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            _SESSIONS[model_dir] = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        return _SESSIONS[model_dir]


def embed(texts: list[str], model_dir: Path = MODEL_DIR) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, in the order given.

    From `SPLIT_AT` texts on, every other text runs on a second thread over the same session (onnxruntime
    releases the interpreter lock while it runs): each text still runs alone, so the vectors are the same, in
    about 60% of the time on two cores. A fresh thread each time, never a pool: `socialplan batch` forks, and a
    pool's threads do not survive a fork."""
    session, tokenizer = _session(model_dir), _tokenizer(model_dir)
    if len(texts) < SPLIT_AT:
        return _embed(texts, session, tokenizer)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    failed: list[BaseException] = []

    def odd_rows() -> None:
        try:
            out[1::2] = _embed(texts[1::2], session, tokenizer)
        except BaseException as exc:  # raised again in the calling thread
            failed.append(exc)

    helper = threading.Thread(target=odd_rows, name="embed", daemon=True)
    helper.start()
    try:
        out[0::2] = _embed(texts[0::2], session, tokenizer)
    finally:
        helper.join()
    if failed:
        raise failed[0]
    return out


def _embed(texts: list[str], session: ort.InferenceSession, tokenizer: Tokenizer) -> np.ndarray:
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths share a batch
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        encoded = tokenizer.encode_batch([texts[i] for i in chunk])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        out[chunk] = pooled / norms
    return out
