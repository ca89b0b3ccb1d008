"""Web load benchmark (`make bench-web`): 20 sessions answer the whole interview at once through the JSON API of
one real `socialplan serve` process on loopback, with the sessions on SQLite and then on PostgreSQL.

    .venv/bin/python bench/web_load.py [--sessions 20] [--backend sqlite|postgres|both]

PostgreSQL: the server at SOCIALPLAN_DATABASE_URL when set (a fresh database on it, dropped after), otherwise a
throwaway cluster from this machine's PostgreSQL binaries (tests/postgres.py). Each server first plans one lone
session (warm-up: knowledge, index, first plan; not counted). Figures printed per backend:

  sessions, answers       sessions run at once and answers they sent (every answer must be accepted)
  total                   wall time from the first session created to the last plan written
  answers/s               answers / total
  answer p50 / p95        latency of one answer that asks the next question (ms)
  plan step p50 / p95     latency of the confirm answer, which computes and writes the plan (ms)

The driver is tests/test_web_load.py's (`run_session`, `run_load`); plans are offline, without DOCX/PDF unless
SOCIALPLAN_DOCUMENTS says otherwise, into a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tests.postgres import fresh_database, throwaway_cluster  # noqa: E402
from tests.test_web_load import SESSIONS, Run, run_load, run_session  # noqa: E402
from tests.web import served  # noqa: E402

URL_ENV = "SOCIALPLAN_DATABASE_URL"


def percentile(samples: list[float], share: float) -> float:
    """The `share` quantile (0..1) of `samples`, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


@contextlib.contextmanager
def store(backend: str) -> Iterator[dict[str, str]]:
    """The environment for `serve` on `backend`: no URL (SQLite under --out), or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield {URL_ENV: ""}
        return
    given = os.environ.get(URL_ENV)
    with (fresh_database(given, "bench") if given else throwaway_cluster()) as url:
        yield {URL_ENV: url}


def measure(backend: str, count: int) -> tuple[list[Run], float]:
    """A warm server on `backend`, then `count` sessions at once: the runs and the wall time of the load."""
    with store(backend) as env, tempfile.TemporaryDirectory(prefix="socialplan-web-load-") as tmp:
        env = {**env, "SOCIALPLAN_DOCUMENTS": os.environ.get("SOCIALPLAN_DOCUMENTS", "none")}
        with served(Path(tmp) / "out", env=env, timeout=300) as base:
            run_session(base, "Load Client Warm-up")
            began = time.perf_counter()
            runs = run_load(base, count)
            return runs, time.perf_counter() - began


def report(backend: str, runs: list[Run], total: float) -> tuple[float, float]:
    """Print the figures of one backend; (answers/s, answer p95 in ms) for the ratio line."""
    for run in runs:
        if run.end.get("status") != "done" or run.end.get("client") != run.name:
            raise RuntimeError(f"{run.name}: ended {run.end}")
    asks = [seconds * 1000 for run in runs for seconds in run.latencies[:-1]]
    plans = [run.latencies[-1] * 1000 for run in runs]
    answers = sum(len(run.latencies) for run in runs)
    print(f"{backend}: {len(runs)} sessions, {answers} answers in {total:.1f} s = {answers / total:.1f} answers/s; "
          f"answer p50 {percentile(asks, 0.5):.0f} ms, p95 {percentile(asks, 0.95):.0f} ms; "
          f"plan step p50 {percentile(plans, 0.5):.0f} ms, p95 {percentile(plans, 0.95):.0f} ms")
    return answers / total, percentile(asks, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description="Web load: sessions answering at once through one serve process.")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"{args.sessions} sessions at once, each answering the whole interview (offline) through "
          f"POST /api/sessions/{{id}}/answers; {os.cpu_count()} cores")
    figures = {backend: report(backend, *measure(backend, args.sessions)) for backend in backends}
    if len(figures) == 2:
        (rate_s, p95_s), (rate_p, p95_p) = figures["sqlite"], figures["postgres"]
        print(f"postgres / sqlite in this run: answers/s x{rate_p / rate_s:.2f}, answer p95 x{p95_p / p95_s:.2f}")


if __name__ == "__main__":
    main()
