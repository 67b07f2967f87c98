"""The quality gate of the learned extractor: the shipped model's cross-validation figures
(its metadata), its scores on dev.jsonl and the candidates' recall must stay above the floors
pinned in model_floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armswatch.evaluate import Score, load_gold, score
from armswatch.learn import load_model
from armswatch.learn.train import candidate_recall, data_hash, parse_pages
from armswatch.nlp.gazetteer import load_gazetteer
from armswatch.pipeline import SHIPPED, predict

FLOORS = json.loads((Path(__file__).parent / "model_floors.json").read_text())


def test_the_shipped_model_was_trained_on_the_annotated_pages_in_shared(shared_dir: Path) -> None:
    metadata = load_model().metadata
    assert metadata["data_sha256"] == data_hash([shared_dir / "eval" / "train.jsonl"]), (
        "the shipped model is stale: run `make model`"
    )


@pytest.mark.parametrize("metric", ["precision", "recall", "f1"])
def test_cross_validation_in_the_metadata_stays_above_its_floor(metric: str) -> None:
    value = load_model().metadata["cross_validation"][metric]
    floor = FLOORS["cross_validation"][metric]
    assert value >= floor, f"cross-validated {metric} {value:.3f} fell below {floor:.2f}"


@pytest.fixture(scope="module")
def dev_score(shared_dir: Path) -> Score:
    path = shared_dir / "eval" / "dev.jsonl"
    return score(load_gold(path), predict(path, model=SHIPPED), load_gazetteer().canonical_system)


@pytest.mark.parametrize("metric", ["precision", "recall", "f1"])
def test_the_shipped_model_on_dev_stays_above_its_floor(dev_score: Score, metric: str) -> None:
    value = getattr(dev_score, metric)
    floor = FLOORS["dev"][metric]
    assert value >= floor, f"dev {metric} {value:.3f} fell below {floor:.2f}"


def test_candidates_cover_the_gold_events_of_train_and_dev(shared_dir: Path) -> None:
    pages = parse_pages([shared_dir / "eval" / "train.jsonl", shared_dir / "eval" / "dev.jsonl"])
    covered, total = candidate_recall(pages)
    assert total > 900
    assert covered / total >= FLOORS["candidate_recall"], f"{covered} of {total}"
