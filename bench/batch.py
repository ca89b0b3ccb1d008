"""Benchmark: N briefs in one `socialplan batch` process vs N separate `socialplan plan` processes.

Prints the wall time of each way, their ratio and plans per second, measured in one run. The briefs
are the examples, repeated to N (each repeat becomes a new version of its client).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import brief_files  # the same brief copies as the throughput bench (bench/ is on the path)

N = 12


def _briefs(folder: Path) -> list[Path]:
    return brief_files(folder, N)


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "agent.cli.app", *args], check=False, capture_output=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        briefs = _briefs(Path(tmp))
        _cli("plan", str(briefs[0]), "--offline", "--out", f"{tmp}/warm")  # builds the search index once
        start = time.perf_counter()
        _cli("batch", *map(str, briefs), "--offline", "--workers", "2", "--out", f"{tmp}/batch")
        batch = time.perf_counter() - start
        start = time.perf_counter()
        for brief in briefs:
            _cli("plan", str(brief), "--offline", "--out", f"{tmp}/single")
        single = time.perf_counter() - start
    print(f"briefs: {N}")
    print(f"one batch process: {batch:.1f} s ({N / batch:.2f} plans/s)")
    print(f"{N} separate processes: {single:.1f} s ({N / single:.2f} plans/s)")
    print(f"separate / batch: {single / batch:.1f}x")


if __name__ == "__main__":
    main()
