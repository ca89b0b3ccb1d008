"""Benchmark: one plan in-process vs the whole `socialplan plan` process, with the import share.

Prints medians measured in this run and their ratios (no absolute thresholds):
  in-process   median wall time of build + invoke of the graph for one brief (warm)
  process      median wall time of `python -m agent.cli.app plan BRIEF --offline`
  imports      median wall time of `python -c "import agent.cli.app, agent.graph.build"` (start-up cost)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agent.api import plan_brief
from agent.graph.state import RunContext
from agent.model.brief_io import load_brief
from agent.model.settings import PROJECT_ROOT, Settings

BRIEF = PROJECT_ROOT / "examples" / "acme-analytics.yaml"


def _timed(fn: object, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def in_process(runs: int = 15) -> float:
    brief = load_brief(BRIEF)
    with tempfile.TemporaryDirectory() as tmp:
        context = RunContext(settings=Settings(offline=True), out_dir=Path(tmp))
        plan_brief(brief, context)  # warm caches (knowledge load, templates)
        return _timed(lambda: plan_brief(brief, context), runs)


def process(runs: int = 5) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "agent.cli.app", "plan", str(BRIEF), "--offline", "--out", tmp]
        whole = _timed(lambda: subprocess.run(cmd, check=True, capture_output=True), runs)
    imports = _timed(lambda: subprocess.run(
        [sys.executable, "-c", "import agent.cli.app, agent.graph.build"], check=True, capture_output=True), runs)
    return whole, imports


def main() -> None:
    warm = in_process()
    whole, imports = process()
    print(f"in-process plan (median): {warm * 1000:.0f} ms")
    print(f"socialplan plan process (median): {whole * 1000:.0f} ms")
    print(f"imports alone (median): {imports * 1000:.0f} ms")
    print(f"process / in-process: {whole / warm:.1f}x")
    print(f"import share of the process: {imports / whole:.0%}")


if __name__ == "__main__":
    main()
