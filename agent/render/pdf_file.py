"""strategy.pdf: the strategy page printed by WeasyPrint (a maintained HTML-to-PDF library from PyPI).

The page's print CSS sets A4, page numbers and the running footer; no browser is involved and nothing is
fetched: every image in the page is a data: URI or inline SVG, and any other address is refused. The
PDF's metadata carries no creation time, so the same page gives the same bytes.
"""

from __future__ import annotations


class PdfError(RuntimeError):
    """The PDF could not be made (WeasyPrint or its system libraries are missing)."""


def strategy_pdf(page_html: str) -> bytes:
    """The PDF of the standalone strategy page (`render_html`'s output)."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts are not installed
        raise PdfError(f"cannot make strategy.pdf: WeasyPrint is not usable here ({exc})") from None
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=page_html, url_fetcher=fetcher, media_type="print").render()
    data: bytes = document.write_pdf(uncompressed_pdf=False)
    return data
