"""The HTML path: trafilatura's main-text extraction, with our text-dump cleaner on the page's
visible text as the fallback for a missing body, title or date."""

from __future__ import annotations

import re

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
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return ""
    parts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP_TAGS:
            if element.tail:
                parts.append(element.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def clean_html(page: Page) -> tuple[str | None, str | None, str | None, str]:
    """Return ``(title, published, site, body)`` of an HTML page.

    trafilatura gives them first; when it finds no body, title or date, the text-dump cleaner
    run on the page's visible text fills in what is missing.
    """
    import trafilatura

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            page.content, url=page.url, favor_precision=True, include_comments=False,
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
        dump = clean_text_dump(visible_text(page.content))
        if not body:
            body = dump.text
        title = title or dump.title
        published = published or dump.published
    return title, published, site, body
