"""Tests for armswatch.export: SIPRI-style CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from armswatch.export import CSV_COLUMNS, comments, money_text, write_csv, write_json
from armswatch.model import Deal, FieldClaim, Money, Quantity

SIPRI_CSV = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sipri-trade-register"
    / "trade-register.raw.csv"
)


def make_deal(**fields: object) -> Deal:
    data: dict[str, object] = {
        "id": "d1", "supplier": "RUS", "recipient": "TUR", "system": "S-400", "category": "SAM",
        "status": "delivered", "order_date": "2017-09", "quantity": Quantity(4, "battery"),
        "value": Money(2.5e9, "USD"), "delivery_dates": ("2019-07", "2019-09", "2020"),
        "quantity_delivered": 4, "first_report": "2017-09-12", "last_report": "2020-01-05",
        "sources": 3, "events": 5, "reports": 2, "conflicts": ("order_date",),
        "claims": (
            FieldClaim("order_date", "2017-09", 1, ("a1",), "2017-09-12", "2017-09-12", True,
                       "most recently reported of equally supported values"),
            FieldClaim("order_date", "2017-12", 1, ("a2",), "2017-12-30", "2017-12-30"),
        ),
    }
    data.update(fields)
    return Deal(**data)  # type: ignore[arg-type]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_header_and_row() -> None:
    out = io.StringIO()
    names = {"TUR": "Turkey", "RUS": "Russia"}
    write_csv([make_deal()], out, country_name=names)
    header, row = read_csv(out.getvalue())
    assert header == [
        "Recipient", "Supplier", "Year of order", "Number ordered", "Weapon designation",
        "Weapon description", "Number delivered", "Year(s) of delivery", "Comments",
        "First report", "Last report", "Sources", "Reports", "Conflicts", "Confidence",
    ]
    assert row == [
        "Turkey", "Russia", "2017", "4", "S-400", "SAM", "4", "2019; 2020",
        "$2.5 b deal; status: delivered", "2017-09-12", "2020-01-05", "3", "2", "order_date", "",
    ]


def test_csv_gives_a_learned_deals_confidence() -> None:
    out = io.StringIO()
    write_csv([make_deal(confidence=0.734)], out)
    header, row = read_csv(out.getvalue())
    assert row[header.index("Confidence")] == "0.73"


def test_csv_defaults_to_codes_and_leaves_unknowns_empty() -> None:
    out = io.StringIO()
    deal = make_deal(supplier=None, order_date=None, quantity=None, value=None,
                     delivery_dates=(), quantity_delivered=None, category=None, status="talks")
    write_csv([deal], out, country_name=lambda code: code.lower())
    row = read_csv(out.getvalue())[1]
    assert row[:9] == ["tur", "", "", "", "S-400", "", "", "", "status: talks"]
    out = io.StringIO()
    write_csv([make_deal()], out)
    assert read_csv(out.getvalue())[1][:2] == ["TUR", "RUS"]


def test_our_columns_use_sipri_names() -> None:
    if not SIPRI_CSV.is_file():
        pytest.skip("SIPRI trade register not available")
    with SIPRI_CSV.open(encoding="utf-8", errors="replace") as handle:
        header = next(row for row in csv.reader(handle) if row and row[0] == "Recipient")
    for column in CSV_COLUMNS[:9]:
        assert column in header


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(2.5e9, "USD"), "$2.5 b"),
        (Money(79e6, "USD"), "$79 m"),
        (Money(1.2e9, "EUR"), "EUR1.2 b"),
        (Money(257_300_000, "USD"), "$257.3 m"),
        (Money(500, "GBP"), "GBP500"),
    ],
)
def test_money_text(money: Money, text: str) -> None:
    assert money_text(money) == text


def test_comments_without_value() -> None:
    assert comments(make_deal(value=None, status="cancelled")) == "status: cancelled"


def test_json_round_trip() -> None:
    deals = [make_deal(), make_deal(id="d2", recipient="IND", delivery_dates=(), value=None)]
    out = io.StringIO()
    write_json(deals, out)
    loaded = json.loads(out.getvalue())
    assert loaded == [deal.as_dict() for deal in deals]
    assert loaded[0]["value"] == {"amount": 2500000000, "currency": "USD"}
    assert loaded[0]["delivery_dates"] == ["2019-07", "2019-09", "2020"]
    rebuilt = Deal(**{
        **loaded[0],
        "quantity": Quantity(**loaded[0]["quantity"]),
        "value": Money(**loaded[0]["value"]),
        "delivery_dates": tuple(loaded[0]["delivery_dates"]),
        "conflicts": tuple(loaded[0]["conflicts"]),
        "claims": tuple(
            FieldClaim(**{**claim, "sources": tuple(claim["sources"])})
            for claim in loaded[0]["claims"]
        ),
    })
    assert rebuilt == deals[0]
