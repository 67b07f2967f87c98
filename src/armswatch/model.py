"""The records that flow between armswatch's stages.

page (sources) -> article (clean) -> events (extract) -> deals (link). Each record is a frozen
dataclass with ``as_dict()``, so nothing crosses a module boundary as a bare dict.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EVENT_TYPES = ("talks", "order", "delivery", "deployment", "cancellation")
STATUSES = ("happened", "expected")
QUANTITY_UNITS = (
    "battery", "battalion", "regiment", "squadron", "system", "aircraft", "helicopter",
    "missile", "launcher", "ship", "submarine", "tank", "vehicle", "unit",
)

ContentType = Literal["html", "text", "record"]


def content_hash(data: bytes | str) -> str:
    """Return the hex SHA-256 of ``data`` (str is hashed as UTF-8), used as a stable id."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def date_precision(value: str | None) -> int:
    """How precise an ISO date is: 0 none, 1 ``YYYY``, 2 ``YYYY-MM``, 3 ``YYYY-MM-DD``."""
    if not value:
        return 0
    return len([part for part in value.strip()[:10].split("-") if part])


@dataclass(frozen=True)
class Page:
    """One input document as read from disk, a WARC record or a JSONL line.

    ``id`` is the content hash of ``content`` plus ``name`` for records, so re-reading the same
    input yields the same id. ``name`` is what a user calls the document: the JSONL record's
    ``id``, the WARC record's target URI, or the file path.
    """

    id: str
    name: str
    source: str
    url: str | None
    content: bytes
    content_type: ContentType
    meta: dict[str, str | None] = field(default_factory=dict, hash=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the page as a JSON-ready dict (content decoded as UTF-8 with replacement)."""
        data = asdict(self)
        data["content"] = self.content.decode("utf-8", errors="replace")
        return data


@dataclass(frozen=True)
class Article:
    """The main text of a page with its metadata; evidence offsets point into ``text``."""

    id: str
    page_id: str
    name: str
    url: str | None
    title: str | None
    published: str | None  # ISO YYYY-MM-DD
    site: str | None
    language: str | None
    text: str

    def as_dict(self) -> dict[str, Any]:
        """Return the article as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    """Where an event is stated: character offsets into ``Article.text`` and the sentence."""

    article_id: str
    start: int
    end: int
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Quantity:
    """A number of units, e.g. four batteries."""

    value: int
    unit: str

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"value": N, "unit": U}``."""
        return asdict(self)


@dataclass(frozen=True)
class Money:
    """An amount in units of an ISO 4217 currency, e.g. 2.5e9 USD."""

    amount: float
    currency: str

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"amount": X, "currency": C}`` with whole amounts as int."""
        amount: float | int = int(self.amount) if float(self.amount).is_integer() else self.amount
        return {"amount": amount, "currency": self.currency}


@dataclass(frozen=True)
class Event:
    """One step of an arms transfer, as SCHEMA.md defines it, with its evidence."""

    type: str
    status: str
    supplier: str | None
    recipient: str | None
    system: str
    date: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    quantity: Quantity | None
    value: Money | None
    evidence: Evidence
    # how sure the learned extractor is (0-1); None for events the rules state on their own
    confidence: float | None = None

    @property
    def id(self) -> str:
        """A stable id from the article, the fact with its terms, and where it is stated."""
        key = "|".join(
            str(part)
            for part in (
                self.evidence.article_id, self.type, self.status, self.supplier,
                self.recipient, self.system, self.date, self.quantity, self.value,
                self.evidence.start, self.evidence.end,
            )
        )
        return content_hash(key)[:16]

    def as_dict(self) -> dict[str, Any]:
        """Return the event in SCHEMA.md's shape plus its evidence offsets."""
        return {
            "type": self.type,
            "status": self.status,
            "supplier": self.supplier,
            "recipient": self.recipient,
            "system": self.system,
            "date": self.date,
            "quantity": self.quantity.as_dict() if self.quantity else None,
            "value": self.value.as_dict() if self.value else None,
            "evidence": self.evidence.sentence,
            "start": self.evidence.start,
            "end": self.evidence.end,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class FieldClaim:
    """One value that reports state for one field of a deal, with who states it and when.

    ``value`` is the value as text ("2017-09", "4 battery", "2500000000 USD", "delivered").
    ``reports`` counts independent reports (syndicated copies count once); ``sources`` lists
    every article stating it, copies included. The claim a deal shows has ``chosen`` set and
    ``reason`` naming the rule that chose it.
    """

    field: str
    value: str
    reports: int
    sources: tuple[str, ...]
    first_report: str | None
    last_report: str | None
    chosen: bool = False
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the claim as a JSON-ready dict."""
        data = asdict(self)
        data["sources"] = list(self.sources)
        return data


@dataclass(frozen=True)
class Deal:
    """Events of one purchase (a supplier, recipient and system) across pages, summarised.

    ``sources`` counts articles, ``reports`` independent reports (copies of one story count
    once). ``conflicts`` names the fields whose claims disagree; ``claims`` holds every claim
    of every field, the chosen ones marked.
    """

    id: str
    supplier: str | None
    recipient: str | None
    system: str
    category: str | None
    status: str  # furthest stage: planned, talks, ordered, delivered, deployed, cancelled
    order_date: str | None
    quantity: Quantity | None
    value: Money | None
    delivery_dates: tuple[str, ...]
    quantity_delivered: int | None
    first_report: str | None
    last_report: str | None
    sources: int
    events: int
    reports: int
    conflicts: tuple[str, ...] = ()
    claims: tuple[FieldClaim, ...] = ()
    # the confidence of its most confident learned event; None when only rules stated it
    confidence: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the deal as a JSON-ready dict."""
        data = asdict(self)
        data["quantity"] = self.quantity.as_dict() if self.quantity else None
        data["value"] = self.value.as_dict() if self.value else None
        data["delivery_dates"] = list(self.delivery_dates)
        data["conflicts"] = list(self.conflicts)
        data["claims"] = [claim.as_dict() for claim in self.claims]
        return data


@dataclass(frozen=True)
class InputError:
    """An input that could not be read or processed, with the reason in plain words."""

    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"source": ..., "problem": ...}``."""
        return asdict(self)
