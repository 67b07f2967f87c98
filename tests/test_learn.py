"""The candidates stage and the learned extractor: JSON weights, training, the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from armswatch.candidates import article_candidates
from armswatch.cli import main
from armswatch.learn import LearnedModel, learned_events, load_model, merge_facts
from armswatch.learn.dates import NO_DATE, date_options
from armswatch.learn.linear import LinearModel, fit
from armswatch.model import Article, Event, Evidence
from armswatch.nlp import load_nlp
from armswatch.nlp.gazetteer import load_gazetteer


def _candidates(text: str, title: str | None = None, published: str | None = "2023-05-01"):
    nlp = load_nlp()
    return article_candidates(nlp(text), nlp(title) if title else None, published,
                              load_gazetteer())


def _systems(text: str) -> list[tuple[str, str]]:
    return [(c.mention.system, c.mention.kind) for c in _candidates(text).candidates]


def test_candidates_name_gazetteer_systems_designations_and_generic_descriptions() -> None:
    found = _systems(
        "Poland signed for K2 tanks, the XR-44 drone and six conventional submarines, and "
        "the navy wants new air defence systems."
    )
    assert ("K2", "listed") in found
    assert ("XR-44", "designation") in found
    assert ("submarines", "generic") in found  # the table's name for the description
    assert ("air defense system", "generic") in found
    assert not any(system == "navy" for system, _ in found)


def test_a_deal_named_by_its_weapon_describes_that_weapon() -> None:
    assert ("submarines", "generic") in _systems("France lost the submarine deal to the US.")


def test_a_generic_table_entry_does_not_swallow_a_noun_before_it() -> None:
    found = _systems("Bangladesh bought tank engines from China.")
    assert ("jet engine technology", "generic") not in found


def test_a_sentence_about_the_parties_alone_is_about_the_system_just_named() -> None:
    article = _candidates(
        "India is negotiating for the Rafale M jets. France and India met again this week."
    )
    second = [c for c in article.candidates if c.sentence == 1]
    assert [c.mention.system for c in second] == ["Rafale"]
    assert second[0].mention.kind == "context"


def test_candidate_states_come_from_the_neighbourhood_title_home_and_origin() -> None:
    article = _candidates(
        "The navy chief spoke on Monday. Officials said the Rafale M deal is close.",
        title="India and France near a naval jet deal",
    )
    (rafale,) = [c for c in article.candidates if c.mention.system == "Rafale"]
    assert {"IND", "FRA"} <= set(rafale.states)  # from the title and the origin
    assert article.title_states == ("IND", "FRA")


def test_a_linear_model_gives_sklearns_probabilities_from_json_weights() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [{"a": 1.0}, {"a": 1.0, "b": 1.0}, {"b": 1.0}, {"c": 1.0}, {"a": 1.0, "c": 1.0}]
    for labels in (["x", "x", "y", "y", "x"], ["x", "y", "z", "z", "x"]):
        model = LinearModel.from_dict(json.loads(json.dumps(fit(rows, labels).as_dict())))
        vectorizer = DictVectorizer()
        matrix = vectorizer.fit_transform(rows)
        reference = LogisticRegression(C=1.0, max_iter=3000).fit(matrix, labels)
        for row, expected in zip(rows, reference.predict_proba(matrix), strict=True):
            got = model.probabilities(row)
            for label, p in zip(reference.classes_, expected, strict=True):
                assert got[label] == pytest.approx(p, abs=1e-4)


def test_fitting_needs_two_classes() -> None:
    with pytest.raises(ValueError, match="one class"):
        fit([{"a": 1.0}], ["x"])


def _event(system: str, confidence: float, date: str | None, start: int) -> Event:
    return Event("order", "happened", "RUS", "IND", system, date, None, None,
                 Evidence("a", start, start + 5, "text"), confidence)


def test_merging_keeps_the_most_confident_statement_of_a_fact_dated_where_one_is() -> None:
    merged = merge_facts([
        _event("S-400", 0.9, None, 0), _event("S-400", 0.4, "2018", 10),
        _event("S-400", 0.3, "2019", 20), _event("Su-30", 0.2, None, 30),
    ])
    assert [(e.system, e.confidence, e.date) for e in merged] == [
        ("S-400", 0.9, "2018"), ("Su-30", 0.2, None)
    ]


def test_the_shipped_model_loads_from_json_and_carries_its_metadata() -> None:
    model = load_model()
    meta = model.metadata
    assert {"data_sha256", "trained", "cross_validation", "features", "threshold"} <= set(meta)
    assert 0 < model.threshold < 1
    assert meta["cross_validation"]["folds"] == 5
    assert model.event_type.classes[0] != model.event_type.classes[1]


def test_the_learned_extractor_finds_our_sample_order_with_a_confidence() -> None:
    text = ("India signed a $5.4 billion contract with Russia on Friday for five regiments of "
            "the S-400 air defence system, officials said.")
    article = Article("a", "p", "n", None, "India and Russia sign S-400 deal", "2018-10-06",
                      None, "en", text)
    events = learned_events(article, load_nlp()(text), load_model())
    orders = [e for e in events if e.type == "order" and e.system == "S-400"]
    assert orders and orders[0].recipient == "IND" and orders[0].supplier == "RUS"
    assert orders[0].date == "2018-10-05"
    assert all(0 <= (e.confidence or 0) <= 1 for e in events)


PAGES = [
    ("t1", "India signed a contract with Russia for ten Su-30 jets in 2019.", "2023-01-02",
     [("order", "happened", "RUS", "IND", "Su-30", "2019")]),
    ("t2", "Russia delivered the first S-400 squadron to India last month.", "2022-01-10",
     [("delivery", "happened", "RUS", "IND", "S-400", "2021-12")]),
    ("t3", "The Philippines will receive BrahMos missiles from India next year.", "2023-03-01",
     [("delivery", "expected", "IND", "PHL", "BrahMos", "2024")]),
    ("t4", "Poland is in talks with South Korea about more K2 tanks.", "2023-02-01",
     [("talks", "happened", "KOR", "POL", "K2", None)]),
    ("t5", "The K9 howitzer was displayed at a trade fair in Seoul.", "2023-02-01", []),
    ("t6", "Egypt wants to buy Rafale jets from France, officials said.", "2023-04-01",
     [("talks", "happened", "FRA", "EGY", "Rafale", None)]),
]


def _write_pages(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for name, text, published, events in PAGES:
            out.write(json.dumps({
                "id": name, "url": None, "meta": {"published": published}, "text": text,
                "published": published, "title": None,
                "events": [
                    {"type": t, "status": s, "supplier": sup, "recipient": rec, "system": sy,
                     "date": d, "quantity": None, "value": None, "evidence": text}
                    for t, s, sup, rec, sy, d in events
                ],
            }) + "\n")
    return path


def test_train_writes_a_model_deterministically_and_extract_uses_it(tmp_path: Path) -> None:
    pages = _write_pages(tmp_path / "train.jsonl")
    runner = CliRunner()
    for out in ("one", "two"):
        result = runner.invoke(main, ["train", str(pages), "--output", str(tmp_path / out),
                                      "--no-cv"])
        assert result.exit_code == 0, result.output
    one = (tmp_path / "one" / "model.json").read_text()
    assert one == (tmp_path / "two" / "model.json").read_text()
    model = LearnedModel.from_dict(json.loads(one))
    assert model.metadata["pages"] == len(PAGES) and len(model.metadata["data_sha256"]) == 64
    result = runner.invoke(main, ["extract", "--model", str(tmp_path / "one"),
                                  "--min-confidence", "0", "--workers", "1", str(pages)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(lines) == len(PAGES)
    assert all(isinstance(e["confidence"], float) for line in lines for e in line["events"])


def test_a_model_directory_that_is_not_a_model_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text("{not json")
    result = CliRunner().invoke(main, ["extract", "--model", str(tmp_path), str(tmp_path)])
    assert result.exit_code != 0
    assert "not an armswatch model" in result.output and str(tmp_path) in result.output


def test_learned_ingest_stores_confidences_and_the_threshold_rebuilds_deals(
    tmp_path: Path, examples_dir: Path
) -> None:
    import sqlite3

    from fastapi.testclient import TestClient

    from armswatch.web import create_app

    db = tmp_path / "learned.db"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(examples_dir), "--extractor", "learned",
                                  "--workers", "1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as con:
        confidences = [row[0] for row in con.execute("SELECT confidence FROM events")]
        stored = con.execute("SELECT value FROM settings WHERE key = 'min_confidence'").fetchone()
    assert confidences and all(c is not None and 0 <= c <= 1 for c in confidences)
    assert float(stored[0]) == load_model().threshold
    low = min(confidences)
    assert low < load_model().threshold  # the store keeps events below the threshold too

    def deals(*options: str) -> list[dict[str, object]]:
        out = runner.invoke(main, ["deals", "--json", "--db", str(db), *options])
        assert out.exit_code == 0, out.output
        return json.loads(out.output)  # type: ignore[no-any-return]

    default = deals()
    assert default and all(isinstance(d["confidence"], float) for d in default)
    assert all(d["confidence"] >= load_model().threshold for d in default)  # type: ignore[operator]
    assert deals("--min-confidence", "1") == []  # no re-ingest: the deals are rebuilt
    everything = deals("--min-confidence", "0")
    assert len(everything) >= len(default)
    with TestClient(create_app(db)) as client:
        page = client.get("/deals").text
    assert "Confidence" in page and f"{everything[0]['confidence']:.2f}" in page


def test_date_options_are_the_stated_dates_the_rules_pick_the_report_month_and_none() -> None:
    sentence = next(iter(load_nlp()(
        "India signed the contract in October 2018 and the first unit arrived last July."
    ).sents))
    options = date_options(sentence, "2019-11-20", expected=False, rules_date="2018-10")
    by_value = {option.value: option.sources for option in options}
    assert by_value["2018-10"] == ("stated", "rules")
    assert by_value["2019-07"] == ("stated",)
    assert by_value["2019-11"] == ("published",)
    assert by_value[NO_DATE] == ("none",)
    future = date_options(sentence, "2019-11-20", expected=True, rules_date=None)
    assert "2020-07" in {option.value for option in future}  # "next July" for what is expected


def test_the_shipped_date_ranker_keeps_stated_dates_and_dates_ongoing_talks_by_the_report() -> None:
    model, nlp = load_model(), load_nlp()

    def dates(text: str, kind: str) -> set[str | None]:
        article = Article("a", "p", "n", None, None, "2023-05-13", None, "en", text)
        return {e.date for e in learned_events(article, nlp(text), model, floor=0.0)
                if e.type == kind}

    assert dates("The Indian Air Force ordered 36 Rafale jets from France in 2016.",
                 "order") == {"2016"}
    assert dates("India is in talks with France on the purchase of 26 Rafale M jets.",
                 "talks") == {"2023-05"}


def test_a_soviet_designed_system_may_have_come_from_the_soviet_union() -> None:
    article = _candidates("India operates the T-72 tanks and the Rafale jets.")
    states = {c.mention.system: c.states for c in article.candidates}
    assert "SUN" in states["T-72"]  # Russian origin: perhaps supplied before 1992
    assert "SUN" not in states["Rafale"]


def test_the_shipped_supplier_ranker_dates_soviet_transfers_by_the_era() -> None:
    model, nlp = load_model(), load_nlp()

    def suppliers(text: str) -> set[str | None]:
        article = Article("a", "p", "n", None, None, "2023-05-13", None, "en", text)
        events = learned_events(article, nlp(text), model, floor=0.0)
        assert all(e.recipient != "SUN" for e in events)  # a supplier of the past only
        return {e.supplier for e in events if e.system == "MiG-29" and e.recipient == "IND"}

    assert "SUN" in suppliers(
        "The Indian Air Force inducted its first MiG-29 fighters from the Soviet Union in 1987."
    )
    assert suppliers("Russia delivered the last MiG-29K fighters to India in 2022.") <= {"RUS"}
