"""One line (paragraph) of a text dump: splitting a dump into paragraphs, and classifying each
as prose, furniture, a heading that opens a block of links, or a comment's signature."""

from __future__ import annotations

from dataclasses import dataclass

from armswatch.clean.dates import is_date_only
from armswatch.clean.patterns import (
    BIO,
    BOILERPLATE,
    BULLET,
    CAPTION,
    CJK,
    COMMENTER,
    COOKIES,
    CREDIT,
    EN_STOPWORDS,
    END_HEADING,
    LINK_LINE,
    LIST_SEP,
    NUMBERISH,
    PROMO,
    RELATIVE_TIME,
    SENTENCE_END,
    TRUNCATED,
    WALL,
    WEAK_BOILERPLATE,
    WORD,
    wordset,
)


@dataclass(frozen=True)
class Line:
    """A classified paragraph of a text dump."""

    text: str
    words: int
    size: int  # characters, with each CJK character counted three times
    stop: float
    sentence: bool
    furniture: bool
    heading: bool  # "Also Read", "Related", "Comments"...: opens a block of links or comments
    wall: bool  # a heading that opens the comments: no article continues after it
    commenter: bool = False  # "Jane on May 2, 2019 at 4:47 pm said:": a comment's signature


def _is_list_shaped(text: str, words: int) -> bool:
    """A run of short items joined by separators, such as a footer's site links."""
    parts = LIST_SEP.split(text)
    return len(parts) >= 3 and words / len(parts) <= 5 and not SENTENCE_END.search(text)


def classify(text: str) -> Line:
    """Classify one paragraph: its size, stopword share, and whether it is furniture."""
    tokens = WORD.findall(text)
    words = len(tokens)
    lowered = [t.lower() for t in tokens]
    stop = sum(t in EN_STOPWORDS for t in lowered) / words if words else 0.0
    sentence = bool(SENTENCE_END.search(text))
    bare = BULLET.sub("", text).strip()
    wall = bool(WALL.match(bare)) and words <= 20
    heading = wall or (bool(END_HEADING.match(bare)) and words <= 8)
    furniture = (
        heading
        or bool(NUMBERISH.match(bare))
        or bool(RELATIVE_TIME.match(bare))
        or is_date_only(bare)
        or (words < 40 and bool(BOILERPLATE.search(text)))
        or ((words <= 8 or not sentence) and words < 40 and bool(WEAK_BOILERPLATE.search(text)))
        or (words < 80 and bool(COOKIES.search(text)))
        or _is_list_shaped(text, words)
        or bool(TRUNCATED.search(text))
        or (words <= 12 and bool(COMMENTER.search(text)))
        or (words <= 25 and bool(LINK_LINE.match(bare)))
        or (words < 70 and bool(CAPTION.search(text)))
        or (words <= 8 and not sentence and bool(CREDIT.search(bare)))
        or (words < 120 and bool(BIO.match(bare)))
        or (words < 60 and bool(PROMO.search(bare)))
    )
    size = len(text) + 2 * len(CJK.findall(text))
    commenter = words <= 12 and bool(COMMENTER.search(text))
    return Line(text, words, size, stop, sentence, furniture, heading, wall, commenter)


def is_prose(line: Line) -> bool:
    """A line that reads like a paragraph of running text."""
    if line.furniture:
        return False
    if line.words >= 12 and line.sentence and (line.stop >= 0.15 or line.size >= 100):
        return True
    if line.words >= 25 and line.stop >= 0.2:
        return True
    # Scripts without spaces (Chinese, Japanese) give few \w+ tokens per line.
    return line.size >= 90 and line.words <= line.size / 15 and line.sentence


def list_item(line: Line) -> bool:
    """A short line that may be an item of a list (no heading, furniture or prose)."""
    return not (line.heading or line.furniture or is_prose(line)) and 1 <= line.words <= 40


def list_intro(line: Line) -> bool:
    """A line that opens a list with a colon ("The aircraft will go to:")."""
    return line.text.endswith(":") and line.words >= 3


def _starts_lower(text: str) -> bool:
    return text[:1].isalpha() and text[:1].islower()


_WRAP_WORDS = wordset("a an the of to in on for and or but with by from at as that")


def _wrapped(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` continues ``prev`` (a paragraph hard-wrapped over several lines)."""
    if SENTENCE_END.search(prev) or BULLET.match(nxt):
        return False
    words = WORD.findall(prev)
    if len(words) < 3:
        return False
    if _starts_lower(nxt):
        return len(WORD.findall(nxt)) >= 4
    return len(words) >= 6 and (prev.endswith(",") or words[-1].lower() in _WRAP_WORDS)


def split_lines(text: str) -> list[str]:
    """Return the paragraphs of a dump: its non-empty lines, stripped; a paragraph
    hard-wrapped over several lines stays one paragraph (its inner newlines kept)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if out and _wrapped(out[-1].rsplit("\n", 1)[-1], line):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out
