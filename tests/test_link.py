"""Tests for armswatch.link: grouping events into deals and summarising them."""

from __future__ import annotations

from itertools import count

from armswatch.link import build_deals, deal_id
from armswatch.model import Deal, Event, Evidence, Money, Quantity

_offsets = count()


def ev(
    type: str = "order",
    status: str = "happened",
    supplier: str | None = "FRA",
    recipient: str | None = "IND",
    system: str = "Rafale",
    date: str | None = None,
    quantity: Quantity | None = None,
    value: Money | None = None,
    article: str = "a1",
) -> Event:
    """An event with unique evidence offsets, so every call is a distinct event."""
    start = next(_offsets) * 10
    return Event(type, status, supplier, recipient, system, date, quantity, value,
                 Evidence(article, start, start + 5, f"sentence {start}"))


def deals_of(*events: tuple[Event, str | None]) -> list[Deal]:
    return [deal for deal, _ in build_deals(events)]


def one_deal(*events: tuple[Event, str | None]) -> Deal:
    deals = deals_of(*events)
    assert len(deals) == 1, deals
    return deals[0]


def test_same_key_merges_across_pages() -> None:
    first = ev(date="2016-09-23", quantity=Quantity(36, "aircraft"), article="a1")
    second = ev(type="delivery", date="2020-07", quantity=Quantity(5, "aircraft"), article="a2")
    result = build_deals([(first, "2016-09-24"), (second, "2020-07-30")])
    assert len(result) == 1
    deal, ids = result[0]
    assert sorted(ids) == sorted([first.id, second.id])
    assert (deal.sources, deal.events) == (2, 2)
    assert (deal.first_report, deal.last_report) == ("2016-09-24", "2020-07-30")
    assert deal.id == deal_id(("FRA", "IND", "rafale"))


def test_system_match_ignores_case_and_keeps_common_spelling() -> None:
    deal = one_deal((ev(system="RAFALE"), None), (ev(), None), (ev(), None))
    assert deal.system == "Rafale"


def test_different_recipients_are_separate_deals() -> None:
    deals = deals_of((ev(recipient="IND"), None), (ev(recipient="EGY"), None))
    assert [d.recipient for d in deals] == ["EGY", "IND"]
    assert deals[0].id != deals[1].id


def test_unknown_supplier_joins_the_only_known_supplier() -> None:
    deal = one_deal((ev(supplier="FRA"), None), (ev(supplier=None, type="delivery"), None))
    assert deal.supplier == "FRA"
    assert deal.events == 2


def test_unknown_supplier_stays_apart_when_ambiguous() -> None:
    deals = deals_of(
        (ev(supplier="USA", system="Patriot", recipient="POL"), None),
        (ev(supplier="DEU", system="Patriot", recipient="POL"), None),
        (ev(supplier=None, system="Patriot", recipient="POL"), None),
    )
    assert sorted(d.supplier or "-" for d in deals) == ["-", "DEU", "USA"]


def test_status_is_the_furthest_happened_stage() -> None:
    assert one_deal((ev(type="talks"), None)).status == "talks"
    assert one_deal((ev(type="talks"), None), (ev(type="order"), None)).status == "ordered"
    assert one_deal(
        (ev(type="deployment"), None), (ev(type="order"), None), (ev(type="delivery"), None)
    ).status == "deployed"
    # expected stages do not count
    assert one_deal(
        (ev(type="order"), None), (ev(type="delivery", status="expected"), None)
    ).status == "ordered"


def test_only_expected_events_means_planned() -> None:
    deal = one_deal((ev(type="order", status="expected", date="2025"), None))
    assert deal.status == "planned"
    assert deal.order_date is None


def test_cancellation_counts_when_it_is_the_latest() -> None:
    order = (ev(type="order", date="2017-12"), "2018-01-01")
    cancel = (ev(type="cancellation", date="2019-07"), "2019-07-18")
    assert one_deal(order, cancel).status == "cancelled"
    later_delivery = (ev(type="delivery", date="2020-02"), "2020-02-10")
    assert one_deal(order, cancel, later_delivery).status == "delivered"
    # an undated cancellation takes its article's date
    undated_cancel = (ev(type="cancellation"), "2019-07-18")
    assert one_deal(order, undated_cancel).status == "cancelled"
    # an expected cancellation is no cancellation
    assert one_deal(order, (ev(type="cancellation", status="expected"), None)).status == "ordered"


def test_order_date_prefers_most_specific_then_earliest() -> None:
    deal = one_deal(
        (ev(date="2016"), None), (ev(date="2016-09-23"), None), (ev(date="2016-04-10"), None),
        (ev(type="talks", date="2015-04-10"), None),
    )
    assert deal.order_date == "2016-04-10"
    assert one_deal((ev(date="2016"), None), (ev(date="2017"), None)).order_date == "2016"


def test_quantity_and_value_come_from_orders_most_frequent() -> None:
    deal = one_deal(
        (ev(quantity=Quantity(36, "aircraft"), value=Money(8.7e9, "USD")), None),
        (ev(quantity=Quantity(36, "aircraft"), value=Money(7.87e9, "EUR")), None),
        (ev(quantity=Quantity(18, "aircraft")), None),
        (ev(type="delivery", quantity=Quantity(5, "aircraft")), None),
        (ev(type="delivery", quantity=Quantity(5, "aircraft")), None),
        (ev(type="delivery", quantity=Quantity(5, "aircraft")), None),
    )
    assert deal.quantity == Quantity(36, "aircraft")
    assert deal.value == Money(7.87e9, "EUR")  # tie: more significant digits
    only_delivery = one_deal((ev(type="delivery", quantity=Quantity(2, "aircraft")), None))
    assert only_delivery.quantity == Quantity(2, "aircraft")


def test_delivery_dates_and_quantity_delivered() -> None:
    deal = one_deal(
        (ev(quantity=Quantity(36, "aircraft")), None),
        (ev(type="delivery", date="2020-07", quantity=Quantity(5, "aircraft")), None),
        # the same delivery reported again by another page counts once
        (ev(type="delivery", date="2020-07", quantity=Quantity(5, "aircraft"), article="b"), None),
        (ev(type="delivery", date="2021-01", quantity=Quantity(3, "aircraft")), None),
        (ev(type="delivery", status="expected", date="2022", quantity=Quantity(28, "aircraft")),
         None),
    )
    assert deal.delivery_dates == ("2020-07", "2021-01")
    assert deal.quantity_delivered == 8
    assert deal.status == "delivered"
    assert one_deal((ev(),  None)).quantity_delivered is None


def test_overlapping_delivery_counts_do_not_exceed_the_order() -> None:
    deal = one_deal(
        (ev(quantity=Quantity(36, "aircraft")), None),
        (ev(type="delivery", date="2020-07", quantity=Quantity(5, "aircraft")), None),
        (ev(type="delivery", date="2022-12", quantity=Quantity(36, "aircraft")), None),
    )
    assert deal.quantity_delivered == 36


def test_category_and_input_order_independence() -> None:
    events = [(ev(date="2016-09"), "2016-09-24"), (ev(type="delivery", date="2020"), "2020-01-01")]
    forward = build_deals(events, category_of=lambda system: "fighter aircraft")
    backward = build_deals(list(reversed(events)), category_of=lambda system: "fighter aircraft")
    assert forward == backward
    assert forward[0][0].category == "fighter aircraft"


def test_the_same_event_twice_counts_once() -> None:
    event = ev()
    deal = one_deal((event, None), (event, None))
    assert deal.events == 1
