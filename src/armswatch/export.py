"""Write deals as CSV in the SIPRI trade-register layout, or as JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from typing import TextIO

from armswatch.model import Deal, Money

#: SIPRI trade-register columns we fill, in SIPRI's order and spelling, then our own
CSV_COLUMNS: tuple[str, ...] = (
    "Recipient",
    "Supplier",
    "Year of order",
    "Number ordered",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    "Year(s) of delivery",
    "Comments",
    "First report",
    "Last report",
    "Sources",
    "Reports",
    "Conflicts",
    "Confidence",
)

CountryNames = Callable[[str], str] | Mapping[str, str]


def write_csv(
    deals: Iterable[Deal], out: TextIO, country_name: CountryNames | None = None
) -> None:
    """Write ``deals`` to ``out`` as CSV with SIPRI trade-register columns plus our own.

    ``country_name`` turns an ISO3 code into a name (a function or a mapping); without it,
    or for a code the mapping lacks, the code itself is written; a missing code is empty.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for deal in deals:
        writer.writerow(csv_row(deal, country_name))


def csv_row(deal: Deal, country_name: CountryNames | None = None) -> list[str]:
    """Return the CSV cells of one deal, in ``CSV_COLUMNS`` order."""
    return [
        _country(deal.recipient, country_name),
        _country(deal.supplier, country_name),
        deal.order_date[:4] if deal.order_date else "",
        str(deal.quantity.value) if deal.quantity else "",
        deal.system,
        deal.category or "",
        "" if deal.quantity_delivered is None else str(deal.quantity_delivered),
        "; ".join(sorted({date[:4] for date in deal.delivery_dates})),
        comments(deal),
        deal.first_report or "",
        deal.last_report or "",
        str(deal.sources),
        str(deal.reports),
        "; ".join(deal.conflicts),
        "" if deal.confidence is None else f"{deal.confidence:.2f}",
    ]


def comments(deal: Deal) -> str:
    """Return SIPRI-style comments: the value as "$2.5 b deal", then the deal's status."""
    parts = [f"{money_text(deal.value)} deal"] if deal.value else []
    parts.append(f"status: {deal.status}")
    return "; ".join(parts)


def money_text(value: Money) -> str:
    """Write an amount the way SIPRI does: "$2.5 b", "$79 m", "EUR1.2 b"."""
    prefix = "$" if value.currency == "USD" else value.currency
    amount = abs(value.amount)
    for size, suffix in ((1e9, " b"), (1e6, " m"), (1e3, " k")):
        if amount >= size:
            return f"{prefix}{_number(value.amount / size)}{suffix}"
    return f"{prefix}{_number(value.amount)}"


def write_json(deals: Iterable[Deal], out: TextIO) -> None:
    """Write ``deals`` to ``out`` as a JSON list of ``Deal.as_dict()``."""
    json.dump([deal.as_dict() for deal in deals], out, indent=2, ensure_ascii=False)
    out.write("\n")


def _number(x: float) -> str:
    """At most two decimals, no trailing zeros: 2.5, 79, 1.25."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _country(code: str | None, country_name: CountryNames | None) -> str:
    if not code:
        return ""
    if country_name is None:
        return code
    if isinstance(country_name, Mapping):
        return country_name.get(code, code)
    return country_name(code)
