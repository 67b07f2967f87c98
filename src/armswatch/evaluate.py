"""Score extracted events against gold annotations, as SCHEMA.md's "How a system is scored" says.

Matching is per document and one-to-one. Gold events are taken most specific first (dated before
undated, more precise dates first, a named supplier before none); each takes the first unmatched
predicted event that agrees on ``type``, ``recipient`` and ``system`` and, where the gold gives
them, on ``supplier`` and on ``date`` at the gold's own precision. Among agreeing candidates the
one that also gets ``status``, ``quantity`` and ``value`` right is preferred. Precision, recall
and F1 count matched events; status, quantity and value are accuracies over the matched pairs;
``published`` is an accuracy over documents.

Predictions are plain dicts in SCHEMA.md's event shape (what ``Event.as_dict()`` returns), so
the JSONL output of any system can be scored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armswatch.model import EVENT_TYPES, date_precision


def identity(name: str) -> str:
    """Return ``name`` unchanged: the default system canonicaliser."""
    return name


@dataclass(frozen=True)
class GoldEvent:
    """One event in SCHEMA.md's shape, from the gold file or from a prediction."""

    type: str
    status: str | None
    supplier: str | None
    recipient: str | None
    system: str
    date: str | None
    quantity: dict[str, Any] | None = field(default=None, hash=False)
    value: dict[str, Any] | None = field(default=None, hash=False)
    evidence: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GoldEvent:
        """Build an event from a SCHEMA-shaped dict; unknown keys are ignored."""
        quantity = data.get("quantity")
        value = data.get("value")
        return cls(
            type=str(data.get("type") or ""),
            status=_opt_str(data.get("status")),
            supplier=_opt_str(data.get("supplier")),
            recipient=_opt_str(data.get("recipient")),
            system=str(data.get("system") or ""),
            date=_opt_str(data.get("date")),
            quantity=dict(quantity) if isinstance(quantity, Mapping) else None,
            value=dict(value) if isinstance(value, Mapping) else None,
            evidence=_opt_str(data.get("evidence")),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the event in SCHEMA.md's shape."""
        return {
            "type": self.type, "status": self.status, "supplier": self.supplier,
            "recipient": self.recipient, "system": self.system, "date": self.date,
            "quantity": self.quantity, "value": self.value, "evidence": self.evidence,
        }


@dataclass(frozen=True)
class GoldDocument:
    """One annotated page: the input fields and the answers."""

    id: str
    url: str | None
    meta: dict[str, Any] = field(hash=False)
    text: str
    published: str | None
    title: str | None
    events: tuple[GoldEvent, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the document as a JSON-ready dict."""
        return {
            "id": self.id, "url": self.url, "meta": self.meta, "text": self.text,
            "published": self.published, "title": self.title,
            "events": [event.as_dict() for event in self.events],
        }


@dataclass(frozen=True)
class Prediction:
    """What a system said about one document: its publication date and events (SCHEMA dicts)."""

    id: str
    published: str | None
    events: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prediction:
        """Build a prediction from ``{"id", "published", "events": [...]}``."""
        events = data.get("events") or ()
        return cls(
            id=str(data["id"]),
            published=_opt_str(data.get("published")),
            events=tuple(dict(event) for event in events),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the prediction as a JSON-ready dict."""
        return {"id": self.id, "published": self.published, "events": list(self.events)}


@dataclass(frozen=True)
class Miss:
    """A gold event that no predicted event matched."""

    doc_id: str
    event: GoldEvent
    nearest: GoldEvent | None = None  # the closest unmatched prediction with the same system
    why: str | None = None  # what kept ``nearest`` from matching

    kind = "miss"

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"kind": "miss", "doc_id", "event", "nearest", "why"}``."""
        return {
            "kind": self.kind, "doc_id": self.doc_id, "event": self.event.as_dict(),
            "nearest": self.nearest.as_dict() if self.nearest else None, "why": self.why,
        }


@dataclass(frozen=True)
class Spurious:
    """A predicted event that matched no gold event."""

    doc_id: str
    event: GoldEvent

    kind = "spurious"

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"kind": "spurious", "doc_id", "event"}``."""
        return {"kind": self.kind, "doc_id": self.doc_id, "event": self.event.as_dict()}


@dataclass(frozen=True)
class Mismatch:
    """A matched pair that disagrees on ``status``, ``quantity`` or ``value``."""

    doc_id: str
    field: str
    gold_value: Any
    predicted_value: Any
    gold: GoldEvent
    predicted: GoldEvent

    kind = "mismatch"

    def as_dict(self) -> dict[str, Any]:
        """Return the mismatch as a JSON-ready dict."""
        return {
            "kind": self.kind, "doc_id": self.doc_id, "field": self.field,
            "gold_value": self.gold_value, "predicted_value": self.predicted_value,
            "gold": self.gold.as_dict(), "predicted": self.predicted.as_dict(),
        }


ScoreError = Miss | Spurious | Mismatch


@dataclass(frozen=True)
class Score:
    """The result of scoring: event P/R/F1, field accuracies, per-type figures and errors.

    Accuracies are None when there is nothing to average over (no matched pair).
    """

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    counts: dict[str, int] = field(hash=False)
    status_accuracy: float | None
    quantity_accuracy: float | None
    value_accuracy: float | None
    published_accuracy: float | None
    per_type: dict[str, dict[str, float | int]] = field(hash=False)
    errors: tuple[ScoreError, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the score as a JSON-ready dict, errors included."""
        return {
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "counts": dict(self.counts),
            "status_accuracy": self.status_accuracy,
            "quantity_accuracy": self.quantity_accuracy,
            "value_accuracy": self.value_accuracy,
            "published_accuracy": self.published_accuracy,
            "per_type": {name: dict(row) for name, row in self.per_type.items()},
            "errors": [error.as_dict() for error in self.errors],
        }


# ---------------------------------------------------------------- loading


def load_gold(path: str | Path) -> list[GoldDocument]:
    """Read a gold JSONL file (SCHEMA.md); raise ValueError naming the line of a broken record."""
    documents: list[GoldDocument] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                documents.append(
                    GoldDocument(
                        id=str(data["id"]),
                        url=_opt_str(data.get("url")),
                        meta=dict(data.get("meta") or {}),
                        text=str(data.get("text") or ""),
                        published=_opt_str(data.get("published")),
                        title=_opt_str(data.get("title")),
                        events=tuple(GoldEvent.from_dict(e) for e in data.get("events") or ()),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{number}: bad gold record: {exc}") from exc
    return documents


def load_predictions(path: str | Path) -> dict[str, Prediction]:
    """Read predictions as JSONL of ``{"id", "published", "events"}``, keyed by document id."""
    predictions: dict[str, Prediction] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                prediction = Prediction.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{number}: bad prediction record: {exc}") from exc
            predictions[prediction.id] = prediction
    return predictions


def gold_as_predictions(gold: Iterable[GoldDocument]) -> dict[str, Prediction]:
    """Return the gold answers as predictions (the perfect system), for checks and baselines."""
    return {
        doc.id: Prediction(doc.id, doc.published, tuple(e.as_dict() for e in doc.events))
        for doc in gold
    }


# ---------------------------------------------------------------- matching


def date_agrees(gold: str | None, predicted: str | None) -> bool:
    """Return True when ``predicted`` agrees with ``gold`` at the gold's own precision.

    No gold date agrees with anything; a dated gold needs a predicted date at least as precise
    whose leading parts are the same ("2017-12-05" agrees with "2017-12" and "2017").
    """
    if gold is None:
        return True
    if predicted is None:
        return False
    gold_parts, pred_parts = _date_parts(gold), _date_parts(predicted)
    return len(pred_parts) >= len(gold_parts) and pred_parts[: len(gold_parts)] == gold_parts


def _date_parts(date: str) -> tuple[str, ...]:
    """Return the YYYY, MM, DD parts of an ISO date, numbers normalised ("2017-3" -> 03)."""
    parts = date.strip()[:10].split("-")
    return tuple(p.zfill(2) if p.isdigit() and i else p for i, p in enumerate(parts) if p)


def _code(value: str | None) -> str | None:
    """Return a country or currency code normalised for comparison."""
    return value.strip().upper() if value else None


class _Matcher:
    """The agreement rules, with the system canonicaliser applied once per name."""

    def __init__(self, canonical: Callable[[str], str]) -> None:
        self._canonical = canonical
        self._cache: dict[str, str] = {}

    def system(self, name: str) -> str:
        """Return the canonical, case-folded form of a system name."""
        key = self._cache.get(name)
        if key is None:
            key = " ".join(self._canonical(name.strip()).split()).casefold()
            self._cache[name] = key
        return key

    def failures(self, gold: GoldEvent, pred: GoldEvent) -> list[str]:
        """Return why ``pred`` does not match ``gold`` (empty when it does)."""
        out: list[str] = []
        if gold.type.strip().lower() != pred.type.strip().lower():
            out.append(f"type {pred.type} != {gold.type}")
        if _code(gold.recipient) != _code(pred.recipient):
            out.append(f"recipient {pred.recipient} != {gold.recipient}")
        if self.system(gold.system) != self.system(pred.system):
            out.append(f"system {pred.system} != {gold.system}")
        if gold.supplier is not None and _code(gold.supplier) != _code(pred.supplier):
            out.append(f"supplier {pred.supplier} != {gold.supplier}")
        if not date_agrees(gold.date, pred.date):
            out.append(f"date {pred.date} does not agree with {gold.date}")
        return out

    def agrees(self, gold: GoldEvent, pred: GoldEvent) -> bool:
        """Return True when ``pred`` matches ``gold`` under SCHEMA.md's rules."""
        return not self.failures(gold, pred)


def status_equal(gold: GoldEvent, pred: GoldEvent) -> bool:
    """Return True when the statuses are the same (case-insensitive)."""
    return (gold.status or "").strip().lower() == (pred.status or "").strip().lower()


def quantity_equal(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    """Return True when both quantities are null, or value and unit are equal."""
    if gold is None or pred is None:
        return gold is None and pred is None
    unit_g = str(gold.get("unit") or "").strip().lower()
    unit_p = str(pred.get("unit") or "").strip().lower()
    return _number(gold.get("value")) == _number(pred.get("value")) and unit_g == unit_p


def value_equal(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    """Return True when both values are null, or the currency is equal and amounts within 1%."""
    if gold is None or pred is None:
        return gold is None and pred is None
    amount_g, amount_p = _number(gold.get("amount")), _number(pred.get("amount"))
    if amount_g is None or amount_p is None:
        return amount_g is None and amount_p is None
    same_currency = _code(gold.get("currency")) == _code(pred.get("currency"))
    return same_currency and abs(amount_p - amount_g) <= 0.01 * abs(amount_g)


def _number(value: Any) -> float | None:
    """Return ``value`` as a float, or None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fields_right(gold: GoldEvent, pred: GoldEvent) -> int:
    """Return how many of status, quantity and value ``pred`` gets right."""
    return (
        int(status_equal(gold, pred))
        + int(quantity_equal(gold.quantity, pred.quantity))
        + int(value_equal(gold.value, pred.value))
    )


def match_document(
    gold: Iterable[GoldEvent], predicted: Iterable[GoldEvent], matcher: _Matcher
) -> tuple[list[tuple[GoldEvent, GoldEvent]], list[GoldEvent], list[GoldEvent]]:
    """Match one document's events greedily; return (pairs, missed gold, spurious predictions)."""
    preds = list(predicted)
    order = sorted(gold, key=lambda e: (-date_precision(e.date), e.supplier is None))
    taken = [False] * len(preds)
    pairs: list[tuple[GoldEvent, GoldEvent]] = []
    missed: list[GoldEvent] = []
    for event in order:
        best, best_right = -1, -1
        for index, pred in enumerate(preds):
            if taken[index] or not matcher.agrees(event, pred):
                continue
            right = _fields_right(event, pred)
            if right > best_right:
                best, best_right = index, right
            if right == 3:
                break
        if best < 0:
            missed.append(event)
        else:
            taken[best] = True
            pairs.append((event, preds[best]))
    spurious = [pred for index, pred in enumerate(preds) if not taken[index]]
    return pairs, missed, spurious


# ---------------------------------------------------------------- scoring


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Return precision, recall and F1; 1.0 where there was nothing to find and nothing found."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _same_day(gold: str | None, predicted: str | None) -> bool:
    """Return True when two publication dates name the same day (or both are null)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return gold.strip()[:10] == predicted.strip()[:10]


def _nearest(event: GoldEvent, pool: list[GoldEvent], matcher: _Matcher) -> tuple[
    GoldEvent | None, str | None
]:
    """Return the unmatched prediction closest to a missed gold event and why it missed."""
    best: tuple[int, GoldEvent, list[str]] | None = None
    for pred in pool:
        if matcher.system(pred.system) != matcher.system(event.system):
            continue
        why = matcher.failures(event, pred)
        if best is None or len(why) < best[0]:
            best = (len(why), pred, why)
    if best is None:
        return None, None
    return best[1], "; ".join(best[2])


def score(
    gold: list[GoldDocument],
    predictions: Mapping[str, Prediction],
    canonical: Callable[[str], str] = identity,
) -> Score:
    """Score ``predictions`` (by document id) against ``gold`` as SCHEMA.md describes.

    ``canonical`` maps a system name or alias to its canonical name; it is applied to both sides
    before the case-insensitive comparison. Documents without a prediction count as predicting
    nothing (no events, no published date); predictions for unknown documents are ignored.
    """
    matcher = _Matcher(canonical)
    per_type: dict[str, list[int]] = {}
    errors: list[ScoreError] = []
    tp = fp = fn = status_ok = quantity_ok = value_ok = published_ok = 0
    missing = 0
    predicted_total = 0
    for doc in gold:
        prediction = predictions.get(doc.id)
        if prediction is None:
            missing += 1
            prediction = Prediction(doc.id, None, ())
        published_ok += _same_day(doc.published, prediction.published)
        predicted = [GoldEvent.from_dict(e) for e in prediction.events]
        predicted_total += len(predicted)
        pairs, missed, spurious = match_document(doc.events, predicted, matcher)
        tp, fp, fn = tp + len(pairs), fp + len(spurious), fn + len(missed)
        for gold_event, pred in pairs:
            per_type.setdefault(gold_event.type, [0, 0, 0])[0] += 1
            checks = (
                ("status", status_equal(gold_event, pred), gold_event.status, pred.status),
                ("quantity", quantity_equal(gold_event.quantity, pred.quantity),
                 gold_event.quantity, pred.quantity),
                ("value", value_equal(gold_event.value, pred.value),
                 gold_event.value, pred.value),
            )
            status_ok += checks[0][1]
            quantity_ok += checks[1][1]
            value_ok += checks[2][1]
            errors.extend(
                Mismatch(doc.id, name, gold_value, pred_value, gold_event, pred)
                for name, ok, gold_value, pred_value in checks
                if not ok
            )
        for event in spurious:
            per_type.setdefault(event.type, [0, 0, 0])[1] += 1
            errors.append(Spurious(doc.id, event))
        for event in missed:
            per_type.setdefault(event.type, [0, 0, 0])[2] += 1
            nearest, why = _nearest(event, spurious, matcher)
            errors.append(Miss(doc.id, event, nearest, why))
    precision, recall, f1 = _prf(tp, fp, fn)
    gold_ids = {doc.id for doc in gold}
    counts = {
        "documents": len(gold),
        "documents_without_prediction": missing,
        "predictions_not_in_gold": sum(1 for key in predictions if key not in gold_ids),
        "gold_events": tp + fn,
        "predicted_events": predicted_total,
        "matched": tp,
    }
    return Score(
        precision=precision, recall=recall, f1=f1, tp=tp, fp=fp, fn=fn, counts=counts,
        status_accuracy=status_ok / tp if tp else None,
        quantity_accuracy=quantity_ok / tp if tp else None,
        value_accuracy=value_ok / tp if tp else None,
        published_accuracy=published_ok / len(gold) if gold else None,
        per_type=_type_table(per_type),
        errors=tuple(errors),
    )


def _type_table(raw: dict[str, list[int]]) -> dict[str, dict[str, float | int]]:
    """Return per-type P/R/F1 rows, in SCHEMA.md's type order, unknown types last."""
    ranked = sorted(
        raw, key=lambda t: (EVENT_TYPES.index(t) if t in EVENT_TYPES else len(EVENT_TYPES), t)
    )
    table: dict[str, dict[str, float | int]] = {}
    for name in ranked:
        tp, fp, fn = raw[name]
        precision, recall, f1 = _prf(tp, fp, fn)
        table[name] = {
            "precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
        }
    return table


# ---------------------------------------------------------------- report


def _pct(value: float | None) -> str:
    """Return a ratio as a percentage with one decimal, or "n/a"."""
    return "n/a" if value is None else f"{100 * value:5.1f}%"


def _event_line(event: GoldEvent) -> str:
    """Return an event's fields on one line."""
    quantity = event.quantity and f"{event.quantity.get('value')} {event.quantity.get('unit')}"
    value = event.value and f"{event.value.get('amount')} {event.value.get('currency')}"
    return (
        f"{event.type}/{event.status} {event.supplier or '-'} -> {event.recipient or '-'} "
        f"{event.system} date={event.date or '-'} qty={quantity or '-'} value={value or '-'}"
    )


def format_report(score: Score, errors: bool = False) -> str:
    """Return a human-readable report: totals, per-type table, and with ``errors`` every error."""
    counts = score.counts
    lines = [
        f"documents {counts.get('documents', 0)} "
        f"(without prediction: {counts.get('documents_without_prediction', 0)}), "
        f"gold events {counts.get('gold_events', 0)}, "
        f"predicted events {counts.get('predicted_events', 0)}",
        f"events    precision {_pct(score.precision)}  recall {_pct(score.recall)}  "
        f"F1 {_pct(score.f1)}  (tp {score.tp}, fp {score.fp}, fn {score.fn})",
        f"matched   status {_pct(score.status_accuracy)}  quantity "
        f"{_pct(score.quantity_accuracy)}  value {_pct(score.value_accuracy)}",
        f"published {_pct(score.published_accuracy)} of documents",
        "",
        f"{'type':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'tp':>6}{'fp':>6}{'fn':>6}",
    ]
    for name, row in score.per_type.items():
        lines.append(
            f"{name:<14}{_pct(row['precision']):>10}{_pct(row['recall']):>10}"
            f"{_pct(row['f1']):>10}{row['tp']:>6}{row['fp']:>6}{row['fn']:>6}"
        )
    if errors:
        for title, kind in (("Missed", Miss), ("Spurious", Spurious), ("Field errors", Mismatch)):
            items = [error for error in score.errors if isinstance(error, kind)]
            lines += ["", f"{title} ({len(items)}):"]
            lines += [_error_lines(error) for error in items]
    return "\n".join(lines) + "\n"


def _error_lines(error: ScoreError) -> str:
    """Return one error as one or more indented report lines."""
    if isinstance(error, Mismatch):
        return (
            f"  [{error.doc_id}] {error.field}: predicted {error.predicted_value!r}, "
            f"gold {error.gold_value!r} in {_event_line(error.gold)}\n"
            f"      \"{error.gold.evidence or ''}\""
        )
    text = f"  [{error.doc_id}] {_event_line(error.event)}\n      \"{error.event.evidence or ''}\""
    if isinstance(error, Miss) and error.nearest is not None:
        text += f"\n      nearest: {_event_line(error.nearest)} ({error.why})"
    return text


def _opt_str(value: Any) -> str | None:
    """Return ``value`` as a string, or None for null and empty strings."""
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None
