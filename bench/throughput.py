"""Throughput benchmark (`make bench`): one plan in-process, one `socialplan plan` process and a batch of
ten briefs in one `socialplan batch` process, measured side by side in one run, with their ratios.

    .venv/bin/python bench/throughput.py [--rounds 3] [--plans 15] [--batch 10] [--workers N]

The machine may be busy with other work, so the two process measurements alternate round by round
(each ratio is taken within a round; the medians of the rounds are printed) and the in-process plans
run between rounds. Lines printed:

  in-process plan            median wall time of one plan in this process, warm (index open, the
                             examples planned once: their query vectors are cached)
  in-process, cold vectors   the same with the query-vector cache emptied before each plan, as for a
                             client whose queries this process has not seen yet
  one plan process           `python -m agent.cli.app plan BRIEF --offline` (start-up, imports, first use)
  batch of N in one process  `python -m agent.cli.app batch N briefs --offline` (the examples, repeated)
  batch N / one process      the goal is at most 1.5x for N=10
  in-process / one process   how much of a plan process is the plan itself

Briefs are the examples in examples/; every plan writes to a temporary folder. Every measurement writes the same
files: by default no DOCX or PDF (SOCIALPLAN_DOCUMENTS=none), as the goal concerns the plan itself; set
SOCIALPLAN_DOCUMENTS=docx,pdf to measure with them (a PDF adds about a second or more per plan).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from agent.api import plan_brief  # noqa: E402
from agent.graph.build import build_graph  # noqa: E402
from agent.graph.state import RunContext  # noqa: E402
from agent.knowledge.store import clear_query_vectors  # noqa: E402
from agent.model.brief_io import load_brief  # noqa: E402
from agent.model.settings import Settings  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DOCUMENTS = os.environ.get("SOCIALPLAN_DOCUMENTS", "none")
"""The optional documents every measured plan writes, in-process and in the CLI processes alike."""
BATCH_GOAL = 1.5
IN_PROCESS_GOAL_MS = 200.0


def brief_files(folder: Path, count: int) -> list[Path]:
    """`count` brief files in `folder`: the examples, repeated in turn."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        source = EXAMPLES[index % len(EXAMPLES)]
        target = folder / f"{index:02d}-{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    return paths


def run_cli(*args: str) -> float:
    """Wall time of one `socialplan` process (it must succeed)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "agent.cli.app", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "SOCIALPLAN_DOCUMENTS": DOCUMENTS})
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"socialplan {' '.join(args[:2])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


class InProcess:
    """Plans the examples in this process with one compiled graph, as `socialplan batch` does."""

    def __init__(self, out: Path) -> None:
        self.briefs = [load_brief(path) for path in EXAMPLES]
        settings = Settings.from_env(offline=True, output_dir=out, documents=DOCUMENTS)
        self.context = RunContext(settings=settings, out_dir=out)
        self.graph = build_graph()
        self.turn = 0
        for brief in self.briefs:  # first use: index, model, templates, and each example's query vectors
            plan_brief(brief, self.context, self.graph)

    def plan(self, cold_vectors: bool = False) -> float:
        brief = self.briefs[self.turn % len(self.briefs)]
        self.turn += 1
        if cold_vectors:
            clear_query_vectors()
        start = time.perf_counter()
        plan_brief(brief, self.context, self.graph)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="Plan throughput: in-process, one process, a batch.")
    parser.add_argument("--rounds", type=int, default=3, help="process measurements of each kind")
    parser.add_argument("--plans", type=int, default=15, help="in-process plans timed (warm)")
    parser.add_argument("--batch", type=int, default=10, help="briefs in the batch process")
    parser.add_argument("--workers", type=int, default=None, help="batch workers (default: the CLI's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="socialplan-bench-") as tmp:
        root = Path(tmp)
        briefs = brief_files(root / "briefs", args.batch)
        run_cli("plan", str(briefs[0]), "--offline", "--out", str(root / "warm"))  # builds the index if needed
        local = InProcess(root / "in-process")
        workers = ["--workers", str(args.workers)] if args.workers else []
        warm: list[float] = []
        cold: list[float] = []
        single: list[float] = []
        batch: list[float] = []
        per_round = max(1, args.plans // max(1, args.rounds))
        for round_number in range(args.rounds):
            out = root / f"round-{round_number}"
            single.append(run_cli("plan", str(briefs[round_number % len(briefs)]), "--offline",
                                  "--out", str(out / "single")))
            batch.append(run_cli("batch", *map(str, briefs), "--offline", *workers, "--out", str(out / "batch")))
            warm.extend(local.plan() for _ in range(per_round))
            cold.extend(local.plan(cold_vectors=True) for _ in range(max(1, per_round // 2)))

    report(warm, cold, single, batch, args.batch)


def report(warm: list[float], cold: list[float], single: list[float], batch: list[float], size: int) -> None:
    """The lines described in the module docstring."""
    ratios = [b / s for b, s in zip(batch, single, strict=True)]
    print(f"documents written by every plan: {DOCUMENTS} (SOCIALPLAN_DOCUMENTS)")
    in_process, one, many = statistics.median(warm), statistics.median(single), statistics.median(batch)
    print(f"in-process plan, warm (median of {len(warm)}): {in_process * 1000:.0f} ms "
          f"(goal <= {IN_PROCESS_GOAL_MS:.0f} ms)")
    print(f"in-process plan, query vectors not cached (median of {len(cold)}): {statistics.median(cold) * 1000:.0f} ms")
    print(f"one `socialplan plan` process (median of {len(single)}): {one * 1000:.0f} ms")
    print(f"batch of {size} briefs in one process (median of {len(batch)}): {many * 1000:.0f} ms")
    print(f"batch{size} / one process: {statistics.median(ratios):.2f}x "
          f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}; goal <= {BATCH_GOAL}x)")
    print(f"in-process / one process: {in_process / one:.3f}x")
    print(f"each extra brief of the batch / in-process plan: {(many - one) / max(1, size - 1) / in_process:.2f}x")


if __name__ == "__main__":
    main()
