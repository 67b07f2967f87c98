"""Turn a Page into an Article: the main text of the page, its title, date, site and language.

HTML goes through trafilatura (:mod:`armswatch.clean.html`). Plain-text page dumps (and JSONL
record texts, which are often dumps too) go through our own furniture remover,
:func:`clean_text_dump` (:mod:`armswatch.clean.text`): it keeps the article's paragraphs
verbatim (one input line is one paragraph, joined with a blank line) and drops page furniture
such as menus, bylines, captions, counters, "Also Read" lists, teaser lists, comment threads,
tag clouds and footers.

The modules, in the order they build on each other: ``patterns`` (word lists and furniture
regexes), ``dates`` (calendar dates in a line), ``lines`` (paragraph splitting and
classification), ``segment`` (where the article runs), ``header`` (headline and publication
date), ``credit`` (a byline or source credit glued to the first paragraph), ``text`` (the
text-dump cleaner), ``decode`` (bytes to text), ``html`` (the HTML path), ``language``.

Everything here is pure Python and regular expressions, so it is deterministic and fast.
"""

from __future__ import annotations

from armswatch.clean.decode import decode
from armswatch.clean.html import clean_html, visible_text
from armswatch.clean.language import detect_language
from armswatch.clean.text import CleanText, clean_text_dump, find_published, find_title
from armswatch.model import Article, Page

__all__ = [
    "CleanText",
    "clean",
    "clean_text_dump",
    "decode",
    "detect_language",
    "find_published",
    "find_title",
    "visible_text",
]


def clean(page: Page) -> Article:
    """Turn one Page into an Article (html via trafilatura; text dumps and records via ours)."""
    title: str | None
    published: str | None
    site: str | None = None
    if page.content_type == "html":
        title, published, site, body = clean_html(page)
    else:
        raw = decode(page.content, declared=page.meta.get("charset"))
        cleaned = clean_text_dump(raw)
        title, published, body = cleaned.title, cleaned.published, cleaned.text
        if page.content_type == "record":
            meta = page.meta or {}
            if meta.get("title"):
                title = meta["title"]
            if meta.get("published"):
                published = meta["published"]
    return Article(
        id=page.id,
        page_id=page.id,
        name=page.name,
        url=page.url,
        title=title,
        published=published,
        site=site,
        language=detect_language(body) if body else None,
        text=body,
    )
