"""Own data through the whole plan: KPI baselines and targets, the summary, heatmaps in the version folder."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from agent.analytics import OwnData, load_exports
from agent.api import plan_brief
from agent.graph.state import RunContext
from agent.knowledge.bundle import Bundle
from agent.model.plan import Generation, Strategy
from agent.planning.assemble import PlanCore, plan_core
from agent.render.document import sanitize_html
from agent.render.files import render_files
from agent.writing.compose import compose
from tests.conftest import example
from tests.test_analytics_exports import NOW, export_file, synthetic_posts

PNG = b"\x89PNG\r\n\x1a\n"
NO_DOCUMENTS: frozenset[str] = frozenset()
CHICAGO_PEAK = ("sat", "18:00")  # the synthetic peak is Saturday 19:00 New York time


def own_linkedin(tmp_path: Path) -> OwnData:
    return load_exports([export_file(tmp_path, "generic", synthetic_posts())], "America/Chicago")


def core_with(bundle: Bundle, own: OwnData | None) -> PlanCore:
    return plan_core(example("acme-analytics"), bundle.tables, NOW.date(), own, NOW)


def kpi(core: PlanCore, name: str) -> object:
    return next(k for k in core.kpis if k.name == name)


def strategy_of(bundle: Bundle, core: PlanCore) -> Strategy:
    return compose(example("acme-analytics"), core, bundle.entries, sections=[], generation=Generation(),
                   version=1, now=NOW, client="acme-analytics")


def test_plan_core_keeps_working_without_own_data(bundle: Bundle) -> None:
    core = plan_core(example("acme-analytics"), bundle.tables, NOW.date())
    assert core.analytics is None
    assert all(s.source == "benchmark" for item in core.schedule for s in item.slots)


def test_own_data_moves_slots_baselines_and_targets(tmp_path: Path, bundle: Bundle) -> None:
    before, after = core_with(bundle, None), core_with(bundle, own_linkedin(tmp_path))
    linkedin = next(item for item in after.schedule if item.platform.value == "linkedin")
    own_slots = [(s.day, s.time) for s in linkedin.slots if s.source == "own_data"]
    assert CHICAGO_PEAK in own_slots and "own posts" in linkedin.rationale
    rate = kpi(after, "Engagement rate per post (LinkedIn)")
    assert rate.baseline_source == "own_data" and "impressions" in rate.formula  # type: ignore[attr-defined]
    assert rate.baseline == pytest.approx(3.0, abs=0.2)  # type: ignore[attr-defined]
    assert kpi(before, "Engagement rate per post (LinkedIn)").baseline == 2.1  # type: ignore[attr-defined]
    followers = kpi(after, "Followers (LinkedIn)")
    assert followers.baseline_source == "own_data" and followers.baseline == 1660  # type: ignore[attr-defined]
    assert followers.target != kpi(before, "Followers (LinkedIn)").target  # type: ignore[attr-defined]
    assert kpi(after, "Impressions per post (LinkedIn)").baseline_source == "own_data"  # type: ignore[attr-defined]
    monthly = "Organic impressions per month"
    assert kpi(after, monthly).baseline_source == "own_data"  # type: ignore[attr-defined]
    assert kpi(after, monthly).target != kpi(before, monthly).target  # type: ignore[attr-defined]


def test_summary_states_the_method(tmp_path: Path, bundle: Bundle) -> None:
    analytics = core_with(bundle, own_linkedin(tmp_path)).analytics
    assert analytics is not None and analytics.as_of == NOW
    mine = analytics.platforms[0]
    assert (mine.platform.value, mine.posts, mine.slots_from_data) == ("linkedin", 80, True)
    assert len(mine.scores) == 7 and len(mine.scores[0]) == 24 and mine.prior_strength is not None
    assert "impressions" in analytics.engagement_definition and "k" in analytics.slot_method


def test_version_files_hold_heatmaps(tmp_path: Path, bundle: Bundle) -> None:
    strategy = strategy_of(bundle, core_with(bundle, own_linkedin(tmp_path)))
    files = render_files(strategy, documents=frozenset({"docx"}))  # no PDF: seconds, tested in test_document.py
    assert files["heatmap-linkedin.png"].startswith(PNG)
    with zipfile.ZipFile(io.BytesIO(files["strategy.docx"])) as docx:
        media = [docx.read(name) for name in docx.namelist() if name.startswith("word/media/")]
    assert files["heatmap-linkedin.png"] in media
    again = render_files(strategy, documents=NO_DOCUMENTS)["heatmap-linkedin.png"]
    assert again == files["heatmap-linkedin.png"]  # deterministic
    markdown_text = files["strategy.md"].decode()
    assert "### Your own analytics" in markdown_text
    assert "![Posting heatmap: LinkedIn](heatmap-linkedin.png)" in markdown_text
    assert "own data" in markdown_text
    page = files["strategy.html"].decode()
    assert '<img class="figure" src="data:image/png;base64,' in page and 'src="heatmap-linkedin.png"' not in page
    assert json.loads(files["plan.json"])["analytics"]["platforms"][0]["platform"] == "linkedin"


def test_plan_without_own_data_has_no_heatmap(bundle: Bundle) -> None:
    files = render_files(strategy_of(bundle, core_with(bundle, None)), documents=NO_DOCUMENTS)
    assert not [name for name in files if name.endswith(".png")]
    assert "Your own analytics" not in files["strategy.md"].decode()


def test_only_the_versions_own_images_survive_the_sanitiser() -> None:
    images = {"heatmap-x.png": PNG}
    html = sanitize_html('<p><img src="heatmap-x.png" alt="A" onerror="alert(1)" /><img src="https://e.x/t.png">'
                         '<img src="javascript:alert(1)"></p>', images)
    assert html.startswith('<p><img class="figure" src="data:image/png;base64,') and "onerror" not in html
    assert html.count("<img") == 1
    assert "<img" not in sanitize_html('<img src="heatmap-x.png">')


def test_graph_run_reads_the_exports(tmp_path: Path, context: RunContext, graph: object) -> None:
    path = export_file(tmp_path, "generic", synthetic_posts())
    run = RunContext(settings=context.settings, now=context.now, out_dir=context.out_dir, analytics=(path,))
    folder = plan_brief(example("acme-analytics"), run, graph)
    assert (folder / "heatmap-linkedin.png").read_bytes().startswith(PNG)
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["analytics"]["files"][0]["name"] == path.name
    slots = [s for item in plan["schedule"] for s in item["slots"] if s["source"] == "own_data"]
    assert slots and all(0 < s["confidence"] <= 1 for s in slots)
