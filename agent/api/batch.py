"""Plan many briefs in one process: one compiled graph, knowledge and index loaded once, a worker pool.

A bad brief is reported with its error and the others go on. Results come back in input order.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from pydantic import BaseModel

from agent.api import plan_brief
from agent.graph.build import build_graph
from agent.graph.state import RunContext
from agent.knowledge.bundle import load_bundle
from agent.knowledge.search import KnowledgeBase
from agent.model.brief_io import BriefError, load_brief
from agent.model.plan_io import read_plan
from agent.planning.errors import PlanningError

BRIEF_SUFFIXES = {".yaml", ".yml", ".json"}


class BatchResult(BaseModel):
    """The outcome for one brief."""

    source: str
    client: str = ""
    status: str = "ok"
    folder: str = ""
    channels: str = ""
    split: str = ""
    error: str = ""


def expand(paths: list[Path]) -> list[Path]:
    """Brief files from files and folders (folders: their *.yaml, *.yml, *.json, sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in BRIEF_SUFFIXES and p.is_file()))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _prepare(context: RunContext) -> None:
    """Load knowledge and build the search index once, before workers start."""
    load_bundle(context.settings.knowledge_dir)
    kb = KnowledgeBase(context.settings)
    try:
        kb.ensure_ready(context.settings.knowledge_dir)
    finally:
        kb.close()


def _one(path: Path, context: RunContext, graph: object) -> BatchResult:
    try:
        brief = load_brief(path)
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


def run_batch(
    paths: list[Path], context: RunContext, workers: int = 4,
    on_done: Callable[[BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Plan every brief; results in input order."""
    briefs = expand(paths)
    _prepare(context)
    if context.settings.llm_enabled:
        from agent.llm.factory import set_max_concurrent_calls

        set_max_concurrent_calls(context.settings.llm_concurrency)
    graph = build_graph()
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_one, path, context, graph): index for index, path in enumerate(briefs)}
        results: dict[int, BatchResult] = {}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if on_done:
                on_done(results[futures[future]])
    return [results[i] for i in range(len(briefs))]
