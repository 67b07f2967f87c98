"""Tests for armswatch.link: grouping events into deals and summarising them."""

from __future__ import annotations

from itertools import count

from armswatch.link import Reported, build_deals, deal_id
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


def deals_of(*events: Reported | tuple[Event, str | None]) -> list[Deal]:
    return [deal for deal, _ in build_deals(events)]


def one_deal(*events: Reported | tuple[Event, str | None]) -> Deal:
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


def test_order_date_conflict_is_kept_and_most_reports_win() -> None:
    deal = one_deal(
        (ev(date="2017-09", article="a"), "2017-09-20"),
        (ev(date="2017-09", article="b"), "2018-01-05"),
        (ev(date="2017-12", article="c"), "2019-03-01"),
        (ev(date="2017", article="d"), "2019-07-12"),
        (ev(type="talks", date="2016-11", article="e"), "2016-11-30"),
    )
    assert deal.order_date == "2017-09"
    assert deal.conflicts == ("order_date",)
    claims = [c for c in deal.claims if c.field == "order_date"]
    assert [(c.value, c.reports, c.chosen) for c in claims] == [
        ("2017-09", 2, True), ("2017-12", 1, False), ("2017", 1, False),
    ]
    chosen = claims[0]
    assert chosen.sources == ("a", "b")
    assert (chosen.first_report, chosen.last_report) == ("2017-09-20", "2018-01-05")
    # "2017" supports both; 2017-09 has more reports of its own
    assert chosen.reason == "most independent reports (3 of 4)"


def test_order_date_ties_go_to_the_most_specific_then_the_most_recent() -> None:
    specific = one_deal(
        (ev(date="2016", article="a"), None), (ev(date="2016-09-23", article="b"), None)
    )
    assert specific.order_date == "2016-09-23"
    assert specific.conflicts == ()  # a rounder date agrees with a precise one
    recent = one_deal(
        (ev(date="2016-09", article="a"), "2016-10-01"),
        (ev(date="2016-04", article="b"), "2020-01-01"),
    )
    assert recent.order_date == "2016-04"
    assert recent.conflicts == ("order_date",)
    reason = next(c.reason for c in recent.claims if c.chosen and c.field == "order_date")
    assert reason == "most recently reported of equally supported values"


def test_copies_of_one_story_count_as_one_report() -> None:
    original = Reported(ev(date="2017-12", article="a"), "2017-12-29")
    copies = [
        Reported(ev(date="2017-12", article=copy), "2017-12-30", report="a")
        for copy in ("b", "c", "d")
    ]
    independent = [
        Reported(ev(date="2017-09", article=name), "2018-02-01") for name in ("e", "f")
    ]
    deal = one_deal(original, *copies, *independent)
    assert (deal.sources, deal.reports) == (6, 3)
    assert deal.order_date == "2017-09"  # two independent reports beat one story copied four times
    claim = next(c for c in deal.claims if c.value == "2017-12")
    assert (claim.reports, sorted(claim.sources)) == (1, ["a", "b", "c", "d"])


def test_quantity_and_value_conflicts() -> None:
    deal = one_deal(
        (ev(quantity=Quantity(4, "battery"), value=Money(2.5e9, "USD"), article="a"), None),
        (ev(quantity=Quantity(4, "unit"), value=Money(2.47e9, "USD"), article="b"), None),
        (ev(value=Money(1.8e11, "RUB"), article="c"), None),
    )
    assert deal.quantity == Quantity(4, "battery")
    assert deal.conflicts == ()  # same number; rounded amount; another currency is no conflict
    disagreeing = one_deal(
        (ev(quantity=Quantity(4, "battery"), value=Money(2.5e9, "USD"), article="a"), None),
        (ev(quantity=Quantity(2, "battery"), value=Money(2.0e9, "USD"), article="b"), None),
        (ev(quantity=Quantity(4, "battery"), article="c"), None),
    )
    assert disagreeing.quantity == Quantity(4, "battery")
    assert disagreeing.conflicts == ("quantity", "value")
    assert {c.value for c in disagreeing.claims if c.field == "value"} == {
        "2500000000 USD", "2000000000 USD",
    }


def test_delivered_numbers_that_disagree_for_one_date_are_a_conflict() -> None:
    deal = one_deal(
        (ev(quantity=Quantity(36, "aircraft")), None),
        (ev(type="delivery", date="2020-07", quantity=Quantity(5, "aircraft"), article="a"), None),
        (ev(type="delivery", date="2020-07", quantity=Quantity(6, "aircraft"), article="b"), None),
    )
    assert "quantity_delivered" in deal.conflicts


def test_every_field_carries_claims() -> None:
    deal = one_deal(
        (ev(date="2018-10", quantity=Quantity(5, "unit"), value=Money(5.4e9, "USD")), "2018-10-06"),
        (ev(type="delivery", date="2021-12", quantity=Quantity(1, "unit")), "2021-12-20"),
    )
    assert {c.field for c in deal.claims} == {
        "order_date", "quantity", "value", "delivery_dates", "quantity_delivered", "status",
    }
    status = [c for c in deal.claims if c.field == "status"]
    assert [(c.value, c.chosen) for c in status] == [("ordered", False), ("delivered", True)]


# -- separate purchases: both kinds of error --------------------------------------------------


def test_one_order_reported_with_different_dates_and_numbers_stays_one_deal() -> None:
    deals = deals_of(
        (ev(date="2017-09", quantity=Quantity(4, "battery"), article="a"), None),
        (ev(date="2017-12", quantity=Quantity(2, "battery"), article="b"), None),
        (ev(date="2018", quantity=Quantity(4, "battery"), article="c"), None),  # a year off
        (ev(type="delivery", date="2019-07", article="d"), None),
    )
    assert len(deals) == 1
    assert deals[0].conflicts == ("order_date", "quantity")


def test_a_later_order_with_its_own_year_and_number_is_a_separate_purchase() -> None:
    first = ev(date="2016-09", quantity=Quantity(36, "aircraft"), article="a")
    talks = ev(type="talks", date="2021", article="b")
    second = ev(date="2023-07", quantity=Quantity(26, "aircraft"), article="c")
    delivery = ev(type="delivery", date="2020-07", quantity=Quantity(5, "aircraft"), article="d")
    result = build_deals([(first, None), (talks, None), (second, None), (delivery, None)])
    assert [(d.order_date, d.quantity) for d, _ in result] == [
        ("2016-09", Quantity(36, "aircraft")), ("2023-07", Quantity(26, "aircraft")),
    ]
    (older, older_ids), (newer, newer_ids) = result
    assert set(older_ids) == {first.id, delivery.id}
    assert set(newer_ids) == {talks.id, second.id}  # talks lead to the next order
    assert older.id == deal_id(("FRA", "IND", "rafale"))  # the first purchase keeps its id
    assert newer.id == deal_id(("FRA", "IND", "rafale"), "2023")


def test_follow_on_wording_makes_a_separate_purchase_a_year_later() -> None:
    first = ev(date="2018-10", quantity=Quantity(5, "unit"))
    follow_on = Event(
        "order", "happened", "FRA", "IND", "Rafale", "2019-06", None, None,
        Evidence("b", 0, 10, "The ministry signed an additional order for the jets in June."),
    )
    assert len(deals_of((first, None), (follow_on, None))) == 2
    # without a number of its own or follow-on wording, two years apart is still one purchase
    assert len(deals_of((first, None), (ev(date="2020"), None))) == 1


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
