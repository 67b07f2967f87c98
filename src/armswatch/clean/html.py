"""The HTML path: trafilatura's main-text extraction, with our text-dump cleaner on the page's
visible text as the fallback for a missing body, title or date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

from armswatch.clean.decode import decode
from armswatch.clean.header import norm_title
from armswatch.clean.patterns import wordset
from armswatch.clean.text import clean_text_dump
from armswatch.model import Page

_BLOCK_TAGS = wordset(
    """address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4
    h5 h6 header hr li main nav ol p pre section table td th tr ul"""
)
# skipped with what they hold; a head is not skipped as a whole (a script in it may hold
# "<body"), only what it holds that shows as text: its title
_SKIP_TAGS = wordset("script style noscript title template svg iframe")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TAG_NAME = re.compile(r"<(/?)([a-z][a-z0-9:-]{0,40})")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def visible_text(html: bytes | str) -> str:
    """Return the visible text of an HTML page as a text dump: one line per block element.

    It reads tags in one pass, in time linear in the page's length whatever its markup: pages
    nested thousands deep, which tree builders give up on, read as well as flat ones, and
    malformed markup (thousands of ``<!--`` or ``</`` with nothing after) costs no more than
    text. The standard library's HTMLParser takes quadratic time on such markup.
    """
    text = decode(html, html=True) if isinstance(html, bytes) else html
    joined = unescape("".join(_visible_parts(text)))
    lines = (" ".join(line.split()) for line in joined.split("\n"))
    return "\n".join(line for line in lines if line)


def _visible_parts(text: str) -> Iterator[str]:
    """The text outside tags and skipped elements, with a line break for each block tag."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter such as "İ" lowercases to two: keep offsets aligned
        lower = text.translate(_ASCII_LOWER)
    find = _Finder(lower)
    pos = 0
    while pos < len(text):
        start = text.find("<", pos)
        if start < 0:
            yield text[pos:]
            return
        yield text[pos:start]
        if lower.startswith("<!--", start):
            close = find("-->", start + 4)
            pos = start + 4 if close < 0 else close + 3  # an unclosed comment hides nothing
            continue
        end = find(">", start + 1)
        if end < 0:  # no tag closes from here on: the rest is text
            yield text[start:]
            return
        tag = _TAG_NAME.match(lower, start)
        if tag is None:  # a doctype, CDATA or processing instruction; else a literal "<"
            skipped = lower.startswith(("<!", "<?"), start)
            if not skipped:
                yield "<"
            pos = end + 1 if skipped else start + 1
            continue
        name, pos = tag.group(2), end + 1
        if name in _SKIP_TAGS and not tag.group(1):
            close = find(f"</{name}", pos)
            pos = pos if close < 0 else close  # an element left open hides nothing
        elif name in _BLOCK_TAGS:
            yield "\n"


class _Finder:
    """``str.find`` over one text that remembers each needle's last answer. Searches go
    forward, so each needle scans the text at most once in all."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.answers: dict[str, tuple[int, int]] = {}  # needle -> (searched from, found at)

    def __call__(self, needle: str, start: int) -> int:
        searched_from, found = self.answers.get(needle, (len(self.text) + 1, -1))
        if searched_from <= start and (found < 0 or found >= start):
            return found
        found = self.text.find(needle, start)
        self.answers[needle] = (start, found)
        return found


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
