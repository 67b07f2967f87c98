"""Full calendar dates written in a line of text ("March 4, 2021", "27th November 2019",
"2019-11-27", "27/11/2019", "5/13/21"), read as ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re

from armswatch.clean.patterns import WORD

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(
        _MONTH + r"\s+(?P<d>[0-3]?\d)" + _ORD + r",?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE
    ),
    re.compile(
        r"(?<!\d)(?P<d>[0-3]?\d)" + _ORD + r"\s+(?:of\s+)?" + _MONTH
        + r",?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/.])"),
    # "On 11/13/19 at 4:00 PM": a two-digit year, slashes only
    re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d\d)(?![\d/.])"),
)
NUMERIC_DATE = re.compile(r"(?<![\d/.])[0-3]?\d[/.][0-3]?\d[/.]\d\d(?:\d\d)?(?![\d/.])")
UPDATED = re.compile(r"\b(?:updated|modified|edited)\b", re.IGNORECASE)
# "MOSCOW (Agency - 27th November, 2019)", "NEW DELHI, 3 May 2021 (Agency) -"
DATELINE = re.compile(r"^[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3}\s*(?:\(|,|[-–—])")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def dates_in(line: str) -> list[tuple[int, str]]:
    """Return ``(position, ISO date)`` for every full calendar date written in ``line``."""
    found: list[tuple[int, str]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(line):
            groups = match.groupdict()
            year = int(groups["y"])
            if year < 100:
                year += 2000 if year < 70 else 1900
            if groups.get("mon"):
                iso = _valid(year, _MONTHS[groups["mon"].lower()[:3]], int(groups["d"]))
            elif "a" in groups:
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12 >= b:
                    iso = _valid(year, b, a)
                elif b > 12 >= a or a == b:
                    iso = _valid(year, a, b)
                else:
                    iso = None  # 03/04/2019: day and month cannot be told apart
            else:
                iso = _valid(year, int(groups["m"]), int(groups["d"]))
            if iso:
                found.append((match.start(), iso))
    return sorted(found)


def is_date_only(text: str) -> bool:
    """Whether ``text`` is a date with at most six other words (a date or timestamp line)."""
    dates = dates_in(text)
    if not dates:
        return False
    rest = text
    for pattern in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return len(WORD.findall(rest)) <= 6
