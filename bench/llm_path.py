"""Benchmark: LLM round trips on a plan's critical path, with a fake server adding latency L to each call.

Runs the fake OpenAI-compatible server of the tests (real HTTP on 127.0.0.1) with a fixed latency L, plans
the example brief through it, and prints medians of a few runs (after a warm-up):
  wall / L              plan wall time divided by L (local work included: retrieval, engines, rendering)
  LLM path / L          first request to last reply, divided by L: the round trips themselves
  waves                 the longest chain of calls where each waits for the previous one
  calls, tokens         per plan, and prompt tokens per section call (tokens as the fake counts them:
                        characters of the request's messages / 4)
The offline plan of the same brief is timed too, to show the local work. Target: <= 2 round trips (all
sections in parallel, then one review).

Usage: python bench/llm_path.py [--latency SECONDS] [--runs N] [--brief FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

from agent.model.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))  # the fake server lives with the tests

from agent.api import plan_brief  # noqa: E402
from agent.graph.state import RunContext  # noqa: E402
from agent.model.brief_io import load_brief  # noqa: E402
from agent.model.plan_io import read_plan  # noqa: E402
from agent.model.settings import Settings  # noqa: E402
from tests.fake_llm import FakeLLM, Recorded  # noqa: E402

BRIEF = PROJECT_ROOT / "examples" / "acme-analytics.yaml"


def waves(requests: list[Recorded]) -> int:
    """Requests on the longest chain where each starts after the previous one ended (round trips)."""
    ordered = sorted(requests, key=lambda r: r.at)
    depth: list[int] = []
    for i, record in enumerate(ordered):
        before = [depth[j] for j in range(i) if ordered[j].done and ordered[j].done <= record.at]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


def timed_plan(settings: Settings, brief_file: Path, out: Path) -> tuple[float, Path]:
    """Wall time of one plan, and its folder."""
    brief = load_brief(brief_file)
    start = time.perf_counter()
    folder = plan_brief(brief, RunContext(settings=settings, out_dir=out))
    return time.perf_counter() - start, folder


def run(latency: float, runs: int, brief_file: Path) -> dict[str, float]:
    """Medians over `runs` LLM plans and `runs` offline plans of the same brief."""
    with tempfile.TemporaryDirectory() as tmp, FakeLLM(latency=latency) as fake:
        root = Path(tmp)
        base = {"index_dir": root / "index", "output_dir": root / "out"}
        llm = Settings(openai_base_url=fake.base_url, openai_api_key=SecretStr("bench"), model="fake", **base)
        offline = Settings(offline=True, **base)
        timed_plan(offline, brief_file, root / "out")  # warm-up: index, imports, templates
        timed_plan(llm, brief_file, root / "out")
        offline_walls = [timed_plan(offline, brief_file, root / "out")[0] for _ in range(runs)]
        walls, spans, chains, calls, prompt, completion, sections, per_section, review = ([] for _ in range(9))
        for _ in range(runs):
            fake.requests.clear()
            wall, folder = timed_plan(llm, brief_file, root / "out")
            generation = read_plan(folder).generation
            assert generation.mode == "llm" and not generation.degraded, generation
            walls.append(wall)
            spans.append(max(r.done for r in fake.requests) - min(r.at for r in fake.requests))
            chains.append(waves(fake.requests))
            calls.append(generation.llm_calls)
            prompt.append(generation.prompt_tokens)
            completion.append(generation.completion_tokens)
            drafts = fake.of_kind("SectionDraft")
            sections.append(len(drafts))
            per_section.append(statistics.mean(r.usage["prompt_tokens"] for r in drafts))
            review.append(sum(r.usage["prompt_tokens"] for r in fake.of_kind("ReviewVerdict")))
    wall, local = statistics.median(walls), statistics.median(offline_walls)
    return {
        "latency": latency, "wall": wall, "offline": local, "ratio": wall / latency,
        "llm_ratio": statistics.median(spans) / latency, "waves": statistics.median(chains),
        "calls": statistics.median(calls),
        "prompt": statistics.median(prompt), "completion": statistics.median(completion),
        "sections": statistics.median(sections), "per_section": statistics.median(per_section),
        "review": statistics.median(review),
    }  # fmt: skip


def main() -> None:
    """Parse the options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=2.0, help="seconds the fake server adds to every call")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--brief", type=Path, default=BRIEF)
    args = parser.parse_args()
    r = run(args.latency, args.runs, args.brief)
    print(f"latency L per call: {r['latency']:.2f} s; median of {args.runs} plans")
    print(f"plan wall time: {r['wall']:.2f} s (offline plan of the same brief: {r['offline']:.2f} s)")
    print(f"wall / L: {r['ratio']:.2f} (local work included)")
    print(f"round trips on the critical path, LLM path / L: {r['llm_ratio']:.2f}  (target <= 2)")
    print(f"sequential call waves seen by the server: {r['waves']:.0f}")
    print(f"calls per plan: {r['calls']:.0f} ({r['sections']:.0f} sections + 1 review)")
    print(f"tokens per plan: {r['prompt']:.0f} prompt + {r['completion']:.0f} completion")
    print(f"prompt tokens per section call (mean): {r['per_section']:.0f}; review call: {r['review']:.0f}")


if __name__ == "__main__":
    main()
