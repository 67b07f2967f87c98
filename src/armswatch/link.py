"""Group events into deals: one deal per supplier, recipient and weapon system.

Every deal field is chosen from *claims*: the values that single events state for that field,
each kept with the event and the publication date of its article. A resolver per field picks
one value from its claims. Conflict reporting (a field whose claims disagree) can be added by
inspecting the same claim lists, without changing how deals are grouped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from armswatch.model import Deal, Event, Money, Quantity, content_hash, date_precision

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

#: (supplier, recipient, system casefolded): what makes events one deal
DealKey = tuple[str | None, str | None, str]


@dataclass(frozen=True)
class Reported:
    """An event together with the publication date of the article that states it."""

    event: Event
    published: str | None

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


def deal_id(key: DealKey) -> str:
    """Return a stable id for the deal with ``key``."""
    supplier, recipient, system = key
    return content_hash(f"deal|{supplier or ''}|{recipient or ''}|{system}")[:16]


def build_deals(
    events: Iterable[tuple[Event, str | None]],
    category_of: Callable[[str], str | None] | None = None,
) -> list[tuple[Deal, list[str]]]:
    """Group ``(event, article published date)`` pairs into deals.

    Events with the same supplier, recipient and system (case-insensitive) form one deal. An
    event without a supplier joins the deal of the same recipient and system when exactly one
    known supplier has one. Returns each Deal with the ids of its events, ordered by recipient,
    system and supplier. ``category_of`` maps a system name to its category (e.g. "air defence
    systems").
    """
    groups = group_events(Reported(event, published) for event, published in events)
    result = []
    for key in sorted(groups, key=_sort_key):
        members = groups[key]
        result.append((summarise(key, members, category_of), [m.event.id for m in members]))
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


def summarise(
    key: DealKey,
    members: Sequence[Reported],
    category_of: Callable[[str], str | None] | None = None,
) -> Deal:
    """Summarise the events of one deal into a Deal record."""
    supplier, recipient, _ = key
    system = _most_frequent([Claim(m.event.system, m) for m in members])
    assert system is not None  # a group is never empty
    orders = [m for m in members if m.event.type == "order"]
    quantity = _pick_quantity(orders) or _pick_quantity(members)
    value = _pick_value(orders) or _pick_value(members)
    published = sorted(m.published for m in members if m.published)
    return Deal(
        id=deal_id(key),
        supplier=supplier,
        recipient=recipient,
        system=system,
        category=category_of(system) if category_of else None,
        status=deal_status(members),
        order_date=order_date(members),
        quantity=quantity,
        value=value,
        delivery_dates=delivery_dates(members),
        quantity_delivered=quantity_delivered(members, quantity),
        first_report=published[0] if published else None,
        last_report=published[-1] if published else None,
        sources=len({m.event.evidence.article_id for m in members}),
        events=len(members),
    )


def deal_status(members: Sequence[Reported]) -> str:
    """Return the furthest stage reached by happened events, or cancelled, or planned.

    ``cancelled`` when a happened cancellation is not followed by a happened event that is
    known to be later; ``planned`` when no event is reported as happened.
    """
    happened = [m for m in members if m.event.status == "happened"]
    if not happened:
        return PLANNED
    cancellations = [m for m in happened if m.event.type == "cancellation"]
    progress = [m for m in happened if m.event.type in STAGES]
    if cancellations:
        last_cancel = max((m.when or "" for m in cancellations), key=_date_sort_key)
        if not any(_later(m.when, last_cancel) for m in progress):
            return CANCELLED
    stages = {STAGES[m.event.type] for m in progress}
    return max(stages, key=STAGE_ORDER.index) if stages else PLANNED


def order_date(members: Sequence[Reported]) -> str | None:
    """Return the date of the happened order: the most specific, then the earliest."""
    dates = {
        m.event.date
        for m in members
        if m.event.type == "order" and m.event.status == "happened" and m.event.date
    }
    if not dates:
        return None
    return min(dates, key=lambda d: (-date_precision(d), d))


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


def quantity_delivered(members: Sequence[Reported], ordered: Quantity | None) -> int | None:
    """Return the number delivered: the sum over distinct happened deliveries with a quantity.

    Only one unit is counted: the ordered quantity's unit when deliveries use it, else the
    deliveries' most frequent unit. Deliveries are distinct by (date, number). When the sum
    exceeds the number ordered the reports overlap (cumulative counts), so the largest single
    delivery is returned instead.
    """
    pairs = [
        (m.event.date, m.event.quantity)
        for m in members
        if m.event.type == "delivery" and m.event.status == "happened" and m.event.quantity
    ]
    if not pairs:
        return None
    units = Counter(q.unit for _, q in pairs)
    unit = ordered.unit if ordered and ordered.unit in units else units.most_common(1)[0][0]
    distinct = {(date, q.value) for date, q in pairs if q.unit == unit}
    total = sum(value for _, value in distinct)
    if ordered and ordered.unit == unit and total > ordered.value:
        return max(value for _, value in distinct)
    return total


def _pick_quantity(members: Sequence[Reported]) -> Quantity | None:
    """The most frequent quantity; ties go to a specific unit over the generic "unit"."""
    claims = [Claim(m.event.quantity, m) for m in members if m.event.quantity]
    return _most_frequent(claims, specificity=lambda q: int(q.unit != "unit"))


def _pick_value(members: Sequence[Reported]) -> Money | None:
    """The most frequent value; ties go to the amount with more significant digits."""
    claims = [Claim(m.event.value, m) for m in members if m.event.value]
    return _most_frequent(claims, specificity=lambda v: _significant_digits(v.amount))


def _most_frequent(
    claims: Sequence[Claim[T]], specificity: Callable[[T], int] | None = None
) -> T | None:
    """Return the value claimed most often; ties to the most specific, then the first claimed."""
    if not claims:
        return None
    counts = Counter(c.value for c in claims)
    first: dict[T, int] = {}
    for i, claim in enumerate(claims):
        first.setdefault(claim.value, i)

    def rank(value: T) -> tuple[int, int, int]:
        return (-counts[value], -(specificity(value) if specificity else 0), first[value])

    return min(counts, key=rank)


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
