"""The HTML path: trafilatura's main-text extraction, with our text-dump cleaner on the page's
visible text as the fallback for a missing body, title or date."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from armswatch.clean.decode import decode
from armswatch.clean.header import norm_title
from armswatch.clean.patterns import wordset
from armswatch.clean.text import clean_text_dump
from armswatch.model import Page

_BLOCK_TAGS = wordset(
    """address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4
    h5 h6 header hr li main nav ol p pre section table td th tr ul"""
)
_SKIP_TAGS = wordset("script style noscript head template svg iframe")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def visible_text(html: bytes | str) -> str:
    """Return the visible text of an HTML page as a text dump: one line per block element."""
    reader = _VisibleText()
    reader.feed(decode(html, html=True) if isinstance(html, bytes) else html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _VisibleText(HTMLParser):
    """Collects the text outside skipped elements, a line break at each block element's edges.

    A tokenizer, not a tree: pages nested thousands deep, which tree builders give up on, read
    as well as flat ones.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0  # how many skipped elements (script, style, head...) we are inside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping = 0  # a <head> left open ends where the body begins
        if tag in _SKIP_TAGS:
            self.skipping += 1
        else:
            self.handle_startendtag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def clean_html(page: Page) -> tuple[str | None, str | None, str | None, str]:
    """Return ``(title, published, site, body)`` of an HTML page.

    The bytes are decoded first (:func:`armswatch.clean.decode.decode`). trafilatura gives the
    fields; when it finds no body, title or date, the text-dump cleaner run on the page's
    visible text fills in what is missing.
    """
    import trafilatura

    html = decode(page.content, declared=page.meta.get("charset"), html=True)
    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html, url=page.url, favor_precision=True, include_comments=False,
            with_metadata=True,
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    title = getattr(doc, "title", None) or None
    date = getattr(doc, "date", None) or None
    site = getattr(doc, "sitename", None) or None
    body_raw = getattr(doc, "text", None) or ""
    published = date[:10] if isinstance(date, str) and _ISO.match(date[:10]) else None
    title_key = norm_title(title) if title else None
    body = "\n\n".join(
        p for p in body_raw.splitlines() if p.strip() and norm_title(p) != title_key
    )
    if not body or published is None or title is None:
        dump = clean_text_dump(visible_text(html))
        if not body:
            body = dump.text
        title = title or dump.title
        published = published or dump.published
    return title, published, site, body
