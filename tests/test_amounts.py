"""Tests for armswatch.nlp.amounts: money and numbers as news writes them."""

from __future__ import annotations

import pytest

from armswatch.model import Money
from armswatch.nlp.amounts import parse_money, parse_number


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$2.5 billion", 2.5e9, "USD"),
        ("a $2.5 billion deal", 2.5e9, "USD"),
        ("$2.5Billion", 2.5e9, "USD"),
        ("$1.2-billion", 1.2e9, "USD"),
        ("$500 million", 5e8, "USD"),
        ("US$ 1.2bn", 1.2e9, "USD"),
        ("USD 400 million", 4e8, "USD"),
        ("5 billion dollars", 5e9, "USD"),
        ("INR 39,000 crore", 3.9e11, "INR"),
        ("Rs 5,000 crore", 5e10, "INR"),
        ("Rs. 5,000 crore", 5e10, "INR"),
        ("₹5,000 crore", 5e10, "INR"),
        ("Rs 39,000-crore", 3.9e11, "INR"),
        ("€7.8 bn", 7.8e9, "EUR"),
        ("EUR 7.8 billion", 7.8e9, "EUR"),
        ("2 million euros", 2e6, "EUR"),
        ("£1.5bn", 1.5e9, "GBP"),
        ("180 tanks worth $3.4 billion", 3.4e9, "USD"),
    ],
)
def test_parse_money(text: str, amount: float, currency: str) -> None:
    money = parse_money(text)
    assert money == Money(amount, currency)


def test_parse_money_returns_the_first_amount() -> None:
    assert parse_money("a $5.43 billion deal ($5,430 million) for five units") == Money(
        5.43e9, "USD"
    )


@pytest.mark.parametrize(
    "text",
    [
        "$100 per unit",
        "$70 million per jet",
        "$80 million a piece",
        "Rs 500 crore per unit",
        "4 S-400 batteries",
        "no money here",
        "",
    ],
)
def test_unit_prices_and_texts_without_money_give_none(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize("text", ["$3 million each", "$100 million apiece"])
def test_unit_prices_with_each_or_apiece_give_none(text: str) -> None:
    assert parse_money(text) is None


def test_lakh_crore() -> None:
    assert parse_money("Rs 1.3 lakh crore") == Money(1.3e12, "INR")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", 4),
        ("180", 180),
        ("1,200", 1200),
        (" 36 ", 36),
        ("four", 4),
        ("Four", 4),
        ("twelve", 12),
        ("dozen", 12),
        ("twenty-six", 26),
        ("twenty six", 26),
        ("forty-two", 42),
        ("two hundred", 200),
    ],
)
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["2.5", "several", "many", "", "S-400"])
def test_parse_number_gives_none_for_non_integers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text", ["the operators 12 systems", "over the years 2019", "Caesar 18 guns", "they try 12"]
)
def test_a_currency_code_inside_a_word_is_no_currency(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("RM 4.2bn", Money(4.2e9, "MYR")), ("2 billion lira", Money(2e9, "TRY")),
     ("1 trillion won", Money(1e12, "KRW"))],
)
def test_currencies_written_after_or_before(text: str, expected: Money) -> None:
    assert parse_money(text) == expected
