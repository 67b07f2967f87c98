"""Tests for armswatch.nlp.dates: date phrases resolved against a publication date."""

from __future__ import annotations

import pytest

from armswatch.nlp.dates import Direction, is_future, parse_iso, resolve_date

# 2017-02-23 is a Thursday; 2019-11-27 is a Wednesday.
THURSDAY = "2017-02-23"
WEDNESDAY = "2019-11-27"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("December 2017", "2017-12"),
        ("in December 2017", "2017-12"),
        ("Dec. 2017", "2017-12"),
        ("27th November, 2019", "2019-11-27"),
        ("27 November 2019", "2019-11-27"),
        ("November 27, 2019", "2019-11-27"),
        ("Sept. 12, 2017", "2017-09-12"),
        ("2019-11-27", "2019-11-27"),
        ("by April 2020", "2020-04"),
        ("in 2020", "2020"),
        ("late 2015", "2015"),
    ],
)
def test_absolute_dates_need_no_publication_date(phrase: str, expected: str) -> None:
    assert resolve_date(phrase, None) == expected
    # An absolute date does not move with the publication date or the direction.
    assert resolve_date(phrase, WEDNESDAY, "future") == expected
    assert resolve_date(phrase, WEDNESDAY, "past") == expected


@pytest.mark.parametrize(
    ("phrase", "published", "direction", "expected"),
    [
        ("mid-July", WEDNESDAY, "past", "2019-07"),
        ("in mid-July", WEDNESDAY, "past", "2019-07"),
        ("March", THURSDAY, "future", "2017-03"),
        ("March", THURSDAY, "past", "2016-03"),
        ("in December", THURSDAY, "future", "2017-12"),
        ("in January", THURSDAY, "past", "2017-01"),
        ("in January", THURSDAY, "future", "2018-01"),
        ("on 5 March", THURSDAY, "future", "2017-03-05"),
        ("27 December", THURSDAY, "past", "2016-12-27"),
    ],
)
def test_month_without_year_follows_the_direction(
    phrase: str, published: str, direction: Direction, expected: str
) -> None:
    assert resolve_date(phrase, published, direction) == expected


@pytest.mark.parametrize(
    ("phrase", "direction", "expected"),
    [
        ("on Wednesday", "past", "2017-02-22"),
        ("on Wednesday", "future", "2017-03-01"),
        ("TASS Monday", "past", "2017-02-20"),
        ("last Friday", "past", "2017-02-17"),
        ("yesterday", "past", "2017-02-22"),
    ],
)
def test_weekdays_resolve_against_a_thursday(
    phrase: str, direction: Direction, expected: str
) -> None:
    assert resolve_date(phrase, THURSDAY, direction) == expected


@pytest.mark.parametrize(
    ("phrase", "published", "direction", "expected"),
    [
        ("next year", THURSDAY, "future", "2018"),
        ("early next year", THURSDAY, "future", "2018"),
        ("by the end of next year", THURSDAY, "future", "2018"),
        ("last year", THURSDAY, "past", "2016"),
        ("this year", THURSDAY, "past", "2017"),
        ("last month", THURSDAY, "past", "2017-01"),
        ("last month", "2017-01-10", "past", "2016-12"),
        ("next month", "2017-12-10", "future", "2018-01"),
        ("two years ago", THURSDAY, "past", "2015"),
        ("8 years ago", THURSDAY, "past", "2009"),
        ("a year ago", THURSDAY, "past", "2016"),
    ],
)
def test_relative_phrases(phrase: str, published: str, direction: Direction, expected: str) -> None:
    assert resolve_date(phrase, published, direction) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "the 1980s",
        "in the 1990s",
        "for 8 years",
        "three minutes",
        "several years",
        "the past two years",
        "within five years",
        "the coming months",
        "",
        "   ",
        "no date here",
    ],
)
def test_phrases_that_name_no_calendar_point(phrase: str) -> None:
    assert resolve_date(phrase, THURSDAY, "past") is None
    assert resolve_date(phrase, THURSDAY, "future") is None


@pytest.mark.parametrize(
    "phrase", ["next year", "last month", "two years ago", "on Wednesday", "March", "mid-July"]
)
def test_relative_phrases_without_publication_date_give_none(phrase: str) -> None:
    assert resolve_date(phrase, None, "past") is None
    assert resolve_date(phrase, None, "future") is None


def test_an_unparseable_publication_date_counts_as_none() -> None:
    assert resolve_date("next year", "not a date") is None
    assert parse_iso("not a date") is None
    assert parse_iso("2017-02-30") is None
    assert str(parse_iso("2019-11")) == "2019-11-01"


@pytest.mark.parametrize(
    ("resolved", "published", "expected"),
    [
        ("2017-03", THURSDAY, True),
        ("2018", THURSDAY, True),
        ("2017-02-24", THURSDAY, True),
        ("2017-02", THURSDAY, False),  # same month: not after at month precision
        ("2017", THURSDAY, False),
        ("2016-12-31", THURSDAY, False),
        ("2017-02-23", THURSDAY, False),
        (None, THURSDAY, False),
        ("2018", None, False),
    ],
)
def test_is_future(resolved: str | None, published: str | None, expected: bool) -> None:
    assert is_future(resolved, published) is expected
