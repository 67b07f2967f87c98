"""Group events into deals and reconcile what the reports claim about each deal.

A deal is one purchase: the events of one supplier, recipient and weapon system. They are
split into separate purchases only when a later order clearly is one: its own year and its own
number, or follow-on wording ("a second batch", "an additional order") with its own year.

Every deal field is decided from *claims*: the values single events state for it, each kept
with its sources. Copies of one story (the ``report`` each event carries, set by near-duplicate
detection) count as one report. Where claims disagree the deal keeps them all, names the field
in ``Deal.conflicts`` and shows one value, chosen by the rule: most independent reports, then
the most specific, then the most recently reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from armswatch.model import (
    Deal,
    Event,
    FieldClaim,
    Money,
    Quantity,
    content_hash,
    date_precision,
)

T = TypeVar("T", bound=Hashable)

#: event type -> the deal stage it proves, in the order a deal goes through them
STAGES: dict[str, str] = {
    "talks": "talks",
    "order": "ordered",
    "delivery": "delivered",
    "deployment": "deployed",
}
STAGE_ORDER: tuple[str, ...] = ("talks", "ordered", "delivered", "deployed")
#: status of a deal with no event reported as happened
PLANNED = "planned"
CANCELLED = "cancelled"

#: the deal fields that carry claims, in display order
FIELDS: tuple[str, ...] = (
    "order_date", "quantity", "value", "delivery_dates", "quantity_delivered", "status",
)

#: wording that makes an order a purchase of its own rather than another report of the first
FOLLOW_ON = re.compile(
    r"\b(?:additional|another|follow[- ]on|repeat|fresh|top[- ]up|"
    r"(?:second|third|fourth|fifth|new|next) (?:batch|lot|tranche|order|contract|deal))\b",
    re.IGNORECASE,
)

#: amounts in one currency within this relative difference are the same value, rounded
VALUE_TOLERANCE = 0.05

#: (supplier, recipient, system casefolded): what makes events one deal
DealKey = tuple[str | None, str | None, str]


@dataclass(frozen=True)
class Reported:
    """An event with the publication date of its article and the report it belongs to.

    ``report`` is the article that stands for all copies of one story (see ``dedup``); it
    defaults to the event's own article.
    """

    event: Event
    published: str | None
    report: str | None = None

    @property
    def report_id(self) -> str:
        """The independent report this event comes from."""
        return self.report or self.event.evidence.article_id

    @property
    def when(self) -> str | None:
        """When the event took place as far as we know: its date, else the article's date."""
        return self.event.date or self.published


@dataclass(frozen=True)
class Claim(Generic[T]):
    """One event's statement of one deal field's value."""

    value: T
    source: Reported


def deal_key(event: Event) -> DealKey:
    """Return the grouping key of ``event``: supplier, recipient and case-folded system."""
    return (event.supplier, event.recipient, event.system.casefold())


def deal_id(key: DealKey, purchase: str | None = None) -> str:
    """Return a stable id for the deal with ``key``; later purchases add their order year."""
    supplier, recipient, system = key
    suffix = f"|{purchase}" if purchase else ""
    return content_hash(f"deal|{supplier or ''}|{recipient or ''}|{system}{suffix}")[:16]


def build_deals(
    events: Iterable[Reported | tuple[Event, str | None]],
    category_of: Callable[[str], str | None] | None = None,
) -> list[tuple[Deal, list[str]]]:
    """Group reported events (or ``(event, published)`` pairs) into deals.

    Events with the same supplier, recipient and system (case-insensitive) form one deal, or
    several when later orders are separate purchases. An event without a supplier joins the
    deal of the same recipient and system when exactly one known supplier has one. Returns each
    Deal with the ids of its events, ordered by recipient, system, supplier and order.
    ``category_of`` maps a system name to its category (e.g. "SAM system").
    """
    reports = (item if isinstance(item, Reported) else Reported(*item) for item in events)
    groups = group_events(reports)
    result = []
    for key in sorted(groups, key=_sort_key):
        for label, members in split_purchases(groups[key]):
            deal = summarise(key, members, category_of, purchase=label)
            result.append((deal, [m.event.id for m in members]))
    return result


def group_events(reports: Iterable[Reported]) -> dict[DealKey, list[Reported]]:
    """Group reported events by deal key, merging supplier-less events where unambiguous.

    Each group is sorted by publication date, event date and id, so the result does not
    depend on the order events were read in. An event id seen twice is kept once.
    """
    groups: dict[DealKey, list[Reported]] = {}
    seen: set[str] = set()
    for report in reports:
        if report.event.id in seen:
            continue
        seen.add(report.event.id)
        groups.setdefault(deal_key(report.event), []).append(report)

    known: dict[tuple[str | None, str], list[DealKey]] = {}
    for key in groups:
        if key[0] is not None:
            known.setdefault(key[1:], []).append(key)
    for key in [k for k in groups if k[0] is None]:
        suppliers = known.get(key[1:], [])
        if len(suppliers) == 1:
            groups[suppliers[0]].extend(groups.pop(key))

    for members in groups.values():
        members.sort(key=lambda r: (r.published or "", r.event.date or "", r.event.id))
    return groups


# -- purchases -------------------------------------------------------------------------------


@dataclass
class _Purchase:
    years: set[int] = field(default_factory=set)
    numbers: set[int] = field(default_factory=set)
    members: list[Reported] = field(default_factory=list)


def split_purchases(members: Sequence[Reported]) -> list[tuple[str | None, list[Reported]]]:
    """Split one key's events into purchases; return (label, events) pairs, oldest first.

    A happened, dated order starts a new purchase when it is at least a year after the
    current one and says it is a follow-on, or at least two years after it with a number of
    its own that differs from the current purchase's. Other events join the purchase their
    date points to: talks the next order, everything else the last order before them. The
    first purchase's label is None (so its deal id does not change when a second appears),
    later ones are labelled by their order year.
    """
    purchases: list[_Purchase] = []
    for order in sorted(
        (m for m in members if _dated_order(m)),
        key=lambda m: (_year(m.event.date), m.published or "", m.event.id),
    ):
        year, number = _year(order.event.date), _number(order.event)
        assert year is not None
        current = purchases[-1] if purchases else None
        if current is None or _starts_new_purchase(order, year, number, current):
            current = _Purchase()
            purchases.append(current)
        current.years.add(year)
        if number is not None:
            current.numbers.add(number)
        current.members.append(order)
    if len(purchases) < 2:
        return [(None, list(members))]
    for member in members:
        if not _dated_order(member):
            purchases[_purchase_for(member, purchases)].members.append(member)
    order_of = {m.event.id: i for i, m in enumerate(members)}
    return [
        (None if index == 0 else str(min(purchase.years)),
         sorted(purchase.members, key=lambda m: order_of[m.event.id]))
        for index, purchase in enumerate(purchases)
    ]


def _dated_order(member: Reported) -> bool:
    event = member.event
    return event.type == "order" and event.status == "happened" and _year(event.date) is not None


def _starts_new_purchase(
    order: Reported, year: int, number: int | None, current: _Purchase
) -> bool:
    gap = year - max(current.years)
    if gap >= 1 and FOLLOW_ON.search(order.event.evidence.sentence):
        return True
    return gap >= 2 and number is not None and bool(current.numbers) and (
        number not in current.numbers
    )


def _purchase_for(member: Reported, purchases: list[_Purchase]) -> int:
    """The purchase an event that is not a dated order belongs to."""
    number = _number(member.event)
    if member.event.type == "order" and number is not None:
        for index, purchase in enumerate(purchases):
            if number in purchase.numbers:
                return index
    year = _year(member.when)
    if year is None:
        return 0
    if member.event.type == "talks":
        return next(
            (i for i, p in enumerate(purchases) if max(p.years) >= year), len(purchases) - 1
        )
    before = [i for i, p in enumerate(purchases) if min(p.years) <= year]
    return before[-1] if before else 0


# -- one deal --------------------------------------------------------------------------------


def summarise(
    key: DealKey,
    members: Sequence[Reported],
    category_of: Callable[[str], str | None] | None = None,
    purchase: str | None = None,
) -> Deal:
    """Summarise the events of one purchase into a Deal with every field's claims."""
    supplier, recipient, _ = key
    system = _most_frequent([Claim(m.event.system, m) for m in members])
    assert system is not None  # a group is never empty
    orders = [m for m in members if m.event.type == "order"]
    happened_orders = [m for m in orders if m.event.status == "happened"]
    with_quantity = [m for m in orders if m.event.quantity] or [
        m for m in members if m.event.quantity
    ]
    with_value = [m for m in orders if m.event.value] or [m for m in members if m.event.value]

    order_date = _decide(
        "order_date",
        [Claim(date, m) for m in happened_orders if (date := m.event.date)],
        text=str,
        compatible=_dates_agree,
        supports=lambda claimed, value: value.startswith(claimed),
        specificity=date_precision,
    )
    quantity = _decide(
        "quantity",
        _quantity_claims(with_quantity),
        text=_quantity_text,
        compatible=_same_number,
        supports=_same_number,
        specificity=lambda q: int(q.unit != "unit"),
    )
    value = _decide(
        "value",
        _value_claims(with_value),
        text=_money_text,
        compatible=lambda a, b: a.currency != b.currency or _amounts_agree(a, b),
        supports=_amounts_agree,
        specificity=lambda v: _significant_digits(v.amount),
    )
    delivered = _delivered(members, quantity.value)
    status, status_claims = _status(members)
    claims = (
        *order_date.claims, *quantity.claims, *value.claims, *_delivery_date_claims(members),
        *delivered.claims, *status_claims,
    )
    conflicting = {
        "order_date": order_date.conflict, "quantity": quantity.conflict,
        "value": value.conflict, "quantity_delivered": delivered.conflict,
    }
    conflicts = tuple(name for name in FIELDS if conflicting.get(name))
    published = sorted(m.published for m in members if m.published)
    return Deal(
        id=deal_id(key, purchase),
        supplier=supplier,
        recipient=recipient,
        system=system,
        category=category_of(system) if category_of else None,
        status=status,
        order_date=order_date.value,
        quantity=quantity.value,
        value=value.value,
        delivery_dates=delivery_dates(members),
        quantity_delivered=delivered.value,
        first_report=published[0] if published else None,
        last_report=published[-1] if published else None,
        sources=len({m.event.evidence.article_id for m in members}),
        events=len(members),
        reports=len({m.report_id for m in members}),
        conflicts=conflicts,
        claims=claims,
        confidence=max(
            (m.event.confidence for m in members if m.event.confidence is not None),
            default=None,
        ),
    )


def delivery_dates(members: Sequence[Reported]) -> tuple[str, ...]:
    """Return the sorted distinct dates of happened deliveries."""
    return tuple(
        sorted(
            {
                m.event.date
                for m in members
                if m.event.type == "delivery" and m.event.status == "happened" and m.event.date
            },
            key=_date_sort_key,
        )
    )


def claim_values(event: Event) -> dict[str, str]:
    """The value ``event`` claims for each deal field it speaks to, as claim text."""
    values: dict[str, str] = {}
    happened = event.status == "happened"
    if event.type == "order" and happened and event.date:
        values["order_date"] = event.date
    if event.quantity:
        values["quantity"] = _quantity_text(event.quantity)
    if event.value:
        values["value"] = _money_text(event.value)
    if event.type == "delivery" and happened:
        if event.date:
            values["delivery_dates"] = event.date
        if event.quantity:
            values["quantity_delivered"] = _delivery_text(event)
    return values


# -- claims ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Decision(Generic[T]):
    value: T | None
    claims: tuple[FieldClaim, ...]
    conflict: bool = False  # two claimed values disagree


def _decide(
    name: str,
    claims: Sequence[Claim[T]],
    text: Callable[[T], str],
    compatible: Callable[[T, T], bool],
    supports: Callable[[T, T], bool],
    specificity: Callable[[T], int],
) -> _Decision[T]:
    """Choose a field's value from its claims and return it with the claims, chosen marked.

    A value's support is the number of independent reports whose claim supports it (the same
    value, or a less precise one it agrees with: "2017" supports "2017-09"). The chosen value
    has the most support, then the highest specificity, then the latest report.
    """
    if not claims:
        return _Decision(None, ())
    by_value: dict[T, list[Reported]] = {}
    for claim in claims:
        by_value.setdefault(claim.value, []).append(claim.source)
    support = {
        value: len({
            source.report_id
            for claimed, sources in by_value.items() if supports(claimed, value)
            for source in sources
        })
        for value in by_value
    }

    def rank(value: T) -> tuple[int, int, str, str]:
        latest = max((s.published or "" for s in by_value[value]), default="")
        return (support[value], specificity(value), latest, text(value))

    chosen = max(by_value, key=rank)
    reason = _reason(chosen, by_value, rank, compatible)
    conflict = any(not compatible(a, b) for a in by_value for b in by_value)
    return _Decision(chosen, tuple(
        _field_claim(name, text(value), sources, value == chosen, reason)
        for value, sources in sorted(by_value.items(), key=lambda item: rank(item[0]), reverse=True)
    ), conflict)


def _reason(
    chosen: T,
    by_value: dict[T, list[Reported]],
    rank: Callable[[T], tuple[int, int, str, str]],
    compatible: Callable[[T, T], bool],
) -> str:
    """Name the rule that chose ``chosen`` over the other claimed values."""
    others = [value for value in by_value if value != chosen]
    if not others:
        return "the only value reported"
    mine = rank(chosen)
    rivals = [rank(value) for value in others]
    total = len({s.report_id for sources in by_value.values() for s in sources})
    if all(mine[0] > rival[0] for rival in rivals):
        reason = f"most independent reports ({mine[0]} of {total})"
    elif all(mine[:2] > rival[:2] for rival in rivals if rival[0] == mine[0]):
        reason = f"most specific of the values with most reports ({mine[0]} of {total})"
    else:
        reason = "most recently reported of equally supported values"
    if all(compatible(chosen, value) for value in others):
        reason += "; no report contradicts it"
    return reason


def _field_claim(
    name: str, value: str, sources: Sequence[Reported], chosen: bool, reason: str | None
) -> FieldClaim:
    published = sorted(s.published for s in sources if s.published)
    return FieldClaim(
        field=name,
        value=value,
        reports=len({s.report_id for s in sources}),
        sources=tuple(dict.fromkeys(s.event.evidence.article_id for s in sources)),
        first_report=published[0] if published else None,
        last_report=published[-1] if published else None,
        chosen=chosen,
        reason=reason if chosen else None,
    )


def _delivery_date_claims(members: Sequence[Reported]) -> tuple[FieldClaim, ...]:
    by_date: dict[str, list[Reported]] = {}
    for m in members:
        if m.event.type == "delivery" and m.event.status == "happened" and m.event.date:
            by_date.setdefault(m.event.date, []).append(m)
    return tuple(
        _field_claim("delivery_dates", date, by_date[date], True, "every reported delivery")
        for date in sorted(by_date, key=_date_sort_key)
    )


def _delivered(members: Sequence[Reported], ordered: Quantity | None) -> _Decision[int]:
    """The number delivered with its claims: one claim per delivery report with a number.

    Only one unit is counted: the ordered quantity's unit when deliveries use it, else the
    deliveries' most frequent unit. Deliveries are distinct by (date, number) and summed. When
    the sum exceeds the number ordered the reports overlap (cumulative counts), so the largest
    single delivery is taken instead. Two numbers for one dated delivery are a conflict.
    """
    deliveries = [
        (m, m.event.quantity) for m in members
        if m.event.type == "delivery" and m.event.status == "happened" and m.event.quantity
    ]
    if not deliveries:
        return _Decision(None, ())
    units = Counter(q.unit for _, q in deliveries)
    unit = ordered.unit if ordered and ordered.unit in units else units.most_common(1)[0][0]
    distinct = {(m.event.date, q.value) for m, q in deliveries if q.unit == unit}
    total = sum(value for _, value in distinct)
    reason = "the sum of distinct deliveries"
    if ordered and ordered.unit == unit and total > ordered.value:
        total, reason = max(value for _, value in distinct), (
            "the largest single report: the reported deliveries add up to more than the order"
        )
    by_text: dict[str, list[Reported]] = {}
    for m, _ in deliveries:
        by_text.setdefault(_delivery_text(m.event), []).append(m)
    numbers_by_date: dict[str, set[int]] = {}
    for m, q in deliveries:
        if m.event.date:
            numbers_by_date.setdefault(m.event.date, set()).add(q.value)
    claims = tuple(
        _field_claim(
            "quantity_delivered", text, sources,
            sources[0].event.quantity is not None and sources[0].event.quantity.unit == unit,
            reason,
        )
        for text, sources in by_text.items()
    )
    return _Decision(total, claims, any(len(n) > 1 for n in numbers_by_date.values()))


def _status(members: Sequence[Reported]) -> tuple[str, tuple[FieldClaim, ...]]:
    happened = [m for m in members if m.event.status == "happened"]
    stage_of = {**STAGES, "cancellation": CANCELLED}
    by_stage: dict[str, list[Reported]] = {}
    for m in happened:
        by_stage.setdefault(stage_of[m.event.type], []).append(m)
    if not happened:
        return PLANNED, ()
    status, reason = _furthest_stage(happened)

    def position(stage: str) -> int:
        return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)

    return status, tuple(
        _field_claim("status", stage, by_stage[stage], stage == status, reason)
        for stage in sorted(by_stage, key=position)
    )


def _furthest_stage(happened: Sequence[Reported]) -> tuple[str, str]:
    cancellations = [m for m in happened if m.event.type == "cancellation"]
    progress = [m for m in happened if m.event.type in STAGES]
    if cancellations:
        last_cancel = max((m.when or "" for m in cancellations), key=_date_sort_key)
        if not any(_later(m.when, last_cancel) for m in progress):
            return CANCELLED, "no happened event is known to be later than the cancellation"
    stages = {STAGES[m.event.type] for m in progress}
    if not stages:
        return PLANNED, "no event reported as happened"
    furthest = max(stages, key=STAGE_ORDER.index)
    return furthest, "the furthest stage reported as happened"


# -- helpers ---------------------------------------------------------------------------------


def _most_frequent(claims: Sequence[Claim[T]]) -> T | None:
    """Return the value claimed most often; ties to the first claimed."""
    if not claims:
        return None
    counts = Counter(c.value for c in claims)
    first: dict[T, int] = {}
    for i, claim in enumerate(claims):
        first.setdefault(claim.value, i)
    return min(counts, key=lambda value: (-counts[value], first[value]))


def _quantity_claims(members: Sequence[Reported]) -> list[Claim[Quantity]]:
    return [Claim(m.event.quantity, m) for m in members if m.event.quantity is not None]


def _value_claims(members: Sequence[Reported]) -> list[Claim[Money]]:
    return [Claim(m.event.value, m) for m in members if m.event.value is not None]


def _quantity_text(quantity: Quantity) -> str:
    return f"{quantity.value} {quantity.unit}"


def _same_number(a: Quantity, b: Quantity) -> bool:
    return a.value == b.value


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _number(event: Event) -> int | None:
    return event.quantity.value if event.quantity else None


def _dates_agree(a: str, b: str) -> bool:
    """True when one date is the other at lower precision (or they are equal)."""
    return a.startswith(b) or b.startswith(a)


def _amounts_agree(a: Money, b: Money) -> bool:
    """True when two amounts in one currency differ by no more than rounding."""
    if a.currency != b.currency:
        return False
    larger = max(abs(a.amount), abs(b.amount)) or 1.0
    return abs(a.amount - b.amount) / larger <= VALUE_TOLERANCE


def _money_text(value: Money) -> str:
    return f"{value.amount:.12g} {value.currency}"


def _delivery_text(event: Event) -> str:
    assert event.quantity is not None
    text = _quantity_text(event.quantity)
    return f"{text} on {event.date}" if event.date else text


def _date_sort_key(date: str) -> tuple[str, int]:
    """Sort dates chronologically, a less precise date before a more precise one."""
    return (date, date_precision(date) if date else 0)


def _later(date: str | None, than: str) -> bool:
    """True when ``date`` is known to be after ``than`` at the precision both share."""
    if not date or not than:
        return False
    shared = min(date_precision(date), date_precision(than))
    return date.split("-")[:shared] > than.split("-")[:shared]


def _significant_digits(amount: float) -> int:
    """The number of significant digits of ``amount`` (2.5e9 -> 2, 2.47e9 -> 3)."""
    digits = f"{abs(amount):.12g}".split("e")[0].replace(".", "").strip("0")
    return len(digits)


def _sort_key(key: DealKey) -> tuple[str, str, str]:
    supplier, recipient, system = key
    return (recipient or "~", system, supplier or "~")
