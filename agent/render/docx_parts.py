"""Under `agent.render.docx_file`: the HTML as a small tree (text decoded, characters XML forbids removed, so
nothing is parsed as XML again; `<svg>`, `<script>`, `<style>`, the page's `<footer>` ... dropped whole), the
document's furniture (styles, cover, footer, properties) and the WordprocessingML python-docx has no API for."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import NamedTuple

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Length, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from agent.model.brand import LoadedBrand

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
SKIP = frozenset({"footer", "head", "math", "noscript", "script", "style", "svg", "template", "title"})
MAX_DEPTH, ZIP_TIME = 64, (1980, 1, 1, 0, 0, 0)
CHAR, PAD = 73152, 182880  # EMU: a character of 9-point table text (0.08 in, wide fonts too), cell margins (0.2 in)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (C0 controls but tab and line ends, lone surrogates, U+FFFE/F)."""
    return _XML_FORBIDDEN.sub("", text)


@dataclass
class Node:
    """One HTML element: tag, attributes and children (Nodes and text strings)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


def parse_html(markup: str) -> Node:
    """`markup` as a tree under a `root` Node; never fails, whatever the markup."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


class _TreeBuilder(HTMLParser):
    """Builds the tree: void tags never open, stray end tags are ignored, nesting stops at MAX_DEPTH."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack, self.skipping, self.overflow = [self.root], 0, 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skipping += 1
        elif not self.skipping:
            node = Node(tag, {name: clean_text(value or "") for name, value in attrs})
            self.stack[-1].children.append(node)
            if tag not in VOID and len(self.stack) < MAX_DEPTH:
                self.stack.append(node)
            elif tag not in VOID:
                self.overflow += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif self.overflow and not self.skipping and tag not in VOID:
            self.overflow -= 1
        elif not self.skipping and tag not in VOID:
            depth = next((d for d in range(len(self.stack) - 1, 0, -1) if self.stack[d].tag == tag), len(self.stack))
            del self.stack[depth:]

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(clean_text(data))


class Segment(NamedTuple):
    """A piece of a paragraph: text with its formats and link, a line break (`br`) or a picture (`img`)."""

    text: str
    fmt: frozenset[str] = frozenset()
    href: str | None = None
    node: Node | None = None


def collapse(segments: list[Segment]) -> list[Segment]:
    """HTML's whitespace rules: blanks collapse to one space, none at the start or end of a line."""
    out: list[Segment] = []
    space = True
    for seg in segments:
        text = _HTML_SPACE.sub(" ", seg.text)
        text = text.lstrip(" ") if space else text
        if text or seg.node is not None:
            out.append(seg._replace(text=text))
            space = text.endswith(" ") or (seg.node is not None and seg.node.tag == "br")
    if out and out[-1].node is None:  # a trailing blank-only piece follows text without one: it drops out here
        out[-1] = out[-1]._replace(text=out[-1].text.rstrip(" "))
    return [seg for seg in out if seg.text or seg.node is not None]


def text_of(node: Node | str) -> str:
    """All the text under `node`, whitespace collapsed."""
    return " ".join((node if isinstance(node, str) else " ".join(map(text_of, node.children))).split())


def descendants(root: Node, tags: frozenset[str] | None = None) -> Iterator[Node]:
    """The elements under `root` (whose tag is in `tags`, if given) in document order."""
    for node in root.children:
        if isinstance(node, Node):
            yield from [node] if tags is None or node.tag in tags else []
            yield from descendants(node, tags)


def table_rows(table: Node) -> list[tuple[list[Node], bool]]:
    """(cells, is header) for each row of `table`: rows of `<thead>`, or a first row of `<th>` only, are headers."""
    rows: list[tuple[list[Node], bool]] = []
    for child in children_named(table, "tr", "thead", "tbody", "tfoot"):
        trs = [child] if child.tag == "tr" else children_named(child, "tr")
        rows += [(children_named(tr, "td", "th"), child.tag == "thead") for tr in trs]
    if rows and not any(head for _, head in rows) and rows[0][0] and all(c.tag == "th" for c in rows[0][0]):
        rows[0] = (rows[0][0], True)
    return rows


def column_widths(rows: list[list[Node]], count: int, total: int) -> list[int]:
    """Widths (EMU) summing to `total`: room for each column's longest word first, the rest by its longest text."""
    least: list[int] = []
    wish: list[int] = []
    for i in range(count):
        texts = [text_of(cells[i]) for cells in rows if i < len(cells)]
        least.append(max([3, *(len(word) for text in texts for word in text.split())]) * CHAR + PAD)
        wish.append(max([least[-1], *(min(len(text), 90) * CHAR // 3 + PAD for text in texts)]) - least[-1])
    spare, weights = total - sum(least), wish if sum(wish) else least
    if spare < 0:
        return [low * total // sum(least) for low in least]
    return [low + spare * weight // sum(weights) for low, weight in zip(least, weights, strict=True)]


def children_named(node: Node, *tags: str) -> list[Node]:
    """The child elements of `node` whose tag is one of `tags`."""
    return [child for child in node.children if isinstance(child, Node) and child.tag in tags]


def readable(data: bytes) -> bool:
    """True when python-docx can read `data` as a picture with a size."""
    try:
        return (image := Image.from_blob(data)).px_width * image.px_height > 0
    except Exception:  # any malformed picture is simply left out
        return False


def place_picture(run: Run, data: bytes, description: str, name: str, width: Length) -> None:
    """The picture `data`, `width` wide, in `run`, described (alt text) by `description`."""
    shape = run.add_picture(io.BytesIO(data), width=width)
    shape._inline.docPr.set("descr", description)
    shape._inline.docPr.set("name", name)


def slugify(text: str) -> str:
    """Python-Markdown's `toc` slug of a heading: ASCII, lower case, words joined by '-'."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", value).strip().lower())


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new WordprocessingML element; attribute names are given without the `w:` prefix."""
    made = OxmlElement(tag)
    for name, value in attrs.items():
        made.set(qn(f"w:{name}"), value)
    return made


def hyperlink(paragraph: Paragraph, target: str, local: bool) -> BaseOxmlElement:
    """An empty `w:hyperlink` at the end of `paragraph`: to the bookmark or (external) the address `target`."""
    link = element("w:hyperlink", history="1")
    key, value = ("w:anchor", target) if local else ("r:id", paragraph.part.relate_to(target, RT.HYPERLINK, True))
    link.set(qn(key), value)
    paragraph._p.append(link)
    return link


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """A bookmark called `name` at the start of `paragraph` (a place in-page links can jump to)."""
    start = element("w:bookmarkStart", id=str(number), name=name)
    paragraph._p.insert(0 if paragraph._p.pPr is None else 1, start)
    paragraph._p.append(element("w:bookmarkEnd", id=str(number)))


def shade(cell: _Cell, fill: str) -> None:
    """Fill `cell` with the colour `fill` (RRGGBB)."""
    cell._tc.get_or_add_tcPr().append(element("w:shd", val="clear", color="auto", fill=fill))


def repeat_as_header(row: _Row) -> None:
    """Mark `row` as a header row, repeated at the top of every page the table spans."""
    row._tr.get_or_add_trPr().append(element("w:tblHeader"))


def restart_numbering(document: Document, style_name: str, start: int) -> int:
    """A new list instance for the numbered style `style_name` (of python-docx's template), counting from `start`."""
    style_num = document.styles[style_name].element.pPr.numPr.numId.val  # type: ignore[union-attr]
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.numId)


def use_numbering(paragraph: Paragraph, num_id: int) -> None:
    """Number `paragraph` in the list instance `num_id` (level 0 of its style's list)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def style_document(document: Document, colour: str | None) -> None:
    """Hyperlink and Table Text (9 pt) styles, indented quotes; titles and headings in a brand `colour` (RRGGBB)."""
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb, link.font.underline = RGBColor(0x05, 0x63, 0xC1), True
    quote = document.styles["Quote"].paragraph_format
    quote.left_indent = quote.right_indent = Inches(0.5)
    cells = document.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style, cells.font.size, cells.paragraph_format.space_after = document.styles["Normal"], Pt(9), Pt(0)
    for name in ("Title", *(f"Heading {level}" for level in range(1, 7))) if colour else ():
        document.styles[name].font.color.rgb = RGBColor.from_string(colour or "")


def add_cover(document: Document, title: str, client: str, brand: LoadedBrand, logo_width: Length) -> None:
    """The cover section (logo, agency, title, client, credit lines, note); the body starts a new page."""
    agency = clean_text(brand.brand.agency)
    if brand.logo_bytes is not None and readable(brand.logo_bytes):
        place_picture(document.add_paragraph().add_run(), brand.logo_bytes, f"{agency} logo", "logo", logo_width)
    name = document.add_paragraph().add_run(agency)
    name.bold, name.font.color.rgb = True, RGBColor.from_string(brand.colour[1:].upper())
    document.add_paragraph(title, style="Title")
    if client:
        document.add_paragraph(client, style="Subtitle")
    for line in (brand.brand.prepared_for, brand.brand.prepared_by, brand.brand.cover_note):
        if line:
            document.add_paragraph(clean_text(line))
    document.add_section(WD_SECTION.NEW_PAGE)


def add_footer(document: Document, agency: str | None) -> None:
    """The body's footer, centred: 'Agency · Page N' with a brand (its cover has no footer), else 'Page N'."""
    footer = document.sections[-1].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{agency} · Page " if agency else "Page ")
    page = element("w:fldSimple", instr="PAGE")
    page.append(paragraph.add_run("1")._r)
    paragraph._p.append(page)


def set_properties(document: Document, title: str, author: str, when: dt.datetime) -> None:
    """Core properties: title, subject, author, fixed dates, nothing left over from the template."""
    props = document.core_properties
    stamp = when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when
    props.title, props.subject, props.author = title[:255], "Social media strategy", author[:255]
    props.last_modified_by, props.comments, props.keywords, props.category = author[:255], "", "", ""
    props.created, props.modified, props.revision = stamp, stamp, 1


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every member dated ZIP_TIME, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type, member.create_system, member.external_attr = zipfile.ZIP_DEFLATED, 0, 0o600 << 16
            target.writestr(member, source.read(info))
    return out.getvalue()
