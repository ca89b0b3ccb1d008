"""Plan many briefs at once: one compiled graph, knowledge and index loaded once, a worker pool.

The workers share the process's knowledge base (`search.shared`: one Chroma client, one in-memory
ranking snapshot, cached query vectors and keyword scores; a SQLite connection per thread), so each
brief after the first pays only for its own queries and engines. Offline plans are CPU-bound Python, so
with `processes` (the CLI's batch) and more than one core they run in worker processes forked after the
knowledge is loaded: each inherits it instead of loading it again, and the cores work in parallel. A bad
brief is reported with its error and the others go on. Results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from agent.api import plan_brief
from agent.graph.build import build_graph
from agent.graph.state import RunContext
from agent.interview.brief_file import load_friendly_brief
from agent.knowledge import search
from agent.knowledge.bundle import load_bundle
from agent.model.brief_io import BriefError, expand
from agent.model.plan_io import read_plan
from agent.planning.errors import PlanningError


class BatchResult(BaseModel):
    """The outcome for one brief."""

    source: str
    client: str = ""
    status: str = "ok"
    folder: str = ""
    channels: str = ""
    split: str = ""
    error: str = ""


def _prepare(context: RunContext) -> None:
    """Load knowledge and build the search index once, before workers start (they then share it)."""
    load_bundle(context.settings.knowledge_dir)
    search.shared(context.settings).ensure_ready(context.settings.knowledge_dir)


def _one(path: Path, context: RunContext, graph: object) -> BatchResult:
    try:
        brief = load_friendly_brief(path)
        folder = plan_brief(brief, context, graph)
    except (BriefError, PlanningError) as exc:
        message = str(exc) if isinstance(exc, BriefError) else f"{path}: {exc}"
        return BatchResult(source=str(path), status="bad input", error=message)
    except Exception as exc:  # noqa: BLE001 - one brief's failure must not stop the batch
        return BatchResult(source=str(path), status="failed", error=f"{path}: {exc.__class__.__name__}: {exc}")
    plan = read_plan(folder)
    chosen = [f"{c.platform.value} ({c.role})" for c in plan.channels if c.role != "not_recommended"]
    return BatchResult(
        source=str(path), client=plan.brief.business.name, folder=str(folder), channels=", ".join(chosen),
        split=f"{plan.budget.organic_share:.0%} / {plan.budget.paid_share:.0%}",
    )


def pool_size(workers: int, llm: bool) -> int:
    """Threads for `workers`: as asked when plans wait on a model; offline plans are CPU-bound Python, so
    threads beyond the machine's cores only contend for the interpreter lock (measured: 4 threads on 2
    cores are slower than 2)."""
    return max(1, workers if llm else min(workers, os.cpu_count() or 1))


_INHERITED: dict[str, Any] = {}
"""The context and graph a forked worker process inherits from the batch that forked it."""


def _inherited_one(path: Path) -> BatchResult:
    """One brief in a forked worker, with the batch's context and graph; none once Ctrl-C was pressed (the
    pool hands briefs to its workers ahead of time, and those cannot be called back)."""
    if _INHERITED.get("stopping"):
        raise KeyboardInterrupt
    _INHERITED["busy"] = True
    try:
        return _one(path, _INHERITED["context"], _INHERITED["graph"])
    finally:
        _INHERITED["busy"] = False


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C in a worker: a plan in progress stops (its folder is not published) and the batch hears of it;
    an idle worker only notes it. Either way the worker plans nothing more and leaves when the batch shuts
    the pool down, so the terminal shows the batch's one line, not a traceback per worker."""
    _INHERITED["stopping"] = True
    if _INHERITED.get("busy"):
        raise KeyboardInterrupt


def _worker_start() -> None:
    """A forked worker's first step: its Ctrl-C handling, its own SQLite connections, and the index as checked
    before the fork."""
    signal.signal(signal.SIGINT, _interrupted)
    search.shared(_INHERITED["context"].settings).after_fork()


def forks(processes: bool, llm: bool, briefs: int, size: int) -> bool:
    """Worker processes only when asked, offline, for more than one brief and worker, where fork exists."""
    return processes and not llm and briefs > 1 and size > 1 and "fork" in multiprocessing.get_all_start_methods()


def run_batch(
    paths: list[Path], context: RunContext, workers: int = 4,
    on_done: Callable[[BatchResult], None] | None = None, processes: bool = False,
) -> list[BatchResult]:
    """Plan every brief; results in input order. `processes`: offline, fork worker processes (one per core,
    at most `workers`) instead of threads; only for a caller without threads of its own, like the CLI."""
    briefs = expand(paths)
    _prepare(context)
    llm = context.settings.llm_enabled
    if llm:
        from agent.llm.factory import set_max_concurrent_calls

        set_max_concurrent_calls(context.settings.llm_concurrency)
    graph = build_graph()
    size = pool_size(workers, llm)
    results: dict[int, BatchResult] = {}

    def done(index: int, result: BatchResult) -> None:
        results[index] = result
        if on_done:
            on_done(result)

    if forks(processes, llm, len(briefs), size):
        done(0, _one(briefs[0], context, graph))  # here first: the workers inherit everything it warmed up
        _INHERITED.update(context=context, graph=graph)
        search.shared(context.settings).before_fork()
        pool: Executor = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_worker_start)
        tasks = {index: partial(_inherited_one, path) for index, path in enumerate(briefs) if index}
    else:
        pool = ThreadPoolExecutor(max_workers=size)
        tasks = {index: partial(_one, path, context, graph) for index, path in enumerate(briefs)}
    try:
        futures: dict[Future[BatchResult], int] = {pool.submit(task): index for index, task in tasks.items()}
        for future in as_completed(futures):
            done(futures[future], future.result())
    except BaseException:  # Ctrl-C above all: briefs not started are dropped instead of planned first
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return [results[i] for i in range(len(briefs))]
