"""Numbers, money and units as news writes them: "four", "$2.5 billion", "INR 39,000 crore"."""

from __future__ import annotations

import re

from armswatch.model import Money

WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "second": 1,
    "third": 1,
    "fourth": 1,
    "another": 1,
}
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
# Currency signs and codes written before the amount ("$2.5 billion", "INR 39,000 crore") and
# currency words written after it ("5 billion dollars"); ISO 4217 codes.
CURRENCIES_BEFORE = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "gbp": "GBP", "₹": "INR", "rs.": "INR", "rs": "INR", "inr": "INR", "¥": "JPY",
    "rub": "RUB", "a$": "AUD", "aud": "AUD", "c$": "CAD", "cad": "CAD", "krw": "KRW",
    "sek": "SEK", "chf": "CHF", "aed": "AED", "sar": "SAR", "pkr": "PKR",
    "rm": "MYR", "myr": "MYR", "cny": "CNY", "rmb": "CNY", "jpy": "JPY",
}
CURRENCIES_AFTER = {
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
    "rupees": "INR", "rupee": "INR", "roubles": "RUB", "rubles": "RUB", "rouble": "RUB",
    "ruble": "RUB", "yuan": "CNY", "yen": "JPY", "won": "KRW", "lira": "TRY", "riyals": "SAR",
    "riyal": "SAR", "ringgit": "MYR",
}


def _alternation(words: dict[str, str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_AMOUNT = r"(?P<num>\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = (
    r"(?P<scale>(?:lakh|lac)\s+crores?|thousand|lakhs?|lac|million|mln|mn|crores?|cr|billion|bn"
    r"|trillion|tn|[kmb])\b"
)
# a code must not be the end of a word ("the operators 12 systems" holds no "rs 12")
MONEY_BEFORE = re.compile(
    rf"(?<![A-Za-z])(?P<cur>{_alternation(CURRENCIES_BEFORE)})\s*{_AMOUNT}\s*(?:-|\s)?\s*"
    rf"(?:{_SCALE})?",
    re.IGNORECASE,
)
MONEY_AFTER = re.compile(
    rf"{_AMOUNT}\s*(?:{_SCALE})?\s*(?P<cur>{_alternation(CURRENCIES_AFTER)})\b", re.IGNORECASE
)
PER_UNIT = re.compile(
    r"^\s*(?:each|apiece)\b|\b(?:per|a|each)\s+(?:unit|piece|aircraft|jet|system)\b", re.IGNORECASE
)


def parse_number(text: str) -> int | None:
    """Return the integer a number written in digits or words stands for, else None."""
    cleaned = text.strip().lower().replace(",", "")
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"\d+\.\d+", cleaned):
        return None
    parts = re.split(r"[\s-]+", cleaned)
    total = 0
    for part in parts:
        value = WORD_NUMBERS.get(part)
        if value is None:
            return None
        total = total * value if value == 100 and total else total + value
    return total or None


def parse_money(text: str) -> Money | None:
    """Return the first amount of money in ``text`` (ISO 4217), ignoring unit prices."""
    for pattern in (MONEY_BEFORE, MONEY_AFTER):
        match = pattern.search(text)
        if not match:
            continue
        if PER_UNIT.search(text[match.end() : match.end() + 20]):
            return None
        amount = float(match["num"].replace(",", ""))
        for word in (match["scale"] or "").lower().split():  # "lakh crore" is 1e5 * 1e7
            amount *= SCALES.get(word, 1.0)
        word = match["cur"].lower()
        currency = CURRENCIES_BEFORE.get(word) or CURRENCIES_AFTER[word]
        return Money(round(amount, 2), currency)
    return None
