"""Tests for armswatch.evaluate: the SCHEMA.md matching rules, the figures and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armswatch.evaluate import (
    GoldDocument,
    GoldEvent,
    Mismatch,
    Miss,
    Prediction,
    Spurious,
    date_agrees,
    format_report,
    gold_as_predictions,
    load_gold,
    load_predictions,
    score,
)
from armswatch.model import Event, Evidence, Money, Quantity

DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev.jsonl"


def ev(**fields: Any) -> dict[str, Any]:
    """An event dict in SCHEMA shape; defaults describe one made-up order."""
    base: dict[str, Any] = {
        "type": "order", "status": "happened", "supplier": "FRA", "recipient": "GRC",
        "system": "Rafale", "date": None, "quantity": None, "value": None,
        "evidence": "Greece signed for the fighters.",
    }
    base.update(fields)
    return base


def doc(doc_id: str, events: list[dict[str, Any]], published: str | None = None) -> GoldDocument:
    return GoldDocument(
        id=doc_id, url=None, meta={}, text="", published=published, title=None,
        events=tuple(GoldEvent.from_dict(e) for e in events),
    )


def pred(doc_id: str, events: list[dict[str, Any]], published: str | None = None) -> Prediction:
    return Prediction(doc_id, published, tuple(events))


def tp_of(gold_events: list[dict[str, Any]], predicted: list[dict[str, Any]], **kw: Any) -> int:
    return score([doc("d", gold_events)], {"d": pred("d", predicted)}, **kw).tp


# ------------------------------------------------------------------ the agreement rules


@pytest.mark.parametrize(
    ("gold", "predicted", "agrees"),
    [
        ("2017-12", "2017-12-05", True),
        ("2017", "2017-12-05", True),
        ("2017", "2017-12", True),
        ("2017-12-05", "2017-12-05", True),
        ("2017-12", "2017", False),
        ("2017-12-05", "2017-12", False),
        ("2017-12", "2017-11-30", False),
        ("2017", "2018", False),
        ("2017", None, False),
        (None, "2017-12-05", True),
        (None, None, True),
        ("2017-03", "2017-3", True),
    ],
)
def test_date_agrees_at_gold_precision(gold: str | None, predicted: str | None,
                                       agrees: bool) -> None:
    assert date_agrees(gold, predicted) is agrees
    assert tp_of([ev(date=gold)], [ev(date=predicted)]) == int(agrees)


def test_type_recipient_system_must_agree() -> None:
    assert tp_of([ev()], [ev(type="delivery")]) == 0
    assert tp_of([ev()], [ev(recipient="CYP")]) == 0
    assert tp_of([ev()], [ev(system="Mirage 2000")]) == 0
    assert tp_of([ev(recipient=None)], [ev(recipient="GRC")]) == 0  # recipient is not optional
    assert tp_of([ev()], [ev(system="RAFALE", recipient="grc")]) == 1  # case-insensitive


def test_supplier_only_where_gold_gives_it() -> None:
    assert tp_of([ev(supplier="FRA")], [ev(supplier="USA")]) == 0
    assert tp_of([ev(supplier="FRA")], [ev(supplier=None)]) == 0
    assert tp_of([ev(supplier=None)], [ev(supplier="FRA")]) == 1
    assert tp_of([ev(supplier=None)], [ev(supplier=None)]) == 1


def test_status_quantity_value_do_not_block_a_match() -> None:
    result = score(
        [doc("d", [ev(status="happened", quantity={"value": 6, "unit": "aircraft"})])],
        {"d": pred("d", [ev(status="expected", quantity={"value": 8, "unit": "aircraft"})])},
    )
    assert (result.tp, result.fp, result.fn) == (1, 0, 0)
    assert result.status_accuracy == 0.0 and result.quantity_accuracy == 0.0
    assert result.value_accuracy == 1.0
    mismatches = [e for e in result.errors if isinstance(e, Mismatch)]
    assert sorted(m.field for m in mismatches) == ["quantity", "status"]


def test_alias_canonicalisation_through_the_callable() -> None:
    aliases = {"super hornet": "F/A-18", "f-18": "F/A-18", "sa-21": "S-400"}

    def canonical(name: str) -> str:
        return aliases.get(name.lower(), name)

    gold = [ev(system="F/A-18"), ev(system="S-400", supplier="RUS", type="delivery")]
    predicted = [ev(system="Super Hornet"), ev(system="SA-21", supplier="RUS", type="delivery")]
    assert tp_of(gold, predicted) == 0
    assert tp_of(gold, predicted, canonical=canonical) == 2


# ------------------------------------------------------------------ one-to-one, greedy


def test_one_to_one() -> None:
    two_gold = score([doc("d", [ev(), ev()])], {"d": pred("d", [ev()])})
    assert (two_gold.tp, two_gold.fp, two_gold.fn) == (1, 0, 1)
    two_pred = score([doc("d", [ev()])], {"d": pred("d", [ev(), ev()])})
    assert (two_pred.tp, two_pred.fp, two_pred.fn) == (1, 1, 0)
    assert two_pred.precision == 0.5 and two_pred.recall == 1.0
    assert two_pred.f1 == pytest.approx(2 / 3)


def test_greedy_takes_most_specific_gold_first() -> None:
    # Listed undated first: taken in file order it would grab the dated prediction and leave
    # the dated gold event with nothing. Dated (and more precise) gold events go first.
    gold = [ev(date=None), ev(date="2019"), ev(date="2019-03")]
    predicted = [ev(date="2019-03-02"), ev(date="2019-07"), ev(date=None)]
    assert tp_of(gold, predicted) == 3


def test_prefers_candidate_with_right_fields() -> None:
    gold = [ev(status="expected", value={"amount": 2_000_000_000, "currency": "EUR"})]
    predicted = [
        ev(status="happened"),
        ev(status="expected", value={"amount": 2_010_000_000, "currency": "EUR"}),
    ]
    result = score([doc("d", gold)], {"d": pred("d", predicted)})
    assert result.tp == 1 and result.fp == 1
    assert result.status_accuracy == 1.0 and result.value_accuracy == 1.0
    spurious = [e for e in result.errors if isinstance(e, Spurious)]
    assert [s.event.status for s in spurious] == ["happened"]


@pytest.mark.parametrize(
    ("gold_value", "pred_value", "equal"),
    [
        (None, None, True),
        ({"amount": 1000, "currency": "USD"}, {"amount": 1009.9, "currency": "usd"}, True),
        ({"amount": 1000, "currency": "USD"}, {"amount": 1011, "currency": "USD"}, False),
        ({"amount": 1000, "currency": "USD"}, {"amount": 1000, "currency": "EUR"}, False),
        ({"amount": 1000, "currency": "USD"}, None, False),
    ],
)
def test_value_accuracy(gold_value: Any, pred_value: Any, equal: bool) -> None:
    result = score([doc("d", [ev(value=gold_value)])], {"d": pred("d", [ev(value=pred_value)])})
    assert result.value_accuracy == float(equal)


@pytest.mark.parametrize(
    ("gold_q", "pred_q", "equal"),
    [
        (None, None, True),
        ({"value": 4, "unit": "battery"}, {"value": 4.0, "unit": "Battery"}, True),
        ({"value": 4, "unit": "battery"}, {"value": 4, "unit": "launcher"}, False),
        ({"value": 4, "unit": "battery"}, None, False),
    ],
)
def test_quantity_accuracy(gold_q: Any, pred_q: Any, equal: bool) -> None:
    result = score([doc("d", [ev(quantity=gold_q)])], {"d": pred("d", [ev(quantity=pred_q)])})
    assert result.quantity_accuracy == float(equal)


# ------------------------------------------------------------------ documents


def test_published_accuracy_and_missing_documents() -> None:
    gold = [
        doc("a", [], published="2021-05-04"),
        doc("b", [], published="2021-05-05"),
        doc("c", [], published=None),
        doc("e", [ev()], published="2020-01-01"),
    ]
    predictions = {
        "a": pred("a", [], published="2021-05-04T09:30:00"),
        "b": pred("b", [], published="2021-05-06"),
        "c": pred("c", [], published=None),
        "zzz": pred("zzz", [ev()]),  # not in gold: ignored
    }
    result = score(gold, predictions)
    assert result.published_accuracy == 0.5
    assert result.counts["documents_without_prediction"] == 1
    assert result.counts["predictions_not_in_gold"] == 1
    assert (result.tp, result.fp, result.fn) == (0, 0, 1)
    assert [e.doc_id for e in result.errors if isinstance(e, Miss)] == ["e"]


def test_empty_documents() -> None:
    nothing = score([doc("n", [])], {"n": pred("n", [])})
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 1.0, 1.0)
    assert nothing.status_accuracy is None and nothing.per_type == {}
    noise = score([doc("n", [])], {"n": pred("n", [ev(type="talks")])})
    assert (noise.tp, noise.fp, noise.fn, noise.precision) == (0, 1, 0, 0.0)
    assert noise.per_type["talks"]["fp"] == 1 and noise.per_type["talks"]["precision"] == 0.0


def test_matching_is_per_document() -> None:
    result = score([doc("a", [ev()]), doc("b", [])], {"a": pred("a", []), "b": pred("b", [ev()])})
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)


def test_per_type_and_errors() -> None:
    gold = [
        ev(type="order", date="2018"),
        ev(type="delivery", date="2020-02", quantity={"value": 6, "unit": "aircraft"}),
    ]
    predicted = [ev(type="order", date="2018-06"), ev(type="delivery", date="2021")]
    result = score([doc("d", gold)], {"d": pred("d", predicted)})
    assert result.per_type["order"] == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0,
    }
    assert result.per_type["delivery"]["fn"] == 1 and result.per_type["delivery"]["fp"] == 1
    miss = next(e for e in result.errors if isinstance(e, Miss))
    assert miss.event.date == "2020-02"
    assert miss.nearest is not None and miss.nearest.date == "2021"
    assert miss.why is not None and "date" in miss.why
    as_dict = result.as_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    kinds = sorted(e["kind"] for e in as_dict["errors"])
    assert kinds == ["miss", "spurious"]


def test_model_events_can_be_scored() -> None:
    event = Event(
        type="order", status="happened", supplier="FRA", recipient="GRC", system="Rafale",
        date="2021-01-25", quantity=Quantity(18, "aircraft"), value=Money(2.5e9, "EUR"),
        evidence=Evidence("art", 0, 31, "Greece signed for the fighters."),
    )
    gold = ev(date="2021-01", quantity={"value": 18, "unit": "aircraft"},
              value={"amount": 2_500_000_000, "currency": "EUR"})
    result = score([doc("d", [gold])], {"d": pred("d", [event.as_dict()])})
    assert (result.tp, result.status_accuracy, result.quantity_accuracy,
            result.value_accuracy) == (1, 1.0, 1.0, 1.0)


# ------------------------------------------------------------------ report and files


def test_format_report() -> None:
    gold = [ev(evidence="Greece signed for the fighters."),
            ev(type="talks", system="Meteor", evidence="Talks on missiles went on.")]
    result = score([doc("doc-7", gold)], {"doc-7": pred("doc-7", [ev(type="delivery")])})
    short = format_report(result)
    assert "precision" in short and "talks" in short
    assert "Talks on missiles went on." not in short
    full = format_report(result, errors=True)
    assert "Missed (2)" in full and "Spurious (1)" in full
    assert "[doc-7]" in full and "Talks on missiles went on." in full


def test_load_gold_and_predictions(tmp_path: Path) -> None:
    gold_path = tmp_path / "gold.jsonl"
    record = {
        "id": "g1", "source": "written for the test", "url": "https://example.org/g1",
        "meta": {"title": "T"}, "text": "Greece signed for the fighters.", "notes": "",
        "published": "2021-01-25", "title": "T", "events": [ev(date="2021-01")],
    }
    gold_path.write_text(json.dumps(record) + "\n\n", encoding="utf-8")
    gold = load_gold(gold_path)
    assert [d.id for d in gold] == ["g1"] and gold[0].events[0].date == "2021-01"
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text(
        "\n".join(json.dumps(p.as_dict()) for p in gold_as_predictions(gold).values()) + "\n",
        encoding="utf-8",
    )
    assert score(gold, load_predictions(pred_path)).f1 == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "events": []}\n{"events": [}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_gold(bad)


def test_perfect_prediction_on_dev_scores_one() -> None:
    if not DEV.exists():
        pytest.skip("shared dev set not available")
    gold = load_gold(DEV)
    result = score(gold, gold_as_predictions(gold))
    assert result.counts["gold_events"] > 0
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert result.status_accuracy == result.quantity_accuracy == result.value_accuracy == 1.0
    assert result.published_accuracy == 1.0
    assert result.errors == ()
