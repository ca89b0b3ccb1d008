"""The whole offline flow in-process: retrieval into sections, citations, files, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

from agent.api import plan_brief, read_plan
from agent.graph.state import RunContext
from agent.knowledge.retrieval import retrieve_practices
from agent.knowledge.search import KnowledgeBase
from agent.model.brief import Platform
from agent.model.settings import Settings
from tests.conftest import example


def test_retrieval_covers_every_section_for_the_brief(bundle) -> None:
    brief = example("acme-analytics")
    settings = Settings.from_env()
    kb = KnowledgeBase(settings)
    try:
        kb.ensure_ready(settings.knowledge_dir)
        chosen = retrieve_practices(kb, brief, [p.value for p in Platform if p not in brief.exclude_platforms],
                                    set(bundle.entries))
    finally:
        kb.close()
    assert all(chosen[section] for section in chosen), chosen
    assert "profile-optimisation-linkedin" in chosen["organic"]
    assert "competition-analysis-share-of-voice" in chosen["competition"]
    assert all(i in bundle.entries for ids in chosen.values() for i in ids)


def test_every_cited_entry_is_listed_and_every_figure_cites(context: RunContext, graph: object) -> None:
    folder = plan_brief(example("acme-analytics"), context, graph)
    strategy = read_plan(folder)
    listed = {p.id for p in strategy.practices}
    cited = {c for group in (strategy.channels, strategy.schedule, strategy.kpis) for item in group
             for c in item.citations}
    cited |= set(strategy.budget.citations) | {c for s in strategy.sections for c in s.citations}
    assert cited <= listed and listed
    assert all(item.citations for group in (strategy.channels, strategy.schedule, strategy.kpis) for item in group)
    markdown = (folder / "strategy.md").read_text()
    titles = re.findall(r'^\d+\. <a id="ref-\d+"></a>(.+?)\. ', markdown, flags=re.MULTILINE)
    by_title = {p.title for p in strategy.practices}
    assert titles and set(titles) <= {t.replace("<", "&lt;") for t in by_title}  # numbered references


def test_same_brief_same_plan_apart_from_timestamps(context: RunContext, graph: object) -> None:
    first = json.loads((plan_brief(example("northwind-skincare"), context, graph) / "plan.json").read_text())
    second = json.loads((plan_brief(example("northwind-skincare"), context, graph) / "plan.json").read_text())
    for data in (first, second):
        data.pop("version"), data.pop("created_at")
    assert first == second


def test_version_folder_files(context: RunContext, graph: object) -> None:
    folder = plan_brief(example("rosas-taqueria"), context, graph)
    assert folder == Path(context.out_dir) / "rosas-taqueria" / "v1"
    csv_lines = (folder / "calendar.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[0] == "date,time,timezone,platform,format,pillar,topic,caption_draft,note"
    assert len(csv_lines) - 1 == len(read_plan(folder).calendar)
