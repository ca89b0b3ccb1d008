"""The strategy document as a reader gets it: the plan on a page, numbered references, contents and charts,
the client files (DOCX, PDF) and the scheduler imports, with and without an agency's branding."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from agent.api import plan_brief
from agent.graph.state import RunContext
from agent.model.brand import load_brand
from agent.model.brief import Brief
from agent.model.plan import Strategy
from agent.model.plan_io import read_plan
from agent.model.settings import PROJECT_ROOT, Settings
from agent.render.files import render_files
from agent.render.scheduler import SPROUT_HEADER, SPROUT_MAX_ROWS, sprout_date_format
from tests.conftest import FIXED_NOW, example
from tests.eval.checks import load_case

EVAL = PROJECT_ROOT / "tests" / "eval" / "briefs"
CASES = [
    "acme-analytics", "northwind-skincare", "rosas-taqueria",
    "eval:dog-groomer", "eval:b2b-saas-demos", "eval:mobile-game-30k", "eval:nonprofit-food-bank",
    "eval:industrial-supplier",
]  # fmt: skip
MARKER = re.compile(r"\]\(#ref-(\d+)\)")
REFERENCE = re.compile(r'^(\d+)\. <a id="ref-(\d+)"></a>.*<(https?://[^>\s]+)>', re.MULTILINE)


def tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (170, 51, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def _brief(case: str) -> Brief:
    if case.startswith("eval:"):
        return load_case(EVAL / f"{case[5:]}.yaml").brief
    return example(case)


@pytest.fixture(scope="module")
def plans(graph: object, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Strategy]:
    out = tmp_path_factory.mktemp("plans")
    settings = Settings.from_env(offline=True, output_dir=out, documents="none")
    context = RunContext(settings=settings, now=FIXED_NOW, out_dir=out)
    return {case: read_plan(plan_brief(_brief(case), context, graph)) for case in CASES}


def _page(markdown_text: str) -> str:
    return markdown_text.split("\n## Appendix\n", 1)[0]


@pytest.mark.parametrize("case", CASES)
def test_the_plan_on_a_page_is_under_2000_words_and_the_rest_is_one_appendix(plans: dict[str, Strategy],
                                                                              case: str) -> None:
    text = render_files(plans[case], documents=frozenset())["strategy.md"].decode()
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == ["Contents", "Plan on a page", "Appendix", "References"]
    assert len(_page(text).split()) < 2000
    page_parts = re.findall(r"^### (.+)$", _page(text), flags=re.MULTILINE)
    assert page_parts[:5] == ["Recommendation", "Channels", "Budget and forecast", "KPIs", "First two weeks"]
    kpi_rows = _page(text).split("### KPIs", 1)[1].split("###", 1)[0].count("\n| ") - 1
    assert 3 <= kpi_rows <= 5 or kpi_rows == len(plans[case].kpis)
    budget_rows = _page(text).split("### Budget and forecast", 1)[1].split("###", 1)[0].count("\n| ") - 1
    assert budget_rows <= 6


@pytest.mark.parametrize("case", CASES)
def test_every_marker_resolves_to_a_numbered_reference_with_an_address(plans: dict[str, Strategy],
                                                                      case: str) -> None:
    text = render_files(plans[case], documents=frozenset())["strategy.md"].decode()
    cited = {int(n) for n in MARKER.findall(text)}
    listed = {int(m.group(1)): m.group(3) for m in REFERENCE.finditer(text)}
    assert cited, "the document cites nothing"
    assert cited == set(listed) == set(range(1, len(listed) + 1))
    assert not re.search(r"\[[a-z0-9]+(?:-[a-z0-9]+)+\](?!\()", text), "an unnumbered [entry-id] marker is left"
    assert all(len(re.findall(r"\[(\d+)\]\(#ref-", group)) <= 3 for group in re.findall(r"\\\[.*?\\\]", text))


def test_html_has_contents_that_resolve_and_titled_svg_charts(plans: dict[str, Strategy]) -> None:
    page = render_files(plans["northwind-skincare"], documents=frozenset())["strategy.html"].decode()
    assert '<h2 id="contents">' in page
    ids = set(re.findall(r' id="([^"]+)"', page))
    links = re.findall(r'href="#([^"]+)"', page)
    assert links and set(links) <= ids
    figures = re.findall(r'<figure class="chart" data-chart="([^"]+)">(.*?)</figure>', page, flags=re.DOTALL)
    assert len(figures) >= 3
    for _name, body in figures:
        assert re.search(r"<svg[^>]*>\s*<title[^>]*>[^<]+</title>\s*<desc[^>]*>[^<]+</desc>", body)
    assert len(re.findall(r' id="([^"]+)"', page)) == len(ids), "two elements share an id"


def test_docx_holds_the_headings_tables_and_charts(plans: dict[str, Strategy]) -> None:
    files = render_files(plans["acme-analytics"], documents=frozenset({"docx"}))
    document = docx.Document(io.BytesIO(files["strategy.docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert {"Plan on a page", "Appendix", "References"} <= set(headings)
    html_tables = files["strategy.html"].decode().count("<table>")
    assert len(document.tables) == html_tables
    assert [c.text for c in document.tables[0].rows[0].cells][:3] == ["Channel", "Role", "Why"]
    assert len(document.inline_shapes) >= 3


def test_pdf_has_pages_page_numbers_and_the_client_name(plans: dict[str, Strategy]) -> None:
    files = render_files(plans["rosas-taqueria"], documents=frozenset({"pdf"}))
    reader = PdfReader(io.BytesIO(files["strategy.pdf"]))
    assert len(reader.pages) >= 3
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "Rosa's Taqueria" in first.replace("’", "'")
    assert "Target:" in first and "References" in first  # the contents and the target verdict fit page one
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def test_brand_styles_html_docx_and_pdf_and_its_absence_leaves_no_trace(plans: dict[str, Strategy],
                                                                        tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(tiny_png())
    (tmp_path / "brand.yaml").write_text(yaml.safe_dump({
        "agency": "Northside <Social>", "logo": "logo.png", "colour": "#AA3300",
        "prepared_for": "Prepared for Rosa Martinez", "prepared_by": "Prepared by Dana Lee",
    }))  # fmt: skip
    brand = load_brand(tmp_path / "brand.yaml")
    strategy = plans["rosas-taqueria"]
    branded = render_files(strategy, brand, documents=frozenset({"docx", "pdf"}))
    plain = render_files(strategy, documents=frozenset({"docx"}))
    page = branded["strategy.html"].decode()
    assert "Northside &lt;Social&gt;" in page and "<Social>" not in page
    assert "--accent: #AA3300" in page and "data:image/png;base64," in page
    assert "\n\nPrepared for Rosa Martinez · Prepared by Dana Lee\n\n" in branded["strategy.md"].decode()
    assert "Northside" in PdfReader(io.BytesIO(branded["strategy.pdf"])).pages[0].extract_text()
    footer = docx.Document(io.BytesIO(branded["strategy.docx"])).sections[-1].footer
    assert "Northside <Social>" in " ".join(p.text for p in footer.paragraphs)
    for name in ("strategy.md", "strategy.html"):
        assert "Northside" not in plain[name].decode() and "Prepared" not in plain[name].decode()


def test_calendar_csv_opens_in_excel_and_carries_caption_drafts(plans: dict[str, Strategy]) -> None:
    strategy = plans["northwind-skincare"]
    raw = render_files(strategy, documents=frozenset())["calendar.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(strategy.calendar)
    assert {r["platform"] for r in rows} <= {"Facebook", "Instagram", "TikTok", "Pinterest", "LinkedIn", "X",
                                             "YouTube", "Threads"}
    assert all("_" not in r["format"] for r in rows)
    assert all(r["caption_draft"] for r in rows)


@pytest.mark.parametrize("case", ["rosas-taqueria", "northwind-skincare"])
def test_sprout_files_follow_the_documented_bulk_layout(plans: dict[str, Strategy], case: str) -> None:
    """Sprout Social bulk scheduling: headers date,time_24hr,message_text (case-sensitive), at most 350 rows,
    messages at least 10 minutes apart, one date order per file (see ../shared/research/export-formats.md)."""
    strategy = plans[case]
    files = {k: v for k, v in render_files(strategy, documents=frozenset()).items() if k.startswith("sprout-")}
    assert {name.split("-")[1].removesuffix(".csv") for name in files} == {p.platform.value for p in
                                                                         strategy.calendar}
    pattern = "%m/%d/%Y" if sprout_date_format(strategy) == "mm/dd/yyyy" else "%d/%m/%Y"
    total = 0
    for data in files.values():
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert tuple(rows[0]) == SPROUT_HEADER and 1 <= len(rows) - 1 <= SPROUT_MAX_ROWS
        times = [dt.datetime.strptime(f"{d} {t}", f"{pattern} %H:%M") for d, t, _ in rows[1:]]
        assert all(b - a >= dt.timedelta(minutes=10) for a, b in zip(times, times[1:], strict=False))
        assert all(len(message) >= 10 for _, _, message in rows[1:])
        total += len(rows) - 1
    assert total == len(strategy.calendar)
    assert (case == "rosas-taqueria") == (pattern == "%m/%d/%Y")
