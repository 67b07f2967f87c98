"""The per-page work every caller shares: page -> article -> annotated article -> events.

``extract``, ``ingest`` and any parallel or cluster runner call :func:`process` (or
:func:`process_many`, its batched form), so they give the same answer by construction.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from armswatch.clean import clean
from armswatch.evaluate import Prediction
from armswatch.extract import extract_events
from armswatch.model import Article, Event, InputError, Page
from armswatch.nlp import Gazetteer, load_gazetteer, load_nlp
from armswatch.nlp.entities import GazetteerMatcher
from armswatch.store import Store

# Only the first this many characters of an article are read for events: spaCy's parser needs
# memory in proportion, and no news article is this long. The article itself is kept whole.
MAX_ARTICLE_CHARS = 200_000


@dataclass(frozen=True)
class Result:
    """What one page gave: its article and events."""

    page: Page
    article: Article
    events: tuple[Event, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the page's result in the shape `armswatch extract` prints."""
        return {
            "id": self.page.name,
            "published": self.article.published,
            "title": self.article.title,
            "url": self.article.url,
            "events": [event.as_dict() for event in self.events],
        }


def process(page: Page) -> tuple[Article, list[Event]]:
    """Clean a page and extract its events."""
    result = next(process_many([page]))
    if isinstance(result, InputError):
        raise ValueError(result.problem)
    return result.article, list(result.events)


def process_many(
    pages: Iterable[Page | InputError],
    batch_size: int = 16,
    workers: int = 1,
    model: str | None = None,
) -> Iterator[Result | InputError]:
    """Process a stream of pages in order, batching the NLP; errors pass through unchanged.

    ``model`` chooses the extractor: None for the rules, ``SHIPPED`` for the learned model
    shipped with armswatch, or the directory of another trained model (``armswatch train``);
    learned events carry a confidence, and all at or above the model's storing floor are kept.

    With ``workers`` > 1 the pages are processed in that many worker processes, in chunks,
    a bounded number at a time (memory stays flat however long the stream); results still
    come in input order. A stream shorter than two chunks is processed here, without a pool.
    """
    if workers <= 1:
        yield from _process_here(pages, batch_size, model)
        return
    chunks = _chunks(pages, CHUNK_PAGES)
    first = list(itertools.islice(chunks, 2))
    if len(first) < 2:
        for chunk in first:
            yield from _process_here(chunk, batch_size, model)
        return
    context = multiprocessing.get_context("spawn")  # no forked copies of a loaded model
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[list[Result | InputError]]] = deque()
        for chunk in itertools.chain(first, chunks):
            pending.append(pool.submit(_process_chunk, chunk, batch_size, model))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


SHIPPED = "shipped"  # process_many's name for the learned model shipped in the package

# The languages the extractor reads (None: too little text to tell). Its lexicon and the
# spaCy model are English; on other languages they would find wrong events, not right ones.
READ_LANGUAGES = frozenset({"en", None})

# Pages a worker process takes at a time: enough to fill several NLP batches, few enough that
# the chunks in flight hold little memory.
CHUNK_PAGES = 48


def can_give_events(article: Article, tokens: Doc, matcher: GazetteerMatcher) -> bool:
    """The prefilter: True when the article's ``tokens`` (``nlp.make_doc``) name a weapon
    system or designation and its language is one the extractor reads."""
    return article.language in READ_LANGUAGES and matcher.names_a_system(tokens)


def _chunks(items: Iterable[Page | InputError], size: int) -> Iterator[list[Page | InputError]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _process_chunk(
    chunk: list[Page | InputError], batch_size: int, model: str | None
) -> list[Result | InputError]:
    """A worker process's share: one chunk of pages, processed in order."""
    return list(_process_here(chunk, batch_size, model))


def extractor(model: str | None = None) -> Callable[[Article, Doc], list[Event]]:
    """The extractor ``process_many`` runs: the rules (None), or a learned model (``SHIPPED``
    or a model directory)."""
    if model is None:
        return extract_events
    from armswatch.learn import learned_events, load_model

    learned = load_model(None if model == SHIPPED else model)
    return lambda article, doc: learned_events(article, doc, learned)


def _process_here(
    pages: Iterable[Page | InputError], batch_size: int, model: str | None = None
) -> Iterator[Result | InputError]:
    """Process pages in this process. Pages that cannot give events (the prefilter) skip the
    NLP; their article is still stored."""
    events_of = extractor(model)
    nlp = load_nlp()
    matcher = nlp.get_pipe("armswatch_gazetteer")
    assert isinstance(matcher, GazetteerMatcher)
    batch: list[tuple[Page, Article, Doc | None]] = []

    def flush() -> Iterator[Result | InputError]:
        tokenized = [doc for _, _, doc in batch if doc is not None]
        annotated: Iterator[Doc] | None
        try:
            annotated = iter(list(nlp.pipe(tokenized, batch_size=batch_size)))
        except Exception:  # find the page that breaks the batch; the others go on
            annotated = None
        for page, article, doc in batch:
            if doc is None:
                yield Result(page, article, ())
                continue
            try:
                # after a failed batch its Docs may be half annotated: start from the text
                full = next(annotated) if annotated is not None else nlp(doc.text)
                yield Result(page, article, tuple(events_of(article, full)))
            except Exception as error:  # one bad page must not stop the run
                yield InputError(page.source, f"cannot extract events: {error}")
        batch.clear()

    for item in pages:
        if isinstance(item, InputError):
            yield from flush()
            yield item
            continue
        try:
            article = clean(item)
        except Exception as error:  # a page the cleaner cannot read must not stop the batch
            yield from flush()
            yield InputError(item.source, f"cannot extract the article: {error}")
            continue
        doc = nlp.make_doc(article.text[:MAX_ARTICLE_CHARS])
        batch.append((item, article, doc if can_give_events(article, doc, matcher) else None))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest run did: pages read, pages added, pages already stored (skipped), events
    added, deals in the store, and the inputs that failed."""

    pages: int
    added: int
    skipped: int
    events: int
    deals: int
    errors: tuple[InputError, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the summary as a JSON-ready dict."""
        return {
            "pages": self.pages,
            "added": self.added,
            "skipped": self.skipped,
            "events": self.events,
            "deals": self.deals,
            "errors": [error.as_dict() for error in self.errors],
        }


def ingest(
    store: Store,
    pages: Iterable[Page | InputError],
    on_error: Callable[[InputError], None] | None = None,
    workers: int = 1,
    model: str | None = None,
    min_confidence: float | None = None,
    on_stored: Callable[[Page], None] | None = None,
) -> IngestSummary:
    """Process pages into the store, skipping pages it already holds, then rebuild the deals.
    ``on_stored`` hears of each page that is in the store afterwards (added now or before).

    Each page is written in its own transaction, so an interruption loses at most the page in
    hand and a rerun picks up where it stopped. With a learned ``model`` every event above its
    storing floor is kept, and the deals use those at or above ``min_confidence`` (default:
    the model's threshold, chosen on cross-validation).
    """
    if model is not None or min_confidence is not None:
        if min_confidence is None:
            from armswatch.learn import load_model

            min_confidence = load_model(None if model == SHIPPED else model).threshold
        store.set_min_confidence(min_confidence)
    errors: list[InputError] = []
    seen = stored_before = added = events = 0

    def unseen() -> Iterator[Page | InputError]:
        nonlocal seen, stored_before
        for item in pages:
            if isinstance(item, Page):
                seen += 1
                if store.has_page(item.id):
                    stored_before += 1
                    if on_stored:
                        on_stored(item)
                    continue
            yield item

    for result in process_many(unseen(), workers=workers, model=model):
        if isinstance(result, InputError):
            errors.append(result)
            if on_error:
                on_error(result)
            continue
        if store.add(result.page, result.article, list(result.events)):
            added += 1
            events += len(result.events)
        if on_stored:
            on_stored(result.page)
    return IngestSummary(seen, added, stored_before, events, rebuild_deals(store), tuple(errors))


def rebuild_deals(store: Store) -> int:
    """Recompute the store's deals from its events, with each system's category from the
    gazetteer; return the number of deals."""
    gazetteer = load_gazetteer()
    return store.rebuild_deals(category_of=lambda name: _category(gazetteer, name))


def upgrade(path: str | Path) -> None:
    """Bring a database made by an older armswatch up to date: apply its pending migrations,
    fill in what they add for stored articles, and rebuild the deals."""
    with Store.open(path) as store:
        store.backfill_signatures()
        rebuild_deals(store)


def _category(gazetteer: Gazetteer, system: str) -> str | None:
    known = gazetteer.system(system)
    return known.category if known else None


def predict(
    path: str | Path, model: str | None = None, min_confidence: float | None = None
) -> dict[str, Prediction]:
    """Run extraction over a JSONL file of documents; return predictions keyed by record id.
    With a learned ``model``, events below ``min_confidence`` (default: the model's
    threshold) are left out."""
    from armswatch.sources import iter_pages

    if model is not None and min_confidence is None:
        from armswatch.learn import load_model

        min_confidence = load_model(None if model == SHIPPED else model).threshold
    predictions: dict[str, Prediction] = {}
    for result in process_many(iter_pages([path]), model=model):
        if isinstance(result, Result):
            data = result.as_dict()
            data["events"] = [
                event.as_dict() for event in result.events
                if min_confidence is None or (event.confidence or 0.0) >= min_confidence
            ]
            predictions[result.page.name] = Prediction.from_dict(data)
    return predictions
