"""The learned extractor: models trained on annotated pages decide, for each candidate
(``armswatch.candidates``), whether it states an event, its type and status, and which state
receives and which supplies. The rules' events, triggers and roles are among its features.

Quantities and values come from the rules' resolvers (``armswatch.extract.terms``); a fifth
model picks each event's date among the options its sentence offers (``armswatch.learn.dates``).
A model is a directory with ``model.json``: the weights of the five linear models and the
metadata (training data hash, cross-validation scores, features, date, threshold).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from armswatch.candidates import SOVIET_UNION, ArticleCandidates, article_candidates
from armswatch.extract import extract_events, title_doc
from armswatch.extract.context import Trigger
from armswatch.extract.terms import event_date, own_value, quantity_of
from armswatch.learn.dates import NO_DATE, date_features, date_options
from armswatch.learn.features import NULL_STATE, View, event_features, party_features, views
from armswatch.learn.linear import LinearModel
from armswatch.model import Article, Event, Evidence, Money, Quantity
from armswatch.nlp.dates import is_future
from armswatch.nlp.gazetteer import Gazetteer, load_gazetteer

NONE = "none"  # the type classifier's "no event"
EVENT_TYPES = ("talks", "order", "delivery", "deployment", "cancellation")
STORE_FLOOR = 0.05  # events below this confidence are not worth storing
MODEL_FILE = "model.json"


@dataclass(frozen=True)
class LearnedModel:
    """The five decisions and the metadata of a trained model."""

    event_type: LinearModel  # none or one of EVENT_TYPES
    status: LinearModel  # happened or expected
    recipient: LinearModel  # is this state the recipient (0/1)
    supplier: LinearModel  # is this state (or NULL_STATE) the supplier (0/1)
    date: LinearModel  # is this option (``armswatch.learn.dates``) the event's date (0/1)
    metadata: dict[str, Any]

    @property
    def threshold(self) -> float:
        """The confidence at or above which events are reported (chosen on cross-validation)."""
        return float(self.metadata.get("threshold", 0.5))

    def as_dict(self) -> dict[str, Any]:
        """Return the model as a JSON-ready dict."""
        return {
            "metadata": self.metadata,
            "event_type": self.event_type.as_dict(),
            "status": self.status.as_dict(),
            "recipient": self.recipient.as_dict(),
            "supplier": self.supplier.as_dict(),
            "date": self.date.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearnedModel:
        """Build a model from ``as_dict()`` output."""
        return cls(
            event_type=LinearModel.from_dict(data["event_type"]),
            status=LinearModel.from_dict(data["status"]),
            recipient=LinearModel.from_dict(data["recipient"]),
            supplier=LinearModel.from_dict(data["supplier"]),
            date=LinearModel.from_dict(data["date"]),
            metadata=dict(data.get("metadata") or {}),
        )

    def save(self, directory: str | Path) -> Path:
        """Write the model to ``directory/model.json``; return the file's path."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        target = path / MODEL_FILE
        target.write_text(json.dumps(self.as_dict(), indent=0, sort_keys=True) + "\n", "utf-8")
        return target


def load_model(directory: str | Path | None = None) -> LearnedModel:
    """Read a model directory (``armswatch train --output``); without one, the shipped model."""
    if directory is None:
        return _shipped_model()
    path = Path(directory)
    path = path / MODEL_FILE if path.is_dir() else path
    try:
        data = json.loads(path.read_text("utf-8"))
        return LearnedModel.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not an armswatch model ({error})") from error


@cache
def _shipped_model() -> LearnedModel:
    text = resources.files("armswatch.learn").joinpath("shipped", MODEL_FILE).read_text("utf-8")
    return LearnedModel.from_dict(json.loads(text))


def candidates_of(article: Article, doc: Doc, gazetteer: Gazetteer) -> ArticleCandidates:
    """Return the candidates of an annotated article."""
    title = title_doc(article.title) if article.title else None
    return article_candidates(doc, title, article.published, gazetteer)


def learned_events(
    article: Article,
    doc: Doc,
    model: LearnedModel,
    gazetteer: Gazetteer | None = None,
    floor: float = STORE_FLOOR,
) -> list[Event]:
    """Return the events the model finds in an annotated article, each with its confidence,
    one per distinct fact, those at or above ``floor``."""
    gazetteer = gazetteer or load_gazetteer()
    rules = extract_events(article, doc, gazetteer)
    candidates = candidates_of(article, doc, gazetteer)
    found = []
    for view in views(candidates, rules, {}):
        found.extend(decide(article, candidates, view, model, floor))
    return merge_facts(found)


def decide(
    article: Article, candidates: ArticleCandidates, view: View, model: LearnedModel,
    floor: float = STORE_FLOOR,
) -> list[Event]:
    """The events a candidate states, as the model sees them: each type and recipient whose
    joint confidence reaches ``floor`` (a sentence may report an order and its delivery, or
    one order by two states)."""
    features = event_features(candidates, view)
    types = model.event_type.probabilities(features)
    found = []
    for event_type, p_type in types.items():
        if event_type == NONE or p_type < floor:
            continue
        ranked = _ranked(candidates, view, model.recipient, event_type, "recipient",
                         exclude=SOVIET_UNION)  # a supplier of the past, never a recipient
        recipients = [
            (state, p) for rank, (p, state) in enumerate(ranked)
            if p_type * p >= floor and (rank == 0 or p >= 0.5)
        ]
        for recipient, p_recipient in recipients:
            suppliers = _ranked(
                candidates, view, model.supplier, event_type, "supplier", exclude=recipient,
                null=True,
            )
            supplier = suppliers[0][1] if suppliers and suppliers[0][1] != NULL_STATE else None
            status = dict(features)
            status[f"type={event_type}"] = 1
            expected = model.status.probability(status, "expected") >= 0.5
            found.append(_event(article, view, model, event_type, expected, recipient,
                                supplier, round(p_type * p_recipient, 4)))
    return found


def _ranked(
    candidates: ArticleCandidates,
    view: View,
    ranker: LinearModel,
    event_type: str,
    role: str,
    exclude: str | None = None,
    null: bool = False,
) -> list[tuple[float, str]]:
    """The candidate states for a role, most probable first."""
    options = [state for state in view.candidate.states if state != exclude]
    if null:
        options.append(NULL_STATE)
    return sorted(
        (
            (ranker.probability(party_features(candidates, view, s, event_type, role), "1"), s)
            for s in options
        ),
        reverse=True,
    )


def rules_terms(
    article: Article, view: View, event_type: str, expected: bool
) -> tuple[str | None, Quantity | None, Money | None]:
    """The date, quantity and value the rules give an event of ``event_type`` stated by a
    candidate: those of the rules' own event where there is one, else their resolvers'."""
    same = next((e for e in view.rules if e.type == event_type), None)
    if same is not None:
        return same.date, same.quantity, same.value
    sentence, mention = view.sentence, view.mention
    trigger = view.trigger or Trigger(sentence.root, event_type)
    date = event_date(sentence, trigger, article.published, expected)
    quantity = quantity_of(sentence, mention, trigger)
    value = own_value(sentence, mention) if event_type in {"order", "talks"} else None
    return date, quantity, value


def choose_date(
    ranker: LinearModel,
    article: Article,
    view: View,
    event_type: str,
    expected: bool,
    rules_date: str | None,
) -> str | None:
    """The date the ranker finds likeliest among the options the sentence offers."""
    options = date_options(view.sentence, article.published, expected, rules_date)
    best = max(
        options,
        key=lambda option: ranker.probability(
            date_features(option, view.sentence, view.trigger, event_type, expected,
                          article.published), "1",
        ),
    )
    return best.value if best.value != NO_DATE else None


def _event(
    article: Article,
    view: View,
    model: LearnedModel,
    event_type: str,
    expected: bool,
    recipient: str,
    supplier: str | None,
    confidence: float,
) -> Event:
    date, quantity, value = rules_terms(article, view, event_type, expected)
    date = choose_date(model.date, article, view, event_type, expected, date)
    expected = expected or is_future(date, article.published)
    sentence = view.sentence
    stated = sentence.text.strip()
    start = sentence.start_char + sentence.text.index(stated)
    return Event(
        type=event_type,
        status="expected" if expected else "happened",
        supplier=supplier,
        recipient=recipient,
        system=view.candidate.mention.system,
        date=date,
        quantity=quantity,
        value=value,
        evidence=Evidence(article.id, start, start + len(stated), stated),
        confidence=confidence,
    )


def merge_facts(events: Iterable[Event]) -> list[Event]:
    """One event per fact: the most confident statement of each (type, system, recipient),
    dated by the most confident statement that gives a date. (Statements of one fact often
    differ in what they say of the supplier; the most confident one decides.)"""
    best: dict[tuple[str, str, str | None], Event] = {}
    dated: dict[tuple[str, str, str | None], Event] = {}
    for event in sorted(events, key=lambda e: -(e.confidence or 0.0)):
        key = (event.type, event.system.casefold(), event.recipient)
        best.setdefault(key, event)
        if event.date:
            dated.setdefault(key, event)
    merged = []
    for key, event in best.items():
        if event.date is None and key in dated:
            event = replace(event, date=dated[key].date)
        merged.append(event)
    return sorted(merged, key=lambda e: (e.evidence.start, e.type, e.system))
