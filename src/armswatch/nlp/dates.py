"""Resolve date phrases ("December 2017", "mid-July", "on Wednesday", "next year") to ISO dates.

Each result keeps the precision the phrase has: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. Phrases
without a year are resolved against the publication date, forwards for expected events and
backwards for past ones. A phrase that names no calendar point (a decade, a duration) gives None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from armswatch.nlp.amounts import parse_number

Direction = Literal["past", "future"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b",
        rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)",
        rf"\b(?:early|mid|late|end|beginning|start|middle)?-?\s*{_MONTH}\b",
        r"(?<![\d-])\b(?P<year>(?:19|20)\d{2})\b(?![-\d]|s\b|'s)",
    )
)
DECADE = re.compile(r"\b(?:19|20)\d0s\b|\bdecade", re.IGNORECASE)
RELATIVE_YEAR = re.compile(r"\b(this|next|last|previous|coming|current|past)\s+year\b", re.I)
RELATIVE_MONTH = re.compile(r"\b(this|next|last|previous|coming|current|past)\s+month\b", re.I)
YEARS_AGO = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+years?\s+"
    r"(ago|later|from now|hence)\b",
    re.I,
)
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
DURATION = re.compile(
    r"^\W*(?:the\s+)?(?:last|past|next|over|for|within)?\s*(?:\d+|a|an|few|several|many|"
    r"one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:years?|months?|weeks?|days?|"
    r"hours?|minutes?|decades?)\b(?!\s+(?:ago|later|from now))",
    re.IGNORECASE,
)


# The years a publication date or a resolved date may have.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_iso(value: str | None) -> date | None:
    """Return the date of an ISO ``YYYY-MM-DD`` string (or its prefix), else None."""
    if not value:
        return None
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_date(phrase: str, published: str | None, direction: Direction = "past") -> str | None:
    """Resolve a date phrase against the publication date; None when it names no calendar point.

    >>> resolve_date("in mid-July", "2019-11-27")
    '2019-07'
    >>> resolve_date("March", "2017-02-23", "future")
    '2017-03'
    """
    anchor = parse_iso(published)
    if anchor and not FIRST_YEAR <= anchor.year <= LAST_YEAR:
        anchor = None  # no news page is dated so: a misread date, not an anchor
    resolved = _resolve(phrase.strip(), anchor, direction)
    point = parse_iso(resolved)
    if resolved and not (point and len(resolved.split("-")[0]) == 4
                         and FIRST_YEAR <= point.year <= LAST_YEAR):
        return None  # "5000 years ago" names no date an arms deal can have
    return resolved


def _resolve(text: str, anchor: date | None, direction: Direction) -> str | None:
    if not text or DECADE.search(text) or DURATION.search(text):
        return None
    if (relative := RELATIVE_YEAR.search(text)) and anchor:
        word = relative[1].lower()
        offset = {"next": 1, "coming": 1, "last": -1, "previous": -1, "past": -1}.get(word, 0)
        return f"{anchor.year + offset:04d}"
    if (relative := RELATIVE_MONTH.search(text)) and anchor:
        word = relative[1].lower()
        offset = {"next": 1, "coming": 1, "last": -1, "previous": -1, "past": -1}.get(word, 0)
        month_index = anchor.year * 12 + anchor.month - 1 + offset
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if (ago := YEARS_AGO.search(text)) and anchor:
        count = parse_number(ago[1]) or 1
        sign = -1 if ago[2].lower() == "ago" else 1
        return f"{anchor.year + sign * count:04d}"
    if anchor and re.search(r"\btoday\b", text, re.I):
        return anchor.isoformat()
    if anchor and re.search(r"\byesterday\b", text, re.I):
        return (anchor - timedelta(days=1)).isoformat()
    if anchor and re.search(r"\btomorrow\b", text, re.I):
        return (anchor + timedelta(days=1)).isoformat()
    for pattern in PATTERNS:
        match = pattern.search(text)
        if match:
            return _from_match(match, anchor, direction)
    if (weekday := WEEKDAY.search(text)) and anchor:
        return _weekday(WEEKDAYS.index(weekday[1].lower()), anchor, direction).isoformat()
    return None


def _from_match(match: re.Match[str], anchor: date | None, direction: Direction) -> str | None:
    groups = match.groupdict()
    month_text = groups.get("month")
    month = None
    if month_text:
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    if year is None:
        if anchor is None or month is None:
            return None
        year = anchor.year
        if direction == "future" and month < anchor.month:
            year += 1
        elif direction == "past" and month > anchor.month:
            year -= 1
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _weekday(weekday: int, anchor: date, direction: Direction) -> date:
    if direction == "future":
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def is_future(resolved: str | None, published: str | None) -> bool:
    """True when a resolved date lies after the publication date at the date's own precision."""
    if not resolved or not published:
        return False
    return resolved > published[: len(resolved)]
