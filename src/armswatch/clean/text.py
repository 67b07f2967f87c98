"""The furniture remover for plain-text page dumps (and JSONL record texts, which are often
dumps too): it keeps the article's paragraphs verbatim and finds the headline and date."""

from __future__ import annotations

from dataclasses import dataclass

from armswatch.clean.credit import strip_credit
from armswatch.clean.dates import dates_in
from armswatch.clean.header import norm_title, published_from, title_from
from armswatch.clean.lines import Line, is_prose, list_intro, list_item, split_lines
from armswatch.clean.segment import inline_boxes, segment


@dataclass(frozen=True)
class CleanText:
    """What the text-dump cleaner finds: the headline, the publication date and the body."""

    title: str | None
    published: str | None
    text: str


def find_title(text: str) -> str | None:
    """Return the page's headline from a plain-text dump, or None.

    A headline is a short line near the top (or just before the article body) that is not a
    date, byline, counter or menu line; a line printed twice in the header wins.
    """
    lines, start, _ = segment(split_lines(text))
    return title_from(lines, start)


def find_published(text: str) -> str | None:
    """Return the page's own publication date (ISO ``YYYY-MM-DD``) from a text dump, or None.

    Looks in the header and byline area (the first lines and the lines before the article body),
    then at a dateline opening the first paragraphs; never in "Also Read" lists or after the body.
    """
    lines, start, end = segment(split_lines(text))
    return published_from(lines, start, end)


def clean_text_dump(text: str) -> CleanText:
    """Clean a plain-text page dump: keep the article's paragraphs, drop the furniture.

    Each kept paragraph is one input line (or several, for a hard-wrapped paragraph, with its
    line breaks kept), character-exact apart from outer whitespace; paragraphs are joined with
    a blank line. The article is the best-scoring run of prose lines; an "Also Read"-style
    heading ends it unless a long stretch of prose follows (an inline box, which is dropped),
    and a comments heading always ends it; a run signed by several commenters never wins.
    Captions, photo credits, "Read more: ..." links, author bios, sign-up calls and the
    stand-alone teaser paragraphs under a "More stories" heading are furniture; a list that the
    last paragraph opens with a colon is kept. Exact duplicates, repeats of the headline and
    paragraphs repeated inside a later one (a standfirst before its dateline) are dropped.
    A byline or source credit glued to the start of the first paragraph ("SOURCE: NAME /
    SITE.ORG The ministry said ...") is cut off by moving the paragraph's start.
    """
    lines, start, end = segment(split_lines(text))
    title = title_from(lines, start)
    published = published_from(lines, start, end)
    kept: list[str] = []
    title_key = norm_title(title) if title else None
    body = lines[start:end]
    boxes = inline_boxes(body)
    for k, line in enumerate(body):
        if k in boxes or (line.furniture and not is_prose(line)):
            continue
        if title_key and norm_title(line.text) == title_key:
            continue
        if not is_prose(line) and not _keep_short(body, k) and not _in_list(body, k):
            continue
        if line.text in kept:
            continue
        kept.append(line.text)
    kept = [p for i, p in enumerate(kept) if not _repeated_later(p, kept[i + 1 : i + 3])]
    if not kept and title and len(lines) == 1:
        kept = [title]  # a text that is a single sentence is its own article
    if kept:
        kept[0] = strip_credit(kept[0])  # "SOURCE: NAME / SITE.ORG The ministry said ..."
    return CleanText(title=title, published=published, text="\n\n".join(kept))


def _keep_short(body: list[Line], k: int) -> bool:
    """Keep a short line inside the body when it sits between prose, like a subheading."""
    before = any(is_prose(x) for x in body[max(0, k - 8) : k])
    after = any(is_prose(x) for x in body[k + 1 : k + 9])
    line = body[k]
    return before and after and line.words >= 1 and not dates_in(line.text)


def _in_list(body: list[Line], k: int) -> bool:
    """Whether ``body[k]`` is an item of a list (or its colon-ended lead-in line)."""
    if not list_item(body[k]):
        return False
    if list_intro(body[k]):
        return k + 1 < len(body) and list_item(body[k + 1])
    j = k
    while j > 0 and list_item(body[j - 1]) and not list_intro(body[j - 1]):
        j -= 1
    return j > 0 and list_intro(body[j - 1])


def _repeated_later(paragraph: str, following: list[str]) -> bool:
    stem = paragraph.rstrip(" .")
    return len(stem) >= 60 and any(stem in other and stem != other for other in following)
