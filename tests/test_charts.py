"""Charts: the right pictures for each example plan, accessible SVG, the data in words, stable bytes, safe text."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from agent.knowledge.bundle import Bundle
from agent.model.brief import Brief
from agent.model.plan import Strategy
from agent.planning.assemble import plan_core
from agent.render.charts import DEFAULT_COLOUR, Chart, build_charts
from agent.render.drawing import Text, text_span
from agent.render.plot import Bars, bar_chart
from agent.render.templating import money, number, percent, platform_name
from tests.briefs import brief_from
from tests.conftest import FIXED_NOW, example

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXPECTED = {
    "northwind-skincare": ["budget", "posting-grid", "forecast", "channel-scores"],
    "acme-analytics": ["budget", "posting-grid", "forecast", "channel-scores"],
    "rosas-taqueria": ["team-hours", "posting-grid", "channel-scores"],  # no spend, no numeric target
}


def strategy_of(brief: Brief, bundle: Bundle) -> Strategy:
    """The engines' plan for `brief` as a Strategy (no prose: charts draw only the figures)."""
    core = plan_core(brief, bundle.tables, FIXED_NOW.date())
    return Strategy(
        version=1, created_at=FIXED_NOW, client="test", brief=brief, start_date=core.start_date,
        end_date=core.end_date, channels=core.channels, schedule=core.schedule, budget=core.budget, kpis=core.kpis,
        calendar=core.calendar, pillars=core.pillars, practices=[], category=core.category, target=core.target,
    )  # fmt: skip


@pytest.fixture(scope="module")
def plans(bundle: Bundle) -> dict[str, Strategy]:
    return {name: strategy_of(example(name), bundle) for name in EXPECTED}


@pytest.fixture(scope="module")
def charts(plans: dict[str, Strategy]) -> dict[str, dict[str, Chart]]:
    return {name: {c.name: c for c in build_charts(plan)} for name, plan in plans.items()}


def parsed(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def outside(svg: str) -> list[str]:
    """The texts of an SVG chart that run past its left or right edge (measured as the PNG paints them)."""
    root = ET.fromstring(svg)
    width = float(root.get("viewBox", "").split()[2])
    spans = [(e.text or "", text_span(Text(float(e.get("x", "")), 0, "".join(e.itertext()),
                                           e.get("text-anchor", "start"), bold=bool(e.get("font-weight")))))
             for e in root.iter(f"{SVG}text")]  # type: ignore[arg-type]
    return [text for text, (start, end) in spans if start < 0 or end > width]


def texts_of(chart: Chart) -> list[str]:
    """Every <text> of the chart, in drawing order."""
    return ["".join(e.itertext()) for e in parsed(chart).iter(f"{SVG}text")]


@pytest.mark.parametrize("name", EXPECTED)
def test_each_example_gets_the_charts_its_data_supports(charts: dict[str, dict[str, Chart]], name: str) -> None:
    assert list(charts[name]) == EXPECTED[name]


@pytest.mark.parametrize("name", EXPECTED)
def test_every_svg_is_titled_described_and_scales(charts: dict[str, dict[str, Chart]], name: str) -> None:
    for chart in charts[name].values():
        root = parsed(chart)
        assert root.tag == f"{SVG}svg" and chart.svg.startswith("<svg")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text == chart.title and chart.title
        assert desc is not None and desc.text == chart.alt and len(chart.alt) > 20
        assert root.get("role") == "img" and root.get("width") == "100%" and root.get("height") is None
        assert root.get("viewBox") and list(root)[:2] == [title, desc]
        ids = {e.get("id") for e in root.iter()}
        assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")} <= ids
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", chart.svg)]
        assert sizes and min(sizes) >= 9, chart.name  # 1 SVG unit = 1pt at the figure's own width
        assert "<metadata>" not in chart.svg and "<?xml" not in chart.svg


def test_ids_are_unique_across_the_charts_of_one_page(charts: dict[str, dict[str, Chart]]) -> None:
    ids = [e.get("id") for c in charts["northwind-skincare"].values() for e in parsed(c).iter() if e.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", ["northwind-skincare", "acme-analytics"])
def test_budget_alt_text_states_every_line(plans: dict[str, Strategy], charts: dict[str, dict[str, Chart]],
                                           name: str) -> None:
    budget, alt = plans[name].budget, charts[name]["budget"].alt
    total = sum(line.monthly_amount for line in budget.lines)
    assert budget.lines and money(round(total), budget.currency) in alt
    for line in budget.lines:
        assert f"{money(round(line.monthly_amount), budget.currency)} ({percent(line.monthly_amount / total)})" in alt
        assert f"({line.kind})" in alt


@pytest.mark.parametrize("name", EXPECTED)
def test_posting_grid_has_one_mark_per_slot(plans: dict[str, Strategy], charts: dict[str, dict[str, Chart]],
                                            name: str) -> None:
    chart, plan = charts[name]["posting-grid"], plans[name]
    marks = [e for e in parsed(chart).iter() if re.fullmatch(r"chart-posting-grid-slot-\d+", e.get("id") or "")]
    assert len(marks) == sum(len(item.slots) for item in plan.schedule) > 0
    zone = plan.schedule[0].slots[0].timezone
    assert f"Times in {zone}" in chart.svg and zone in chart.alt
    for item in plan.schedule:
        assert f"{platform_name(item.platform.value)}: " in chart.alt
        assert all(slot.time in chart.alt for slot in item.slots)


def test_same_plan_same_bytes(plans: dict[str, Strategy]) -> None:
    first, second = build_charts(plans["acme-analytics"]), build_charts(plans["acme-analytics"])
    assert [c.svg for c in first] == [c.svg for c in second]
    assert first[0].png() == second[0].png()


def test_png_for_docx(charts: dict[str, dict[str, Chart]]) -> None:
    png = charts["northwind-skincare"]["posting-grid"].png()
    assert png.startswith(PNG_SIGNATURE) and b"Software" not in png
    width, _ = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width == 975  # 6.5 inches at 150 dpi


def test_a_zero_budget_plan_shows_the_team_hours(bundle: Bundle) -> None:
    plan = strategy_of(brief_from("acme-analytics", resources={"monthly_budget": 0}), bundle)
    charts = {c.name: c for c in build_charts(plan)}
    assert "budget" not in charts and "team-hours" in charts
    for item in plan.schedule:
        assert f"{platform_name(item.platform.value)} {number(round(item.hours_per_week, 1))} hour" in charts[
            "team-hours"].alt


def test_forecast_against_target_names_range_and_target(plans: dict[str, Strategy],
                                                        charts: dict[str, dict[str, Chart]]) -> None:
    target, chart = plans["northwind-skincare"].target, charts["northwind-skincare"]["forecast"]
    assert target is not None and target.monthly_value and target.forecast_mid is not None
    assert chart.title == "Forecast against the target"
    for value in (target.forecast_low, target.forecast_mid, target.forecast_high, target.monthly_value):
        assert number(value, 0) in chart.alt
    assert f"{target.unit} per month" in chart.svg and "falls short of" in chart.alt


def test_without_a_numeric_target_the_paid_results_are_shown(plans: dict[str, Strategy]) -> None:
    plan = plans["northwind-skincare"].model_copy(update={"target": None})
    chart = next(c for c in build_charts(plan) if c.name == "forecast")
    assert chart.title == "What the paid lines should bring each month"
    for line in plan.budget.lines:
        if line.kind == "paid" and line.forecast:
            results = line.forecast.results
            assert f"{number(results.low, 0)} to {number(results.high, 0)} {line.forecast.result_name}" in chart.alt


def test_scores_are_sorted_and_not_recommended_ones_say_so(plans: dict[str, Strategy],
                                                           charts: dict[str, dict[str, Chart]]) -> None:
    channels, alt = plans["acme-analytics"].channels, charts["acme-analytics"]["channel-scores"].alt
    ranked = sorted(channels, key=lambda c: (-c.score, c.platform.value))
    positions = [alt.index(f"{platform_name(c.platform.value)} {c.score:.2f}") for c in ranked]
    assert positions == sorted(positions)
    assert alt.count("(not recommended)") == sum(c.role == "not_recommended" for c in channels)


def test_agency_colour_is_the_main_series_and_a_bad_one_falls_back(plans: dict[str, Strategy]) -> None:
    branded = build_charts(plans["acme-analytics"], "#C2185B")
    assert all("#c2185b" in c.svg for c in branded) and not any(DEFAULT_COLOUR in c.svg for c in branded)
    assert all(DEFAULT_COLOUR in c.svg for c in build_charts(plans["acme-analytics"], "red; } <x>"))


def test_user_text_is_escaped_and_a_dollar_is_not_maths(plans: dict[str, Strategy]) -> None:
    plan = plans["acme-analytics"]
    assert plan.target is not None
    unit = '<script>alert(1)</script> & $x$ "q"'
    odd = plan.model_copy(update={"target": plan.target.model_copy(update={"unit": unit})})
    chart = next(c for c in build_charts(odd) if c.name == "forecast")
    root = parsed(chart)  # still well-formed XML
    assert "<script" not in chart.svg and root.find(f"{SVG}desc").text == chart.alt  # type: ignore[union-attr]
    texts = texts_of(chart)
    assert f"{unit} per month" in texts  # one text element, `$x$` as typed
    line = plan.budget.lines[0]
    budget = [t for t in texts_of(build_charts(plan)[0]) if t.startswith(money(round(line.monthly_amount)))]
    assert budget and budget[0].startswith("$")  # dollar amounts are text, not maths


def test_drawing_the_charts_loads_no_plotting_library(plans: dict[str, Strategy]) -> None:
    code = ("import sys; from tests.test_charts import *; from tests.conftest import *\n"
            "from agent.knowledge.bundle import load_bundle\n"
            "plan = strategy_of(example('acme-analytics'), load_bundle(PROJECT_ROOT / 'knowledge'))\n"
            "charts = build_charts(plan); charts[0].png()\n"
            "print(len(charts), 'matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["4", "False"], result.stderr


@pytest.mark.parametrize("name", EXPECTED)
def test_every_text_lies_inside_the_picture(charts: dict[str, dict[str, Chart]], name: str) -> None:
    for chart in charts[name].values():
        assert outside(chart.svg) == [], chart.name


def test_text_stays_inside_with_six_digit_figures_and_tiny_bars(plans: dict[str, Strategy]) -> None:
    plan = plans["acme-analytics"]
    assert plan.target is not None
    narrow = plan.target.model_copy(update={"forecast_low": 90000, "forecast_mid": 95000, "forecast_high": 100000,
                                            "monthly_value": 50000})
    forecast = next(c for c in build_charts(plan.model_copy(update={"target": narrow})) if c.name == "forecast")
    small = bar_chart(Bars(["A"], [101], ["$101"], ["#000000"]), "x", 80)
    assert outside(forecast.svg) == [] and outside(small.svg("chart-x", "t", "a")) == []


def test_scores_run_from_0_to_1_whatever_the_best_score(plans: dict[str, Strategy],
                                                        charts: dict[str, dict[str, Chart]]) -> None:
    assert max(c.score for c in plans["rosas-taqueria"].channels) < 0.9
    texts = texts_of(charts["rosas-taqueria"]["channel-scores"])
    assert texts[-7:-1] == ["0", "0.2", "0.4", "0.6", "0.8", "1"]  # the ticks, then the axis label


def test_the_png_paints_the_same_drawing(charts: dict[str, dict[str, Chart]]) -> None:
    chart = charts["acme-analytics"]["budget"]
    png = chart.png()
    _, height = struct.unpack(">II", png[16:24])
    assert height == round(chart.drawing.height * 150 / 72)
    assert chart.drawing.svg("chart-budget", chart.title, chart.alt) == chart.svg


def test_the_grid_runs_monday_to_sunday(charts: dict[str, dict[str, Chart]]) -> None:
    assert texts_of(charts["rosas-taqueria"]["posting-grid"])[:7] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_the_budget_legend_names_only_the_kinds_of_spend_the_plan_has(
    bundle: Bundle, charts: dict[str, dict[str, Chart]]
) -> None:
    small = strategy_of(brief_from("rosas-taqueria", resources={"monthly_budget": 150}), bundle)
    assert {line.kind for line in small.budget.lines} == {"organic"}
    budget = next(c for c in build_charts(small) if c.name == "budget")
    assert "paid" not in texts_of(budget) and "organic" in texts_of(budget)
    assert {"organic", "paid"} <= set(texts_of(charts["acme-analytics"]["budget"]))
