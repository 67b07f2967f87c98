"""The page's headline and publication date, read from the header and byline lines of a
segmented dump (never from "Also Read" lists, comments or the article's own sentences)."""

from __future__ import annotations

import re

from armswatch.clean.dates import DATELINE, NUMERIC_DATE, UPDATED, dates_in, is_date_only
from armswatch.clean.lines import Line, is_prose
from armswatch.clean.patterns import BOILERPLATE, CAPTION, COOKIES, RELATIVE_TIME, WORD


def norm_title(text: str) -> str:
    """Return ``text`` case-folded with its words joined by single spaces, for comparison."""
    return " ".join(WORD.findall(text.casefold()))


def _headline_like(line: Line) -> bool:
    if line.furniture or line.words < 3 or line.words > 30 or line.size > 200:
        return False
    if dates_in(line.text) or RELATIVE_TIME.search(line.text):
        return False
    if line.text.endswith((".", ",", ";")) and line.words > 20:
        return False
    return not is_prose(line) or line.words <= 25


def title_from(lines: list[Line], body_start: int) -> str | None:
    """Return the headline among the lines before ``body_start`` (the article's first line).

    A line printed twice in the header wins, then a line contained in another ("Section|Headline"
    next to "Headline"), then the first headline-like line near the top, then the last one just
    before the body.
    """
    header = lines[: max(body_start, 1)]
    window = header[:15] + header[-12:] if len(header) > 27 else header
    seen: dict[str, int] = {}
    for line in window:
        if _headline_like(line):
            key = norm_title(line.text)
            seen[key] = seen.get(key, 0) + 1
    for line in window:
        if _headline_like(line) and seen[norm_title(line.text)] > 1:
            return line.text
    # containment: "Section|Headline" next to "Headline"
    for line in window:
        if _headline_like(line) and line.words >= 4:
            key = norm_title(line.text)
            if any(key != other and key in other for other in seen):
                return line.text
    for line in header[:15]:
        if _headline_like(line) and line.words >= 4:
            return line.text
    for line in reversed(header[-6:]):
        if _headline_like(line) and line.words >= 4:
            return line.text
    return None


def published_from(lines: list[Line], start: int, end: int) -> str | None:
    """Return the publication date (ISO) of a dump whose article is ``lines[start:end]``.

    Candidates are the dates of the header and byline lines, ranked by their label
    ("Published" first, "Updated" later) and their distance from the article; a dateline
    opening one of the first paragraphs comes after a labelled header date.
    """
    header_end = max(start, min(15, len(lines)))
    if end > start:
        header_end = min(max(header_end, start + 6), end)
    candidates: list[tuple[int, int, str]] = []
    dated = [i for i, line in enumerate(lines[:header_end])
             if is_date_only(line.text) or (NUMERIC_DATE.search(line.text) and line.words <= 8)]
    for i, line in enumerate(lines[:header_end]):
        if line.heading and i > start:
            break
        if sum(abs(i - j) <= 10 for j in dated) >= 3 or line.commenter or _not_byline(line.text):
            continue  # a list of other stories, a comment's signature, a caption, a cookie notice
        inside = start <= i < end
        if inside and not _byline_date(line):
            continue  # dates inside the article's sentences are not its publication date
        label = lines[i - 1].text if i and lines[i - 1].words <= 3 else ""
        for pos, iso in dates_in(line.text):
            before = line.text[:pos] or label  # "Updated" may stand on the line above
            if re.search(r"\bdate\b|published|posted", before, re.IGNORECASE):
                rank = 0
            elif UPDATED.search(before):
                rank = 3
            elif line.words <= 16:
                rank = 1 if i >= start - 30 else 4  # far above the article: the masthead's today
            else:
                rank = 5
            candidates.append((rank, abs(start - i) + 10 * inside, iso))
    for i in range(start, min(end, start + 3)):
        head = lines[i].text[:100]
        if DATELINE.match(head):
            for _, iso in dates_in(head)[:1]:
                candidates.append((2, i - start, iso))
    if not candidates:
        return None
    return min(candidates)[2]


def _not_byline(text: str) -> bool:
    return bool(CAPTION.search(text) or COOKIES.search(text) or BOILERPLATE.search(text))


def _byline_date(line: Line) -> bool:
    """A byline or date line at the top of the article (not a tweet's signature)."""
    text = line.text
    if "@" in text or text.startswith(("—", "–", "-")) or line.words > 20:
        return False
    return (is_date_only(text) or text.startswith("By ")
            or bool(re.search(r"published|posted|updated", text, re.IGNORECASE)))
