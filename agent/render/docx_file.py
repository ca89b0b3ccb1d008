"""strategy.docx: the sanitised HTML body of the strategy document as a Word document (python-docx).

Headings become Heading 1-6 paragraphs, ids bookmarks, lists List Bullet/Number paragraphs, tables 'Table Grid'
tables with a shaded, repeated header row, links hyperlinks. A chart (`<img src="NAME">` or `data-chart="NAME"`)
whose picture is in `images` becomes a 6-inch picture described by its alt text, with a caption; inline SVG is
ignored. A brand adds a cover and the agency in the footer. Equal input gives equal bytes (fixed dates)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import groupby
from typing import NamedTuple

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Emu, Inches, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from agent.model.brand import LoadedBrand
from agent.render import docx_parts as parts
from agent.render.docx_parts import Node, Segment, clean_text

PNG_URI = "data:image/png;base64,"

EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
"""The created/modified date when the caller gives none: nothing variable goes into the file."""
TEXT_WIDTH, LOGO_WIDTH = Inches(6), Inches(2)  # the template's text width: pictures and tables span it
NEUTRAL_HEAD, CODE_FONT = "D9D9D9", "Consolas"
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCKS = HEADINGS | frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html", "img", "li", "main", "nav", "ol",
     "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)  # fmt: skip
FORMATS = {"b": "bold", "strong": "bold", "em": "italic", "i": "italic", "cite": "italic", "dfn": "italic",
           "var": "italic", "code": "code", "kbd": "code", "samp": "code", "tt": "code", "s": "strike",
           "del": "strike", "strike": "strike", "u": "underline", "ins": "underline", "sub": "subscript",
           "sup": "superscript", "_head": "head"}  # fmt: skip
_EXTERNAL = re.compile(r"^(https?://|mailto:)\S", re.IGNORECASE)
_PAGE_BREAK = re.compile(r"page-?break|break-(before|after):\s*page", re.IGNORECASE)
_ALIGN = re.compile(r"text-align:\s*(left|right|center)", re.IGNORECASE)
Box = Document | _Cell  # where blocks go: the document body or a table cell


def strategy_docx(
    title: str, body_html: str, images: Mapping[str, bytes], brand: LoadedBrand | None = None, client_name: str = "",
    *, created: dt.datetime | None = None,
) -> bytes:  # fmt: skip
    """The Word document of `body_html` (sanitised HTML) with `images` (file name -> PNG) for its charts. `title`
    names it; `client_name` and the brand's lines go on the cover (branded only); `created` (default EPOCH) dates it."""
    document = docx.Document()
    author = clean_text(brand.brand.agency) if brand is not None else "Socialplan"
    parts.set_properties(document, clean_text(title), author, created or EPOCH)
    fill = brand.colour[1:].upper() if brand is not None else NEUTRAL_HEAD
    parts.style_document(document, fill if brand is not None else None)
    if brand is not None:
        parts.add_cover(document, clean_text(title), clean_text(client_name), brand, LOGO_WIDTH)
    parts.add_footer(document, clean_text(brand.brand.agency) if brand is not None else None)
    _Writer(document, images, fill).write(parts.parse_html(body_html))
    buffer = io.BytesIO()
    document.save(buffer)
    return parts.fixed_zip(buffer.getvalue())


class Para(NamedTuple):
    """The style of the next paragraph of a flow, its list, and the style of the ones after it."""

    style: str | None
    num_id: int | None = None
    rest: str | None = None

    def after(self) -> Para:
        return self if self.rest is None else Para(self.rest, None, self.rest)


class _Writer:
    """Walks the HTML tree, adding paragraphs, lists, tables and pictures to the document."""

    def __init__(self, document: Document, images: Mapping[str, bytes], fill: str) -> None:
        self.doc, self.images, self.fill = document, images, fill
        dark = 0.299 * int(fill[:2], 16) + 0.587 * int(fill[2:4], 16) + 0.114 * int(fill[4:], 16) < 150
        self.head_text = RGBColor(0xFF, 0xFF, 0xFF) if dark else None
        self.anchors: dict[str, str] = {}
        self.marks: dict[int, tuple[str, int]] = {}  # bookmark (name, number) by id() of its element
        self.waiting: list[tuple[str, int]] = []
        self.style_id = cache(lambda name: document.styles[name].style_id)  # python-docx finds names slowly
        self.pictures: dict[str, bytes | None] = {}
        self.fresh: tuple[_Cell, Paragraph] | None = None
        self.level, self.captioned = 0, False
        self.handlers = {"ul": self.listing, "ol": self.listing, "table": self.table, "img": self.picture,
                         "figure": self.figure}  # fmt: skip

    def write(self, root: Node) -> None:
        """Bookmark every heading and element with an `id` (links reach them by id or, for headings, toc slug)."""
        for number, node in enumerate(n for n in parts.descendants(root) if n.tag in HEADINGS or "id" in n.attrs):
            keys = [node.attrs.get("id", ""), parts.slugify(parts.text_of(node)) if node.tag in HEADINGS else ""]
            self.marks[id(node)] = (f"h{number}_{parts.slugify(keys[0] or keys[1]).replace('-', '_')}"[:40], number)
            for key in filter(None, keys):
                self.anchors.setdefault(key, self.marks[id(node)][0])
        self.flow(self.doc, root.children, Para(None))

    def flow(self, box: Box, children: Sequence[Node | str], para: Para) -> Para:
        """Inline content gathers into paragraphs styled by `para`; block elements go in between."""
        pending: list[Node | str] = []
        for child in [*children, Node("_end")]:
            if isinstance(child, Node) and (child.tag in BLOCKS or child.tag == "_end" or "data-chart" in child.attrs):
                para = para.after() if self.emit(box, pending, para) is not None else para
                pending = []
                para = self.block(box, child, para)
            else:
                pending.append(child)
        return para

    def block(self, box: Box, node: Node, para: Para) -> Para:
        tag = self.mark(node)
        if "data-chart" in node.attrs:
            self.chart(box, node)
        elif tag in HEADINGS:
            self.emit(box, node.children, Para(f"Heading {tag[1]}"))
        elif tag in self.handlers:
            self.handlers[tag](box, node)
        elif tag == "hr" and box is self.doc and _PAGE_BREAK.search(" ".join([*node.attrs, *node.attrs.values()])):
            self.paragraph(box, None).add_run().add_break(WD_BREAK.PAGE)  # only a rule marked as a page break
        elif tag in ("blockquote", "dd"):
            self.flow(box, node.children, Para("Quote" if tag == "blockquote" else "List Continue"))
        elif tag != "_end":
            return self.flow(box, [Node("strong", {}, node.children)] if tag == "dt" else node.children, para)
        return para

    def mark(self, node: Node) -> str:
        """Queue `node`'s bookmark (if any) for the next paragraph; returns its tag."""
        self.waiting += [self.marks[id(node)]] if id(node) in self.marks else []
        return node.tag

    def paragraph(self, box: Box, style: str | None) -> Paragraph:
        """A new paragraph in `box` (a table cell's own empty first paragraph first) in the named style."""
        if self.fresh is not None and self.fresh[0] is box:
            paragraph, self.fresh = self.fresh[1], None
        else:
            paragraph = box.add_paragraph()
        if style is not None:
            paragraph._p.style = self.style_id(style)
        for name, number in self.waiting:
            parts.bookmark(paragraph, name, number)
        self.waiting = []
        return paragraph

    def emit(self, box: Box, nodes: Sequence[Node | str], para: Para) -> Paragraph | None:
        """One paragraph of the inline `nodes`; None (and nothing added) when they hold no content."""
        segments = parts.collapse(self.segments(nodes, frozenset(), None, []))
        if not segments:
            return None
        paragraph = self.paragraph(box, para.style)
        if para.num_id is not None:
            parts.use_numbering(paragraph, para.num_id)
        for href, group in groupby(segments, key=lambda seg: seg.href):
            local = href is not None and href.startswith("#")
            target = self.anchors[href[1:]] if local and href else href
            link = None if target is None else parts.hyperlink(paragraph, target, local)
            for seg in group:
                run = self.run(paragraph, seg)
                if link is not None:
                    run._r.style = self.style_id("Hyperlink")
                    link.append(run._r)
        return paragraph

    def segments(
        self, nodes: Sequence[Node | str], fmt: frozenset[str], href: str | None, out: list[Segment]
    ) -> list[Segment]:
        """`nodes` as inline segments (appended to `out`); block elements inside are set off by spaces."""
        for node in nodes:
            if isinstance(node, str):
                out.append(Segment(node, fmt, href))
            elif node.tag == "br" or (node.tag == "img" and self.image(node.attrs.get("src", "")) is not None):
                out.append(Segment("", fmt, href, node))
            elif self.mark(node) != "img":
                space = [Segment(" ", fmt, href)] if node.tag in BLOCKS else []
                inner = fmt | {FORMATS[node.tag]} if node.tag in FORMATS else fmt
                out += space
                self.segments(node.children, inner, self.target(node) if node.tag == "a" else href, out)
                out += space
        return out

    def target(self, link: Node) -> str | None:
        """A link's address when Word can follow it: http(s), mailto, or `#` and an id or heading of this document."""
        href = link.attrs.get("href", "").strip()
        return href if (href[1:] in self.anchors if href.startswith("#") else _EXTERNAL.match(href)) else None

    def run(self, paragraph: Paragraph, seg: Segment) -> Run:
        run = paragraph.add_run(seg.text or None)
        if seg.node is not None and seg.node.tag == "br":
            run.add_break()
        elif seg.node is not None:
            self.place(run, seg.node)
        for flag in seg.fmt:
            if flag == "code":
                run.font.name = CODE_FONT
            elif flag == "head" and self.head_text is not None:
                run.font.bold, run.font.color.rgb = True, self.head_text
            else:
                setattr(run.font, "bold" if flag == "head" else flag, True)
        return run

    def image(self, src: str) -> bytes | None:
        """The picture an `<img src>` names (a key of `images`), if python-docx can read it."""
        if src not in self.pictures:
            data = self.images.get(src)
            if data is None and src.startswith(PNG_URI):  # a version image the sanitiser inlined (a heatmap)
                try:
                    data = base64.b64decode(src.removeprefix(PNG_URI), validate=True)
                except binascii.Error:
                    data = None
            self.pictures[src] = data if data is not None and parts.readable(data) else None
        return self.pictures[src]

    def place(self, run: Run, img: Node) -> None:
        src = img.attrs.get("src", "")
        data = self.image(src)
        if data is not None:  # an inlined image is named for what it is, not by its whole data: URI
            name = "image.png" if src.startswith(PNG_URI) else src
            parts.place_picture(run, data, img.attrs.get("alt", ""), name, TEXT_WIDTH)

    def picture(self, box: Box, img: Node) -> None:
        """A chart placeholder: the picture, then its alt text as a caption (unless its figure has one)."""
        if self.image(img.attrs.get("src", "")) is None:
            return
        paragraph = self.paragraph(box, None)
        spacing = paragraph.paragraph_format  # kept with its caption, clear of a table just above
        spacing.keep_with_next, spacing.space_before = True, Pt(6)
        self.place(paragraph.add_run(), img)
        alt = img.attrs.get("alt", "").strip()
        if alt and not self.captioned:
            self.paragraph(box, "Caption").add_run(alt)

    def chart(self, box: Box, node: Node) -> None:
        """`data-chart="NAME"`: the picture NAME.png for its content (an inline SVG, say), or else the content."""
        chart = node.attrs["data-chart"]
        name = next((n for n in (chart + ".png", chart) if self.image(n) is not None), None)
        if name is None:
            return self.figure(box, node)
        alt = node.attrs.get("aria-label") or parts.text_of(node) or name
        captions = parts.children_named(node, "figcaption")
        return self.figure(box, Node("figure", {}, [Node("img", {"src": name, "alt": alt}), *captions]))

    def figure(self, box: Box, node: Node) -> None:
        """A figure's content, then its figcaption as the caption of the picture in it."""
        captions = parts.children_named(node, "figcaption")
        before, self.captioned = self.captioned, bool(captions)
        self.flow(box, [c for c in node.children if all(c is not caption for caption in captions)], Para(None))
        self.captioned = before
        for caption in captions:
            self.flow(box, caption.children, Para("Caption"))

    def listing(self, box: Box, node: Node) -> None:
        """List Bullet/Number paragraphs (2 and 3 when nested), then List Continue; each `<ol>` counts anew."""
        self.level += 1
        suffix = "" if self.level == 1 else f" {min(self.level, 3)}"
        style = ("List Number" if node.tag == "ol" else "List Bullet") + suffix
        start = node.attrs.get("start", "1")
        number = min(int(start), 32767) if start.isascii() and start.isdigit() else 1
        num_id = parts.restart_numbering(self.doc, style, number) if node.tag == "ol" else None
        for item in node.children:
            children = item.children if isinstance(item, Node) and self.mark(item) == "li" else [item]
            self.flow(box, children, Para(style, num_id, "List Continue" + suffix))
        self.level -= 1

    def table(self, box: Box, node: Node) -> None:
        """A 'Table Grid' table; header rows bold, shaded and repeated on each page."""
        rows = parts.table_rows(node)
        width = min(max((len(cells) for cells, _ in rows), default=0), 63)
        if not width:
            return
        table = box.add_table(rows=len(rows), cols=width)
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        total = box.width if isinstance(box, _Cell) and box.width else TEXT_WIDTH
        sizes = parts.column_widths([cells for cells, _ in rows], width, total)
        for column, size in zip(table.columns, sizes, strict=True):
            column.width = Emu(size)
        for row, (cells, head) in zip(table.rows, rows, strict=True):
            if head:
                parts.repeat_as_header(row)
            for cell, size, source in zip(row.cells, sizes, cells[:width] + [Node("td")] * width, strict=False):
                cell.width = Emu(size)
                self.cell(cell, source, head)

    def cell(self, cell: _Cell, source: Node, head: bool) -> None:
        self.mark(source)
        before, self.fresh = self.fresh, (cell, cell.paragraphs[0])
        self.flow(cell, [Node("_head", {}, source.children)] if head else source.children, Para("Table Text"))
        self.fresh = before
        found = _ALIGN.search(f"{source.attrs.get('style', '')};text-align:{source.attrs.get('align', '')}")
        alignment = getattr(WD_ALIGN_PARAGRAPH, found.group(1).upper()) if found else None
        for paragraph in cell.paragraphs if alignment is not None else []:
            paragraph.alignment = alignment
        if head:
            parts.shade(cell, self.fill)
