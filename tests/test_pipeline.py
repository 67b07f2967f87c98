"""Tests for armswatch.pipeline: page -> article -> events, on short articles written here."""

from __future__ import annotations

from typing import Any

import pytest

from armswatch.model import Event, InputError, Money, Page, Quantity, content_hash
from armswatch.pipeline import Result, process, process_many

HEADER = "Defence news\n\nBy Staff Writer\nPublished {published}\n\n"
FOOTER = "\n\nThe officials gave no further details.\n"
K2_SENTENCE = (
    "Poland signed a contract with South Korea in August 2022 for 180 K2 tanks worth "
    "$3.4 billion."
)


def text_page(body: str, published: str = "2022-09-01", name: str = "article.txt") -> Page:
    """A plain-text page dump: a heading, a byline with the date, the body and a closing line."""
    data = (HEADER.format(published=published) + body + FOOTER).encode("utf-8")
    return Page(
        id=content_hash(data), name=name, source=name, url=None, content=data,
        content_type="text",
    )


def test_order_event_with_all_fields() -> None:
    article, events = process(text_page(K2_SENTENCE))
    assert article.published == "2022-09-01"
    assert len(events) == 1
    event = events[0]
    assert (event.type, event.status) == ("order", "happened")
    assert (event.supplier, event.recipient, event.system) == ("KOR", "POL", "K2")
    assert event.date == "2022-08"
    assert event.quantity == Quantity(180, "tank")
    assert event.value == Money(3.4e9, "USD")
    evidence = event.evidence
    assert evidence.article_id == article.id
    assert article.text[evidence.start:evidence.end] == evidence.sentence
    assert evidence.sentence.strip() == K2_SENTENCE


def test_evidence_has_no_trailing_whitespace() -> None:
    follow = "The first tanks are due before the end of the year, officials said on Thursday."
    _, events = process(text_page(K2_SENTENCE + "\n\n" + follow))
    assert [event.evidence.sentence for event in events] == [K2_SENTENCE]


@pytest.mark.parametrize(
    ("published", "sentence", "expected"),
    [
        (
            "2021-12-21",
            "Russia delivered the first S-400 regiment to India in December 2021.",
            ("delivery", "happened", "RUS", "IND", "S-400", "2021-12"),
        ),
        (
            "2021-12-21",
            "Egypt cancelled its order for Su-35 fighters from Russia in 2021.",
            ("cancellation", "happened", "RUS", "EGY", "Su-35", "2021"),
        ),
        (
            "2021-12-21",
            "Greece will sign a contract with France next year for six more Rafale jets.",
            ("order", "expected", "FRA", "GRC", "Rafale", "2022"),
        ),
    ],
)
def test_clear_sentences_give_one_event(
    published: str, sentence: str, expected: tuple[str, ...]
) -> None:
    article, events = process(text_page(sentence, published=published))
    got = [
        (e.type, e.status, e.supplier, e.recipient, e.system, e.date) for e in events
    ]
    assert got == [expected]
    assert article.text[events[0].evidence.start:events[0].evidence.end].strip() == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # Domestic procurement: supplier and recipient are the same state.
        "The Indian Army ordered 100 Pinaka launchers from Larsen & Toubro in March 2021.",
        # Denied or negated transfers.
        "Turkey is not planning to buy the F-35.",
        "Turkey is not planning to buy the F-35 from the United States.",
        # Weapons but no transfer.
        "The S-400 is a long-range air defence system.",
    ],
)
def test_sentences_without_a_transfer_give_no_event(sentence: str) -> None:
    _, events = process(text_page(sentence, published="2021-12-21"))
    assert events == []


def test_process_many_passes_errors_through_in_order() -> None:
    first = text_page(K2_SENTENCE, name="first.txt")
    second = text_page("The S-400 is a long-range air defence system.", name="second.txt")
    error = InputError("broken.jsonl:2", "invalid JSON")
    results = list(process_many([first, error, second], batch_size=4))
    assert len(results) == 3
    assert results[1] is error
    assert isinstance(results[0], Result) and isinstance(results[2], Result)
    assert results[0].page is first and results[2].page is second
    assert [e.system for e in results[0].events] == ["K2"]
    assert results[2].events == ()


def test_process_many_batches_give_the_same_events_as_process() -> None:
    pages = [text_page(K2_SENTENCE, name=f"p{i}.txt") for i in range(3)]
    batched = [r for r in process_many(pages, batch_size=2) if isinstance(r, Result)]
    single: list[Event] = process(pages[0])[1]
    assert len(batched) == 3
    for result in batched:
        assert list(result.events) == single


def test_result_as_dict_shape() -> None:
    page = text_page(K2_SENTENCE, name="k2-record")
    result = next(iter(process_many([page])))
    assert isinstance(result, Result)
    data = result.as_dict()
    assert data["id"] == "k2-record"
    assert data["published"] == "2022-09-01"
    events = data["events"]
    assert isinstance(events, list) and len(events) == 1
    assert events[0]["value"] == {"amount": 3400000000, "currency": "USD"}


def test_one_sentence_record_keeps_its_sentence() -> None:
    data = K2_SENTENCE.encode("utf-8")
    page = Page(
        id=content_hash(data), name="rec-1", source="records.jsonl:1", url=None, content=data,
        content_type="record", meta={"published": "2022-09-01"},
    )
    article, events = process(page)
    assert article.text.strip() == K2_SENTENCE
    assert [(e.type, e.system) for e in events] == [("order", "K2")]


def test_a_page_whose_extraction_fails_becomes_an_error_and_the_rest_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import armswatch.pipeline as pipeline

    real = pipeline.extract_events

    def fragile(article: Any, doc: Any) -> Any:
        if "BREAK" in article.text:
            raise RuntimeError("boom")
        return real(article, doc)

    monkeypatch.setattr(pipeline, "extract_events", fragile)
    good = text_page(K2_SENTENCE, name="good.txt")
    bad = text_page("BREAK " + K2_SENTENCE, name="bad.txt")
    results = list(pipeline.process_many([bad, good]))
    assert isinstance(results[0], InputError) and "boom" in results[0].problem
    assert isinstance(results[1], pipeline.Result) and results[1].events


# --------------------------------------------------------------- the prefilter and workers


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("India will buy more S-400 regiments.", True),      # a gazetteer system
        ("The army tested the new KJ-700 radar.", True),     # a designation not in it
        ("Sales of the spike protein vaccine rose.", False),  # "Spike" only as written
        ("COVID-19 delayed Exercise-2023 and the budget.", False),
        ("The minister met her counterpart in Delhi.", False),
    ],
)
def test_prefilter_passes_pages_that_name_a_system(text: str, names: bool) -> None:
    from armswatch.nlp import load_nlp
    from armswatch.nlp.entities import GazetteerMatcher

    nlp = load_nlp()
    matcher = nlp.get_pipe("armswatch_gazetteer")
    assert isinstance(matcher, GazetteerMatcher)
    assert matcher.names_a_system(nlp.make_doc(text)) is names


def test_a_page_the_prefilter_drops_keeps_its_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import armswatch.pipeline as pipeline

    calls: list[int] = []
    real_extract = pipeline.extract_events
    monkeypatch.setattr(pipeline, "extract_events",
                        lambda article, doc: calls.append(1) or real_extract(article, doc))
    page = text_page(
        "The defence minister said on Monday that the new budget would be presented to "
        "parliament in March, with more money for pensions and for housing for soldiers."
    )
    (result,) = list(process_many([page]))
    assert isinstance(result, Result) and result.events == ()
    assert "budget" in result.article.text
    assert calls == []  # no NLP, no extraction


def test_a_page_in_another_language_is_stored_but_not_read_for_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import armswatch.pipeline as pipeline

    read: list[str | None] = []
    real_extract = pipeline.extract_events
    monkeypatch.setattr(pipeline, "extract_events", lambda article, doc: read.append(
        article.language) or real_extract(article, doc))
    # French naming a system the gazetteer knows: the English rules would only misread it
    french = (
        "La Pologne a signé en août 2022 avec la Corée du Sud un contrat pour 180 chars K2, "
        "pour un montant de 3,4 milliards de dollars. Les premières livraisons sont prévues "
        "pour la fin de l'année, selon le ministère de la Défense."
    )
    (result,) = list(process_many([text_page(french)]))
    assert isinstance(result, Result)
    assert result.article.language == "fr"
    assert "180 chars K2" in result.article.text
    assert result.events == ()
    (english,) = list(process_many([text_page(K2_SENTENCE)]))
    assert isinstance(english, Result) and english.events  # the same fact in English
    assert read == ["en"]  # the French page never reached the extractor


def test_workers_give_the_same_results_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    import armswatch.pipeline as pipeline

    monkeypatch.setattr(pipeline, "CHUNK_PAGES", 2)  # several chunks from a few pages
    bodies = [K2_SENTENCE, "The minister spoke about the budget.",
              "Russia delivered the first S-400 regiment to India in December 2021."]
    pages: list[Page | InputError] = [
        text_page(bodies[i % 3], name=f"p{i}.txt") for i in range(7)
    ]
    pages.insert(3, InputError("broken.jsonl:4", "invalid JSON"))
    alone = list(process_many(pages))
    parallel = list(process_many(pages, workers=2))
    assert parallel == alone
    assert [r.page.name if isinstance(r, Result) else r.source for r in parallel][:4] == [
        "p0.txt", "p1.txt", "p2.txt", "broken.jsonl:4"
    ]
