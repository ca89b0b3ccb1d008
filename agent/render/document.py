"""The strategy document: Markdown from `strategy.md.j2`, then HTML through `markdown` and a sanitiser.

Every string that reaches the Markdown is made inert first (`<` and `>` become entities, and so does
an `&` that would start one), so a brief cannot smuggle markup into the document. Markdown still
passes raw HTML through and builds links from `[text](url)`, so the HTML is also sanitised: only the
tags Markdown produces survive, without event-handler attributes, and links keep only http(s),
mailto and in-page addresses. The page itself forbids scripts with a Content-Security-Policy.
The one image kind allowed is the plan's own heatmaps: an `<img>` whose `src` names a heatmap file
of this version is embedded as a `data:` URI (the page's policy allows only those); every other
`<img>` is dropped.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown
from pydantic import BaseModel

from agent.model.brand import LoadedBrand
from agent.model.plan import Strategy
from agent.render.onepage import build_page
from agent.render.references import Reference, contents, number_citations
from agent.render.scheduler import sprout_date_format
from agent.render.templating import TEMPLATES_DIR, platform_name, render, strip_blank_runs

HEATMAP = "heatmap-{}.png"
ROLE_RANK = {"primary": 0, "secondary": 1, "experimental": 2, "not_recommended": 3}
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
"""What Python-Markdown (with the tables extension) produces; anything else is dropped."""
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "template", "noscript", "svg", "math"})
SAFE_SCHEMES = ("http", "https", "mailto")
_ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_BLANKS = re.compile(r"[\x00-\x20\x7f]+")
MARKDOWN_EXTENSIONS = ("tables", "sane_lists", "toc")
MARKDOWN_CONFIG = {"toc": {"marker": ""}}
"""No `[TOC]` marker: the documents write their own contents, and a client's text saying [TOC] stays text (the
search for it through every element was a quarter of the conversion time)."""
UNUSED_INLINE = ("reference", "image_reference", "short_reference", "short_image_ref", "backtick", "automail",
                 "linebreak")
"""Inline patterns the documents never write, each tried on every span of text: reference-style links
(`[text][id]` with an `[id]: url` line; a third of the conversion time), code spans, `<name@host>` mail links and
hard line breaks (two trailing spaces; a sixth more). Inline links, images, `<https://...>` links, emphasis and
entities still work; a backtick in a writer's prose stays a backtick."""
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9_-]{0,120}$")
_CONVERTERS = threading.local()


def escape_text(text: str) -> str:
    """User or engine text made inert in Markdown: no tags, no entities, no inline links or images."""
    inert_text = _ENTITY_START.sub("&amp;", str(text)).replace("<", "&lt;").replace(">", "&gt;")
    return inert_text.replace("](", "]\\(")


def escape_prose(text: str) -> str:
    """Section prose made inert: no tags or entities, but `>` stays for Markdown quotes."""
    return _ENTITY_START.sub("&amp;", str(text)).replace("<", "&lt;")


def inert(value: Any) -> Any:
    """A copy of dumped model data with every string passed through `escape_text`."""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, dict):
        return {key: inert(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [inert(item) for item in value]
    return value


def document_context(
    strategy: Strategy, charts: Mapping[str, str] | None = None, brand: LoadedBrand | None = None
) -> dict[str, Any]:
    """What `strategy.md.j2` needs: the strategy as inert data plus a few derived lists. `charts` maps
    the names of the charts drawn for this version to their titles."""
    data = inert(strategy.model_dump())
    text = {section.id: _demoted(escape_prose(section.text).strip()) for section in strategy.sections}
    order = sorted(range(len(strategy.channels)), key=lambda i: _channel_key(strategy, i))
    return {
        "s": data,
        "text": text,
        "recommendation": " ".join(text.get("summary", "").split()),
        "page": inert(_plain_data(build_page(strategy))),
        "charts": {name: escape_text(title) for name, title in (charts or {}).items()},
        "brand": inert(brand.brand.model_dump()) if brand else None,
        "sprout_dates": sprout_date_format(strategy),
        "sprout_names": [f"sprout-{p}.csv" for p in dict.fromkeys(post.platform.value for post in strategy.calendar)],
        "zone": escape_text(strategy.brief.audience.timezone),
        "channels": [data["channels"][i] for i in order],
        "paid_lines": [
            line for line in data["budget"]["lines"] if line["kind"] == "paid" and line["forecast"]
        ],
        "heatmaps": [
            {"file": name, "alt": f"Posting heatmap: {platform_name(platform)}"}
            for platform, name in heatmap_files(strategy).items()
        ],
    }


def heatmap_files(strategy: Strategy) -> dict[str, str]:
    """platform -> heatmap file name, for each platform of the own-analytics summary with a slot grid."""
    if strategy.analytics is None:
        return {}
    return {p.platform.value: HEATMAP.format(p.platform.value) for p in strategy.analytics.platforms if p.scores}


def _channel_key(strategy: Strategy, index: int) -> tuple[int, float]:
    channel = strategy.channels[index]
    return ROLE_RANK.get(channel.role, 9), -channel.score


def render_markdown(
    strategy: Strategy, charts: Mapping[str, str] | None = None, brand: LoadedBrand | None = None
) -> str:
    """The strategy document as Markdown: the plan on a page, the appendix, numbered references."""
    body = render("strategy.md.j2", **document_context(strategy, charts, brand))
    body, refs = number_citations(body, strategy.practices)
    body += "\n" + render("references.md.j2", refs=[_reference(r) for r in refs])
    return strip_blank_runs(body.replace(CONTENTS, table_of_contents(body), 1))


CONTENTS = "<contents/>"
"""Where the table of contents goes (user text cannot hold a raw `<`: it is escaped)."""


def table_of_contents(markdown_text: str) -> str:
    """A `## Contents` list of the document's sections and appendix parts, linked to their anchors."""
    lines = ["## Contents", ""]
    for level, title, anchor in contents(markdown_text):
        indent = "    " if level == 3 else ""
        lines.append(f"{indent}- [{title}](#{anchor})")
    return "\n".join(lines)


def _reference(ref: Reference) -> dict[str, Any]:
    practice = ref.practice
    return inert({
        "number": ref.number, "title": practice.title, "publisher": practice.publisher or practice.source[:80],
        "year": practice.year, "url": practice.url, "uncertain": practice.uncertain,
    })


def _demoted(text: str) -> str:
    """Section prose with its headings one level down (its sections sit under an appendix heading)."""
    return re.sub(r"^(#{1,5}) ", r"#\1 ", text, flags=re.MULTILINE)


def _plain_data(value: Any) -> Any:
    """Dataclasses and models as plain dicts and lists, recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list | tuple):
        return [_plain_data(item) for item in value]
    return value


def render_html(
    strategy: Strategy, markdown_text: str, images: Mapping[str, bytes] | None = None,
    brand: LoadedBrand | None = None,
) -> str:
    """A standalone, printable HTML page of `markdown_text`, sanitised, with the CSS inlined and the
    version's images (by file name: chart SVGs inline, PNGs as data: URIs) where the Markdown shows them.
    A brand adds the agency's name and logo and sets the accent colour; without one there is none."""
    client = " ".join(strategy.brief.business.name.split())
    return render(
        "strategy.html.j2", title=f"Social media strategy: {client}", css=_stylesheet(),
        body=html_body(markdown_text, images), client=client, brand=brand.brand if brand else None,
        logo=brand.logo_data_uri() if brand else None, colour=brand.colour if brand else None,
    )


def html_body(markdown_text: str, images: Mapping[str, bytes] | None = None) -> str:
    """The sanitised HTML of the document's Markdown, with the version's images in place."""
    return sanitize_html(markdown_to_html(markdown_text), images)


def markdown_to_html(text: str) -> str:
    """`markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")`, with the converter
    built once per thread and reset between documents instead of rebuilt for each one."""
    converter: markdown.Markdown | None = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        converter = _CONVERTERS.markdown = markdown.Markdown(
            extensions=list(MARKDOWN_EXTENSIONS), extension_configs=MARKDOWN_CONFIG, output_format="html"
        )
        for name in UNUSED_INLINE:
            converter.inlinePatterns.deregister(name)
    return converter.reset().convert(text)


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (TEMPLATES_DIR / "strategy.css").read_text(encoding="utf-8")


def sanitize_html(fragment: str, images: Mapping[str, bytes] | None = None) -> str:
    """Keep only Markdown's safe tags and attributes; escape everything else as text. An `<img>` is kept
    only when its `src` is a key of `images`, and then points at that PNG as a data: URI."""
    cleaner = _Sanitiser(images or {})
    cleaner.feed(fragment)
    cleaner.close()
    return _FIGURE_IN_P.sub(r"\1", "".join(cleaner.out))


_FIGURE_IN_P = re.compile(r"<p>(<figure [^>]*>.*?</figure>)</p>", re.DOTALL)


def safe_url(value: str) -> bool:
    """True for http(s), mailto, in-page and relative addresses; False for javascript:, data: etc."""
    compact = _URL_BLANKS.sub("", html.unescape(value)).lower()
    match = _SCHEME.match(compact)
    return match is None or match.group(1) in SAFE_SCHEMES


class _Sanitiser(HTMLParser):
    """Re-emits allowed tags with allowed attributes; text is always re-escaped."""

    def __init__(self, images: Mapping[str, bytes]) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping = 0
        self.images = images

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT:
            self.dropping += 1
        elif not self.dropping and tag == "img":
            self._image(attrs)
        elif not self.dropping and tag in ALLOWED_TAGS:
            self.out.append(f"<{tag}{_attributes(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.dropping and tag == "img":
            self._image(attrs)
        elif not self.dropping and tag in ALLOWED_TAGS:
            self.out.append(f"<{tag}{_attributes(tag, attrs)} />")

    def _image(self, attrs: list[tuple[str, str | None]]) -> None:
        """One of the version's own images: a chart's SVG inline in a figure, a PNG as a data: URI; any
        other image is dropped."""
        found = dict(attrs)
        name = found.get("src") or ""
        data = self.images.get(name)
        if data is None:
            return
        alt = html.escape(found.get("alt") or "", quote=True)
        if name.endswith(".svg"):
            chart = html.escape(name.removesuffix(".svg"), quote=True)
            svg = data.decode("utf-8")
            self.out.append(f'<figure class="chart" data-chart="{chart}">{svg}<figcaption>{alt}</figcaption></figure>')
            return
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        self.out.append(f'<img class="figure" src="{uri}" alt="{alt}" />')

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
        elif not self.dropping and tag in ALLOWED_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))


def _attributes(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    kept = []
    for name, value in attrs:
        if value is None or not _allowed(tag, name, value):
            continue
        kept.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(kept)


def _allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a" and name == "href":
        return safe_url(value)
    if tag == "a" and name == "title":
        return True
    if tag in ("td", "th") and name == "style":
        return bool(_ALIGN.match(value.strip()))
    if tag in ("td", "th") and name == "align":
        return value in ("left", "right", "center")
    if tag == "ol" and name == "start":
        return value.isdigit()
    if name == "id" and (tag == "a" or tag in HEADINGS):
        return bool(_ANCHOR.match(value))
    return False
