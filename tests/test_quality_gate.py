"""The quality gate: extraction on the dev set must not fall below the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armswatch.evaluate import Score, load_gold, score
from armswatch.nlp.gazetteer import load_gazetteer
from armswatch.pipeline import predict

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())


@pytest.fixture(scope="module")
def dev_score(shared_dir: Path) -> Score:
    gold_path = shared_dir / "eval" / "dev.jsonl"
    gold = load_gold(gold_path)
    return score(gold, predict(gold_path), canonical=load_gazetteer().canonical_system)


@pytest.mark.parametrize("metric", [name for name in FLOORS if not name.startswith("_")])
def test_dev_set_metric_stays_above_its_floor(dev_score: Score, metric: str) -> None:
    value = getattr(dev_score, metric)
    assert value is not None and value >= FLOORS[metric], (
        f"{metric} {value:.3f} fell below its floor {FLOORS[metric]:.2f}"
    )


def test_prefilter_drops_no_dev_page_with_a_gold_event(shared_dir: Path) -> None:
    from armswatch.clean import clean
    from armswatch.model import Page
    from armswatch.nlp import load_nlp
    from armswatch.nlp.entities import GazetteerMatcher
    from armswatch.pipeline import MAX_ARTICLE_CHARS, can_give_events
    from armswatch.sources import iter_pages

    gold_path = shared_dir / "eval" / "dev.jsonl"
    with_events = {doc.id for doc in load_gold(gold_path) if doc.events}
    nlp = load_nlp()
    matcher = nlp.get_pipe("armswatch_gazetteer")
    assert isinstance(matcher, GazetteerMatcher)
    passed = {
        page.name for page in iter_pages([gold_path])
        if isinstance(page, Page)
        and can_give_events(
            article := clean(page), nlp.make_doc(article.text[:MAX_ARTICLE_CHARS]), matcher
        )
    }
    assert len(with_events) >= 25
    assert with_events <= passed, sorted(with_events - passed)
