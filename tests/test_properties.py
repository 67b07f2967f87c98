"""Property tests (hypothesis) of the cleaner, the date resolver and the extractor on arbitrary
text and HTML: no exception, offsets always inside the text, evidence always a substring.

The example counts are pinned in ``EXAMPLES`` (README's robustness section reports them).
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings, target
from hypothesis import event as tally
from hypothesis import strategies as st

from armswatch.clean import clean, decode, visible_text
from armswatch.model import EVENT_TYPES, QUANTITY_UNITS, STATUSES, Page, content_hash
from armswatch.nlp.dates import FIRST_YEAR, LAST_YEAR, parse_iso, resolve_date
from armswatch.pipeline import process

EXAMPLES = {"clean": 300, "dates": 2000, "extract": 300}
ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

# -- building blocks: arbitrary text, laced with the words the code looks for ---------------

TAGS = ["<p>", "</p>", "<div>", "</div>", "<br/>", "<script>", "</script>", "<style>",
        "<title>", "</title>", "<head>", "</head>", "<body>", "<article>", "</article>",
        "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#x27;", "&bogus;", "<meta charset=",
        "<meta charset='koi8-r'>", '<meta property="article:published_time" content="',
        "<h1>", "</h1>", "<table><tr><td>", "<", ">", "\"", "'", "\x00", "\ufeff"]
DATE_WORDS = ["in", "mid-", "early", "late", "July", "Feb.", "February", "29", "31st", "of",
              "2019", "1999", "2017-02-30", "2024-02-29", "19000", "next", "last", "this", "year",
              "month", "ago", "later", "5", "a", "ten", "years", "Monday", "today",
              "tomorrow", "yesterday", "decade", "1990s", "the", ",", "-", " "]
ARTICLE_WORDS = [
    "India", "Russia", "Poland", "South Korea", "Turkey", "France", "the United States",
    "Indian", "Russian", "S-400", "K2", "Rafale", "F-16", "BrahMos", "Su-30MKI", "tanks",
    "regiments", "jets", "systems", "ordered", "signed a contract for", "delivered",
    "received", "will buy", "plans to buy", "deployed", "cancelled", "inducted", "talks on",
    "from", "to", "with", "of", "the", "a", "five", "180", "two squadrons", "$2.5 billion",
    "INR 39,000 crore", "€7.8 bn", "in July 2019", "next year", "last month", "by 2025",
    "not", "denied", "said", ".", ",", "\n", "\n\n", " ", "(", ")", "\"",
]


def _sentence() -> st.SearchStrategy[str]:
    """A transfer sentence from parts, some replaced or joined by arbitrary text."""
    def part(choices: list[str]) -> st.SearchStrategy[str]:
        return st.one_of(st.sampled_from(choices), st.sampled_from(choices),
                         st.text(max_size=10))
    return st.tuples(
        part(["India", "Poland", "Turkey", "The Indian Army", "Poland's army", "It"]),
        part(["ordered", "signed a contract for", "received", "will buy", "took delivery of",
              "deployed", "is not planning to buy", "cancelled the order for", "held talks on"]),
        part(["", "five", "180", "two squadrons of", "a second regiment of", "4"]),
        part(["S-400", "K2 tanks", "Rafale jets", "F-16s", "BrahMos missiles", "Su-30MKI"]),
        part(["", "from Russia", "from South Korea", "from France", "from the United States"]),
        part(["", "in July 2019", "next year", "last month", "by the end of 2025", "on Monday"]),
        part(["", "for $2.5 billion", "worth INR 39,000 crore", "for €7.8 bn"]),
    ).map(lambda parts: " ".join(p for p in parts if p) + ".")


def _mixed(words: list[str], max_size: int) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(words), st.text(max_size=12))
    return st.lists(piece, max_size=max_size).map(" ".join)


def _page(content: bytes, content_type: str, meta: dict[str, str | None] | None = None) -> Page:
    return Page(id=content_hash(content), name="generated", source="generated", url=None,
                content=content, content_type=content_type,  # type: ignore[arg-type]
                meta=meta or {})


published_dates = st.one_of(
    st.none(), st.dates().map(date.isoformat), st.sampled_from(["9999-12-31", "0001-01-01"]),
    st.text(max_size=12),
)

# -- the cleaner ------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES["clean"], deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        _mixed(TAGS + ARTICLE_WORDS, 80).map(lambda s: s.encode("utf-8", "surrogatepass")),
        _mixed(TAGS + ARTICLE_WORDS, 80).map(lambda s: s.encode("cp1251", "replace")),
    ),
    content_type=st.sampled_from(["html", "text", "record"]),
    charset=st.one_of(st.none(), st.sampled_from(
        ["utf-8", "latin-1", "koi8-r", "utf-16", "x-bogus", "base64", "rot13", "hex"])),
)
def test_the_cleaner_takes_any_bytes(content: bytes, content_type: str,
                                     charset: str | None) -> None:
    article = clean(_page(content, content_type, {"charset": charset}))
    assert isinstance(article.text, str)
    assert article.title is None or isinstance(article.title, str)
    assert article.published is None or (
        ISO.match(article.published) and parse_iso(article.published)
    )
    assert isinstance(decode(content, html=True), str)
    assert isinstance(visible_text(content), str)


# letters whose case mapping changes the text's length ("İ".lower() is two characters), mixed
# into arbitrary characters
TRICKY_LETTERS = st.sampled_from(["İ", "ß", "ﬁ", "ŉ", "Σ", "é", "Ж", "\t", " "])


@settings(max_examples=EXAMPLES["clean"], deadline=None)
@given(paragraphs=st.lists(st.lists(st.one_of(
           st.text(alphabet=st.characters(exclude_characters="<>&\n"), max_size=8),
           TRICKY_LETTERS), min_size=1, max_size=8).map("".join), max_size=8),
       wrapper=st.sampled_from(["p", "div", "LI", "h2"]))
def test_visible_text_gives_back_every_paragraph(paragraphs: list[str], wrapper: str) -> None:
    # (a newline inside a paragraph breaks the line too: text dumps keep the page's lines)
    html = "<body>" + "".join(f"<{wrapper}>{text}</{wrapper}>" for text in paragraphs)
    expected = [" ".join(text.split()) for text in paragraphs]
    assert visible_text(html).split("\n") == [text for text in expected if text] or not any(
        expected)


# -- the date resolver ------------------------------------------------------------------------


@settings(max_examples=EXAMPLES["dates"], deadline=None)
@given(
    phrase=st.one_of(_mixed(DATE_WORDS, 8), st.text(max_size=30)),
    published=published_dates,
    direction=st.sampled_from(["past", "future"]),
)
def test_the_date_resolver_gives_a_real_date_or_none(
    phrase: str, published: str | None, direction: str
) -> None:
    resolved = resolve_date(phrase, published, direction)  # type: ignore[arg-type]
    if resolved is not None:
        assert ISO.match(resolved), resolved
        point = parse_iso(resolved)  # a real calendar date, in the years news can report
        assert point is not None and FIRST_YEAR <= point.year <= LAST_YEAR, resolved


# -- the extractor ----------------------------------------------------------------------------


@settings(max_examples=EXAMPLES["extract"], deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.lists(st.one_of(_sentence(), _sentence(), _mixed(ARTICLE_WORDS, 20)),
                  min_size=1, max_size=8).flatmap(
        lambda paragraphs: st.sampled_from(["\n\n", " ", "\n"]).map(lambda sep: sep.join(
            paragraphs))),
    published=published_dates,
    content_type=st.sampled_from(["text", "record"]),
)
def test_the_extractor_keeps_its_evidence_inside_the_text(
    body: str, published: str | None, content_type: str
) -> None:
    meta = {"published": published} if content_type == "record" else {}
    content = body.encode("utf-8", "surrogatepass")
    article, events = process(_page(content, content_type, meta))
    target(float(len(events)))  # steer the search towards texts that give events
    tally("with events" if events else "without events")
    for event in events:
        evidence = event.evidence
        assert 0 <= evidence.start < evidence.end <= len(article.text)
        assert article.text[evidence.start:evidence.end] == evidence.sentence
        assert evidence.article_id == article.id
        assert event.type in EVENT_TYPES and event.status in STATUSES
        for state in (event.supplier, event.recipient):
            assert state is None or re.fullmatch(r"[A-Z]{3}", state)
        assert event.supplier is None or event.supplier != event.recipient
        assert event.system
        assert event.date is None or (ISO.match(event.date) and parse_iso(event.date))
        assert event.quantity is None or (
            event.quantity.value > 0 and event.quantity.unit in QUANTITY_UNITS
        )
        assert event.value is None or (event.value.amount > 0 and len(event.value.currency) == 3)
