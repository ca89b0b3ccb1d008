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
import datetime as dt
import html
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown

from agent.model.plan import Strategy
from agent.render.templating import TEMPLATES_DIR, platform_name, render, strip_blank_runs

FIRST_WEEKS = 4
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
DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "template", "noscript", "svg", "math"})
SAFE_SCHEMES = ("http", "https", "mailto")
_ALIGN = re.compile(r"^text-align:\s*(left|right|center);?$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_BLANKS = re.compile(r"[\x00-\x20\x7f]+")
MARKDOWN_EXTENSIONS = ("tables", "sane_lists")
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


def document_context(strategy: Strategy) -> dict[str, Any]:
    """What `strategy.md.j2` needs: the strategy as inert data plus a few derived lists."""
    data = inert(strategy.model_dump())
    horizon = strategy.start_date + dt.timedelta(weeks=FIRST_WEEKS)
    first = [i for i, post in enumerate(strategy.calendar) if post.date < horizon]
    noted = [i for i, post in enumerate(strategy.calendar) if post.note]
    order = sorted(range(len(strategy.channels)), key=lambda i: _channel_key(strategy, i))
    return {
        "s": data,
        "text": {section.id: escape_prose(section.text).strip() for section in strategy.sections},
        "zone": escape_text(strategy.brief.audience.timezone),
        "channels": [data["channels"][i] for i in order],
        "paid_lines": [
            line for line in data["budget"]["lines"] if line["kind"] == "paid" and line["forecast"]
        ],
        "first_weeks": [data["calendar"][i] for i in first],
        "heatmaps": [
            {"file": name, "alt": f"Posting heatmap: {platform_name(platform)}"}
            for platform, name in heatmap_files(strategy).items()
        ],
        "notes": list(
            {
                (data["calendar"][i]["date"], data["calendar"][i]["note"]): data["calendar"][i] for i in noted
            }.values()
        ),
    }


def heatmap_files(strategy: Strategy) -> dict[str, str]:
    """platform -> heatmap file name, for each platform of the own-analytics summary with a slot grid."""
    if strategy.analytics is None:
        return {}
    return {p.platform.value: HEATMAP.format(p.platform.value) for p in strategy.analytics.platforms if p.scores}


def _channel_key(strategy: Strategy, index: int) -> tuple[int, float]:
    channel = strategy.channels[index]
    return ROLE_RANK.get(channel.role, 9), -channel.score


def render_markdown(strategy: Strategy) -> str:
    """The strategy document as Markdown."""
    return strip_blank_runs(render("strategy.md.j2", **document_context(strategy)))


def render_html(strategy: Strategy, markdown_text: str, images: Mapping[str, bytes] | None = None) -> str:
    """A standalone, printable HTML page of `markdown_text`, sanitised, with the CSS inlined and the
    version's PNG `images` (by file name) embedded where the Markdown shows them."""
    body = markdown_to_html(markdown_text)
    css = _stylesheet()
    title = f"Social media strategy: {' '.join(strategy.brief.business.name.split())}"
    return render("strategy.html.j2", title=title, css=css, body=sanitize_html(body, images))


def markdown_to_html(text: str) -> str:
    """`markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")`, with the converter
    built once per thread and reset between documents instead of rebuilt for each one."""
    converter: markdown.Markdown | None = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        converter = _CONVERTERS.markdown = markdown.Markdown(
            extensions=list(MARKDOWN_EXTENSIONS), output_format="html"
        )
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
    return "".join(cleaner.out)


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
        """One of the version's own PNGs, embedded; any other image is dropped."""
        found = dict(attrs)
        data = self.images.get(found.get("src") or "")
        if data is None:
            return
        alt = html.escape(found.get("alt") or "", quote=True)
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
    return False
