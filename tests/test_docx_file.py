"""strategy.docx: the HTML body of a real plan as a Word document, read back with python-docx."""

from __future__ import annotations

import html
import io
import re
import zipfile
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Inches
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from agent.model.brand import Brand, LoadedBrand
from agent.model.plan import Strategy
from agent.render.document import sanitize_html
from agent.render.docx_file import strategy_docx
from agent.render.files import render_files
from agent.writing.offline import offline_sections

FIXTURE = Path(__file__).parent / "fixtures" / "strategy.json"
TITLE = "Social media strategy: Fixture Co"
AGENCY = "Northside Social"
LINK = '<p>Read <a href="https://example.com/guide?a=1&amp;b=2">the <strong>guide</strong></a> first.</p>'
CHART = '<p><img src="chart-reach.png" alt="Reach by month, organic and paid"></p>'
SVG_CHART = (
    '<figure class="chart" data-chart="chart-mix"><svg viewBox="0 0 9 9" role="img"><title>Mix</title>'
    "<desc>SVG-ONLY description</desc><style>text{fill:red}</style><g><text>SVG TEXT</text></g></svg>"
    "<figcaption>Budget mix by channel</figcaption></figure>"
)  # an inline SVG chart as the HTML writer emits them


def png(width: int = 40, height: int = 20, colour: str = "#2a9d8f") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def strategy(business_name: str | None = None) -> Strategy:
    loaded = Strategy.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    if business_name is not None:
        data = loaded.model_dump()
        data["brief"]["business"]["name"] = business_name
        loaded = Strategy.model_validate(data)
    return loaded.model_copy(update={"sections": offline_sections(loaded, {})})


def body_of(page: str) -> str:
    found = re.search(r"<body[^>]*>(.*)</body>", page, re.DOTALL)
    return found.group(1) if found else page


@cache
def plan_body(business_name: str | None = None) -> str:
    """The sanitised HTML body of the fixture plan's strategy.html."""
    files = render_files(strategy(business_name), documents=frozenset())  # the page alone: no DOCX or PDF
    return body_of(files["strategy.html"].decode("utf-8"))


def brand(logo: bool = True) -> LoadedBrand:
    details = Brand(
        agency=AGENCY, colour="#2A9D8F", prepared_for="Prepared for Rosa Martinez",
        prepared_by="Prepared by Dana Lee", cover_note="A plan for the first half of the year.",
    )  # fmt: skip
    return LoadedBrand(brand=details, logo_bytes=png(80, 30) if logo else None, logo_kind="png" if logo else None)


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_headings_use_word_heading_styles_with_the_plans_titles() -> None:
    body = plan_body()
    document = open_docx(strategy_docx(TITLE, body, {}))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    h2 = [plain(text) for text in re.findall(r"<h2[^>]*>(.*?)</h2>", body, re.DOTALL)]
    assert len(h2) >= 3
    assert [text for style, text in headings if style == "Heading 2"] == h2
    assert headings[0] == ("Heading 1", plain(re.findall(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL)[0]))
    assert {style for style, _ in headings} >= {"Heading 1", "Heading 2", "Heading 3"}
    assert len(headings) == len(re.findall(r"<h[1-6][ >]", body))


def test_tables_match_the_html_tables_with_their_header_rows() -> None:
    body = plan_body()
    document = open_docx(strategy_docx(TITLE, body, {}))
    html_tables = re.findall(r"<table[^>]*>(.*?)</table>", body, re.DOTALL)
    assert len(document.tables) == len(html_tables) > 3
    for table, source in zip(document.tables, html_tables, strict=True):
        header = [plain(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", source, re.DOTALL)]
        first = table.rows[0]
        assert [cell.text for cell in first.cells] == header
        assert table.style.name == "Table Grid"
        assert first._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9" for cell in first.cells)
        assert all(run.bold for cell in first.cells for run in cell.paragraphs[0].runs)
    right = [c for t in document.tables for r in t.rows[1:] for c in r.cells if c.paragraphs[0].alignment]
    assert right and all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in right)
    assert len(right) == len(re.findall(r'<td[^>]*(?:text-align: ?right|align="right")', body))


def test_lists_use_list_styles_and_each_numbered_list_counts_from_its_start() -> None:
    fragment = (
        "<ul><li>one<ul><li>nested</li></ul></li><li><p>loose</p><p>more</p></li></ul>"
        '<ol><li>first</li><li>second</li></ol><ol start="7"><li>seventh</li></ol>'
    )
    paragraphs = open_docx(strategy_docx(TITLE, fragment, {})).paragraphs
    styles = [(p.style.name, p.text) for p in paragraphs]
    assert styles[:4] == [("List Bullet", "one"), ("List Bullet 2", "nested"), ("List Bullet", "loose"),
                          ("List Continue", "more")]  # fmt: skip
    assert [s for s, _ in styles[4:]] == ["List Number"] * 3
    num_ids = [p._p.pPr.numPr.numId.val for p in paragraphs[4:]]
    assert num_ids[0] == num_ids[1] != num_ids[2]
    plan = open_docx(strategy_docx(TITLE, plan_body(), {}))
    assert any(p.style.name == "List Bullet" for p in plan.paragraphs)


def test_an_external_link_becomes_a_hyperlink_relationship() -> None:
    document = open_docx(strategy_docx(TITLE, plan_body() + LINK, {}))
    rels = [rel for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]
    assert [(rel.is_external, rel.target_ref) for rel in rels] == [(True, "https://example.com/guide?a=1&b=2")]
    links = document.element.body.findall(f".//{qn('w:hyperlink')}[@{qn('r:id')}]")
    assert len(links) == 1 and links[0].get(qn("r:id")) == rels[0].rId
    link = links[0]
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "the guide"
    assert document.paragraphs[-1].text == "Read the guide first."


def test_unsafe_and_in_page_links() -> None:
    fragment = (
        '<h2 id="budget">Budget &amp; mix</h2><p><a href="javascript:alert(1)">bad</a> '
        '<a href="#budget">see budget</a> <a href="#budget-mix">by slug</a> <a href="#nowhere">gone</a></p>'
    )
    document = open_docx(strategy_docx(TITLE, fragment, {}))
    links = document.element.body.findall(f".//{qn('w:hyperlink')}")
    mark = document.element.body.find(f".//{qn('w:bookmarkStart')}").get(qn("w:name"))
    assert [link.get(qn("w:anchor")) for link in links] == [mark, mark]
    assert document.paragraphs[1].text == "bad see budget by slug gone"
    assert not [rel for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]


def test_the_plans_contents_and_reference_links_jump_to_bookmarks() -> None:
    body = plan_body() + '<h2 id="extra-part">Extra</h2><p>See <a href="#extra-part">the extra part</a>.</p>'
    document = open_docx(strategy_docx(TITLE, body, {}))
    marks = {mark.get(qn("w:name")) for mark in document.element.body.iter(qn("w:bookmarkStart"))}
    anchors = [link.get(qn("w:anchor")) for link in document.element.body.iter(qn("w:hyperlink"))]
    ids = set(re.findall(r'\sid="([^"]+)"', re.sub(r"<svg.*?</svg>", "", body, flags=re.DOTALL)))
    in_page = [target for target in re.findall(r'<a href="#([^"]+)"', body) if target in ids]
    assert in_page and len(anchors) == len(in_page)
    assert set(anchors) <= marks


def test_chart_placeholders_become_described_pictures_with_captions() -> None:
    body = (
        plan_body() + SVG_CHART + CHART + '<img src="unknown.png" alt="alt-unknown"><img src="broken.png" alt="alt-x">'
    )
    figures = re.findall(r'<figure[^>]*data-chart="([^"]+)"[^>]*>.*?<figcaption>(.*?)</figcaption>', body, re.DOTALL)
    images = {f"{name}.png": png() for name, _ in figures} | {"chart-reach.png": png(), "broken.png": b"\x89PNG no"}
    data = strategy_docx(TITLE, body, images)
    document = open_docx(data)
    described = [plain(caption) for _, caption in figures] + ["Reach by month, organic and paid"]
    assert described[-2] == "Budget mix by channel"
    assert [shape._inline.docPr.get("descr") for shape in document.inline_shapes] == described
    assert all(shape.width == Inches(6) for shape in document.inline_shapes)
    assert [p.text for p in document.paragraphs if p.style.name == "Caption"] == described
    for svg_only in ("SVG-ONLY", "SVG TEXT", "fill:red", "alt-unknown", "alt-x"):
        assert svg_only not in all_xml(data)


def test_without_its_picture_a_chart_keeps_only_its_caption() -> None:
    document = open_docx(strategy_docx(TITLE, plan_body() + SVG_CHART, {}))
    assert len(document.inline_shapes) == 0
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == (plan_body() + SVG_CHART).count("<figcaption>") and captions[-1] == "Budget mix by channel"


def test_without_a_brand_no_agency_and_a_page_number_footer() -> None:
    data = strategy_docx(TITLE, plan_body(), {})
    document = open_docx(data)
    assert AGENCY not in all_xml(data)
    assert len(document.sections) == 1
    footer = document.sections[0].footer
    assert footer.paragraphs[0].text.startswith("Page")
    assert footer._element.find(f".//{qn('w:fldSimple')}").get(qn("w:instr")) == "PAGE"
    props = document.core_properties
    assert (props.title, props.subject, props.author) == (TITLE, "Social media strategy", "Socialplan")


def test_with_a_brand_a_cover_a_logo_and_the_agency_in_the_footer() -> None:
    document = open_docx(strategy_docx(TITLE, plan_body(), {}, brand(), client_name="Fixture Co"))
    assert len(document.sections) == 2
    cover = []
    for paragraph in document.paragraphs:
        cover.append(paragraph.text)
        if paragraph._p.pPr is not None and paragraph._p.pPr.sectPr is not None:
            break
    assert [text for text in cover if text] == [
        AGENCY, TITLE, "Fixture Co", "Prepared for Rosa Martinez", "Prepared by Dana Lee",
        "A plan for the first half of the year.",
    ]  # fmt: skip
    logo = document.inline_shapes[0]
    assert logo._inline.docPr.get("descr") == f"{AGENCY} logo" and logo.width == Inches(2)
    footer = document.sections[-1].footer
    assert footer.paragraphs[0].text.startswith(f"{AGENCY} · Page")
    assert footer._element.find(f".//{qn('w:fldSimple')}").get(qn("w:instr")) == "PAGE"
    assert document.styles["Heading 2"].font.color.rgb == docx.shared.RGBColor.from_string("2A9D8F")
    head = document.tables[0].rows[0].cells[0]
    assert head._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "2A9D8F"
    assert document.core_properties.author == AGENCY


def test_a_brand_without_a_logo_has_no_picture() -> None:
    document = open_docx(strategy_docx(TITLE, "<p>x</p>", {}, brand(logo=False)))
    assert len(document.inline_shapes) == 0 and document.paragraphs[0].text == AGENCY


def test_the_same_input_gives_the_same_bytes() -> None:
    images = {"chart-reach.png": png()}
    first = strategy_docx(TITLE, plan_body() + CHART + LINK, images, brand(), "Fixture Co")
    assert strategy_docx(TITLE, plan_body() + CHART + LINK, images, brand(), "Fixture Co") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert open_docx(first).core_properties.created.year == 1980


def test_hostile_brief_text_survives_as_text() -> None:
    payload = "Evil & Co <script>alert(1)</script>"
    body = plan_body(payload)
    document = open_docx(strategy_docx(TITLE, body, {}))
    assert document.paragraphs[0].text.endswith("Evil & Co <script>alert(1)</script>")
    raw = sanitize_html(f"<p>{html.escape('<b>Tom & Jerry</b>')} \x01\x0b\ud800 ok</p><script>run()</script>")
    data = strategy_docx("A \x00 title", raw, {})
    assert [p.text for p in open_docx(data).paragraphs] == ["<b>Tom & Jerry</b> ok"]
    assert "run()" not in all_xml(data) and open_docx(data).core_properties.title == "A  title"


@pytest.mark.parametrize(
    "fragment",
    [
        "", "plain text only", "<p>unclosed <em>em <strong>both</p></li></table>", "<table></table>",
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
        "<table><tr><td><table><tr><th>in</th></tr></table></td></tr></table>",
        '<ol start="²"><li>x</li></ol><dl><dt>term</dt><dd>def</dd></dl>', "<blockquote>" * 300 + "deep",
        "<pre>a\n  b</pre><br><hr><p><br></p><unknown>kept <b>text</b></unknown><h6>h6</h6>",
        "<svg><svg></svg>hidden</svg>after", '<a href="#">x</a><a>y</a><img><img src="">',
    ],
)  # fmt: skip
def test_odd_html_never_breaks_the_writer(fragment: str) -> None:
    document = open_docx(strategy_docx(TITLE, fragment, {}))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "hidden" not in text
    if "<unknown>" in fragment:
        assert "kept text" in text
    if "deep" in fragment:
        assert text.endswith("deep")


def test_a_marked_rule_is_a_page_break_and_a_plain_one_is_skipped() -> None:
    document = open_docx(strategy_docx(TITLE, '<p>a</p><hr><p>b</p><hr class="page-break"><p>c</p>', {}))
    assert [p.text for p in document.paragraphs] == ["a", "b", "", "c"]
    assert document.paragraphs[2]._p.find(f".//{qn('w:br')}").get(qn("w:type")) == "page"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<ul>",
                "<li>",
                "</ul>",
                "<table>",
                "<tr>",
                "<th>",
                "<td>",
                "</table>",
                "<a href='https://x.example'>",
                "</a>",
                "<h2>",
                "</h2>",
                "<br>",
                "<strong>",
                "</em>",
                "<blockquote>",
                "<img src='c.png'>",
            ]
        )
        | st.text(max_size=12)
    )
)
def test_any_sanitised_html_gives_a_readable_document(pieces: list[str]) -> None:  # fmt: skip
    clean = sanitize_html("".join(pieces))
    open_docx(strategy_docx(TITLE, clean, {"c.png": png(4, 4)}))
