"""Byline and source credits glued to the start of an article's first paragraph.

Feeds and page dumps often print the credit and the first sentence as one line:
``SOURCE: AGENCY NAME Indian Navy signed ...``, ``SOURCE: FIRST LAST / SECTION / SITE.ORG The
ministry said ...``, ``By FIRST LAST / SITE India and ...`` or a bare ``EXAMPLE.ORG The firm
...``. :func:`credit_end` finds where such a credit ends, so the paragraph can start after it
(the kept text stays an exact substring of the input). Only unmistakable credits count: a
label followed by upper-case words (and ``/`` separators) up to a normal sentence start, or a
leading upper-case domain. Datelines (``CITY (Agency - date) ...``) carry no label and stay.
"""

from __future__ import annotations

import re

# "SOURCE:", "SOURCE :", "Source:", "By ", "BY "
_LABEL = re.compile(r"(?:SOURCE|Source)[ \t]*:[ \t]*|(?:By|BY)[ \t]+")
_PIECE = re.compile(r"[/|]|[^\s/|]+")
_SEPARATOR = frozenset("/|")
_QUOTES = frozenset("\"'“‘«")
# Short upper-case words that end an outlet's name ("PRESS TV", "HARBOUR NEWS") rather than
# being an acronym that starts the article ("US Ambassador", "NATO Secretary").
_OUTLET_WORDS = frozenset({"TV", "FM", "PR", "NEWS", "PAGE", "POST", "WIRE", "DESK"})
_TRAILING = frozenset({"-", "–", "—", ":"})  # a dash or colon between the credit and the text
# An upper-case word of two or more characters: "ANI", "NEWS", "O'NEIL", "PRESS-TV", "KUNDE."
_CAPS_WORD = re.compile(r"[A-Z][A-Z0-9&'’.-]*[A-Z0-9]\.?")
_DOMAIN = re.compile(
    r"[A-Z0-9][A-Z0-9-]+(?:\.[A-Z0-9-]+)*\."
    r"(?:COM|ORG|NET|INFO|NEWS|IN|CO\.IN|CO\.UK|UK|US|EU|INT|GOV|MIL|IO|TV|AU|CA|PK|ASIA)"
    r"[.:]?"
)
_MAX_PIECES = 16  # a credit is short: a label, a name, a section and a site at most


def _is_domain(piece: str) -> bool:
    return _DOMAIN.fullmatch(piece) is not None


def _is_caps_word(piece: str) -> bool:
    return _CAPS_WORD.fullmatch(piece) is not None


def _mixed_capitalised(piece: str) -> bool:
    """A word that starts with a capital and has lower-case letters: "The", "India’s"."""
    return piece[:1].isupper() and any(ch.islower() for ch in piece)


def _acronym(piece: str) -> bool:
    """A short upper-case acronym that may open a sentence: "US", "U.S.", "INS", "NATO"."""
    letters = piece.replace(".", "")
    return (2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()
            and letters not in _OUTLET_WORDS)


def _sentence_start(pieces: list[str], k: int, lenient: bool) -> bool:
    """Whether an ordinary sentence starts at ``pieces[k]``.

    That is a capitalised word with lower-case letters ("The", "Indian", "DRDO’s"), an
    upper-case word followed by a lower-case one ("HAL has", "A report"), a short acronym or a
    one-letter word followed by a capitalised word ("US Ambassador", "NATO Chief", "A BSF unit"),
    an acronym followed by its expansion ("HAL (Hindustan ..."), or a quotation ("“Why ...").
    After a credit closed by a site's domain, any start that is not lower-case will do.
    """
    if k >= len(pieces):
        return False
    first = pieces[k]
    nxt = pieces[k + 1] if k + 1 < len(pieces) else ""
    if _mixed_capitalised(first):
        return True
    if first[:1].isupper() and (nxt[:1].islower() or nxt.startswith("(")):
        return True
    if len(first) == 1 and first.isupper() and nxt[:1].isupper():
        return True
    if _acronym(first) and _mixed_capitalised(nxt):
        return True
    if first[:1] in _QUOTES and first[1:2].isupper():
        return True
    return lenient and not first[:1].islower() and first[:1] not in _SEPARATOR


def credit_end(paragraph: str) -> int:
    """Return where a credit glued to the start of ``paragraph`` ends (0 when there is none).

    The credit is the shortest run of upper-case words (with ``/`` separators) after the label
    that is followed by a sentence start, or runs up to the site's domain that closes it; so
    "SOURCE: AGENCY US Ambassador ..." keeps "US Ambassador". The returned offset is the start
    of the article's first word: ``paragraph[offset:]`` is the paragraph without its credit.
    """
    label = _LABEL.match(paragraph)
    offset = label.end() if label else 0
    matches = [m for _, m in zip(range(_MAX_PIECES + 2), _PIECE.finditer(paragraph, offset),
                                 strict=False)]
    pieces = [m.group() for m in matches]
    if not pieces or (label is None and not _is_domain(pieces[0])):
        return 0  # no label: only a bare site domain counts as a credit
    byline = label is not None and label.group().strip() in ("By", "BY")
    words = 0
    slashed = False
    for k, piece in enumerate(pieces[:_MAX_PIECES]):
        if piece in _SEPARATOR:
            if not words:
                return 0
            slashed = True
            continue
        domain = _is_domain(piece)
        if not (domain or _is_caps_word(piece)):
            return 0
        words += 1
        closed = domain and slashed
        start = k + 1
        if start < len(pieces) and pieces[start] in _TRAILING:
            start += 1
        if domain and pieces[k + 1 : k + 2] not in (["/"], ["|"]):
            # the site's domain is the credit's last part
            return matches[start].start() if _sentence_start(pieces, start, closed) else 0
        if byline and words < 2:
            continue  # "By NATO standards ...": a byline names a first and a last name
        if _sentence_start(pieces, start, lenient=False):
            return matches[start].start()
    return 0


def strip_credit(paragraph: str) -> str:
    """Return ``paragraph`` without a byline or source credit glued to its start."""
    return paragraph[credit_end(paragraph) :]
