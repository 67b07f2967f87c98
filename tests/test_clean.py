"""Tests for armswatch.clean: text-dump cleaning, title and date finding, the HTML path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armswatch import clean as clean_module
from armswatch.clean import (
    CleanText,
    clean,
    clean_text_dump,
    detect_language,
    find_published,
    find_title,
    visible_text,
)
from armswatch.clean.credit import credit_end, strip_credit
from armswatch.model import Page, content_hash

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clean"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "eval" / "dev.jsonl"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _page(content: str | bytes, content_type: str, meta: dict[str, Any] | None = None) -> Page:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return Page(
        id=content_hash(data), name="test-page", source="test", url="https://example.org/a",
        content=data, content_type=content_type,  # type: ignore[arg-type]
        meta=meta or {},
    )


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --- text dumps ------------------------------------------------------------------------------


def test_byline_dump_keeps_article_drops_furniture() -> None:
    result = clean_text_dump(_fixture("byline_dump.txt"))
    assert isinstance(result, CleanText)
    assert result.title == "Norland Signs Deal For Coastal Patrol Vessels From Vestmark"
    assert result.published == "2021-03-04"
    paragraphs = _paragraphs(result.text)
    assert paragraphs[0].startswith("The government of Norland has signed a contract")
    assert paragraphs[-1] == (
        "Norland's navy currently operates four ageing patrol boats that were bought in the "
        "early 1990s."
    )
    assert len(paragraphs) == 5
    for furniture in ("Staff Correspondent", "1542", "Patrol vessel at harbour", "Also Read",
                      "Vestmark Offers Frigates", "February 12, 2021", "About Us", "©",
                      "newsletter", "Skip to content"):
        assert furniture not in result.text


def test_paragraphs_are_verbatim_lines_of_the_input() -> None:
    raw = _fixture("byline_dump.txt")
    lines = {line.strip() for line in raw.splitlines()}
    for paragraph in _paragraphs(clean_text_dump(raw).text):
        assert paragraph in lines


def test_dateline_dump_title_date_and_cut_at_related_topics() -> None:
    result = clean_text_dump(_fixture("dateline_dump.txt"))
    assert result.title == "Talks On Air Defence Batteries Resume Between Ostria And Calvania"
    assert result.published == "2020-06-15"
    paragraphs = _paragraphs(result.text)
    assert paragraphs[0].startswith("VELGRAD (DefenceWire - 15th June, 2020) Ostria and Calvania")
    assert paragraphs[-1] == (
        "Ostria's export agency declined to comment on the value of the possible deal."
    )
    # the standfirst is repeated inside the dateline paragraph: kept once
    assert result.text.count("have resumed negotiations") == 1
    for furniture in ("cookies", "Related Topics", "Recent Stories", "City council",
                      "minutes ago", "Thoughts and Comments", "More Stories", "newsletter",
                      "DefenceWire.example"):
        assert furniture not in result.text


def test_inline_related_box_dropped_and_article_continues() -> None:
    result = clean_text_dump(_fixture("inline_related_dump.txt"))
    assert result.title == "Kestria to buy used fighter jets from Lorvania"
    assert result.published == "2021-10-12"
    text = result.text
    assert "refurbished in Lorvania" in text
    assert "Opposition lawmakers criticised the deal" in text  # after the inline box
    for furniture in ("Related articles", "trainer aircraft", "defence budget", "Comments",
                      "skywatcher99", "terrible idea", "very capable machines", "Share this"):
        assert furniture not in text


def test_exact_duplicate_paragraph_kept_once() -> None:
    paragraph = ("The ministry confirmed that the second batch of armoured vehicles arrived at the "
                 "port on Monday and will be handed to the army next week.")
    tail = "A further batch is due in May, the ministry said in its statement."
    dump = f"Vehicles Arrive\n\n{paragraph}\n\n{paragraph}\n\n{tail}"
    result = clean_text_dump(dump)
    assert result.text.count(paragraph) == 1
    assert "A further batch is due in May" in result.text


def test_hard_wrapped_paragraph_kept_whole() -> None:
    dump = (
        "Home\nNews\nSensors Sale Approved\n"
        "The export agency has approved the sale of twelve long-range sensors to the\n"
        "neighbouring state, a spokesman said, adding that deliveries would start within a\n"
        "year of the contract being signed by both governments.\n"
        "Contact Us | Privacy Policy | Terms of Use\n"
    )
    text = clean_text_dump(dump).text
    assert "to the\nneighbouring state" in text
    assert text.endswith("signed by both governments.")
    assert "Contact Us" not in text


def test_empty_and_furniture_only_dumps() -> None:
    assert clean_text_dump("") == CleanText(title=None, published=None, text="")
    result = clean_text_dump("Home\nNews\nAbout Us | Contact Us | Careers\n© 2020 Example\n")
    assert result.text == ""


# --- dates and titles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline Of A Deal\n• 02:12 PM, February 23, 2017\n", "2017-02-23"),
        (" date 2019-11-27 Example.com\n", "2019-11-27"),
        ("Someone 3 minutes ago Wed 27th November 2019 | 05:17 PM\n", "2019-11-27"),
        ("Posted on November 27, 2019 by Staff\n", "2019-11-27"),
        ("Updated 2019-11-27T10:00:00Z\n", "2019-11-27"),
        ("Published 27/11/2019\n", "2019-11-27"),
        ("Published 03/04/2019\n", None),  # day and month cannot be told apart
        ("Published 31 February 2019\n", None),  # no such day
        ("No date on this line at all\n", None),
    ],
)
def test_find_published_formats(text: str, expected: str | None) -> None:
    assert find_published(text) == expected


def test_find_published_ignores_also_read_dates() -> None:
    dump = _fixture("byline_dump.txt").replace("10:15 AM, March 4, 2021", "Staff Desk")
    assert find_published(dump) is None


def test_find_published_takes_dateline_when_no_header_date() -> None:
    body = (
        "Frigate Handed Over\n"
        "BRENNPORT, 14th May, 2021 (Wire) The shipyard handed over the first frigate to the "
        "navy of Ostria on Friday, two months later than planned, the company said.\n"
        "The second ship is due to follow next year after sea trials that begin in the autumn.\n"
    )
    assert find_published(body) == "2021-05-14"


def test_find_published_prefers_header_over_body_dates() -> None:
    dump = (
        "Deal Signed\nJune 2, 2022\n"
        "The contract signed on May 30, 2022 covers four helicopters and a training package "
        "for the pilots, the ministry said in a statement released on Thursday.\n"
    )
    assert find_published(dump) == "2022-06-02"


def test_find_published_ignores_sentence_dates_and_story_lists() -> None:
    dump = (
        "Trending\nPort reopens after storm\nMarch 1, 2015\nLocal team wins cup\n"
        "April 2, 2016\nBridge repairs finished\nMay 3, 2017\n"
        "Helicopters For The Coast Guard\n"
        "However, on May 3, 2019 the coast guard of Ostria signed for three search and rescue "
        "helicopters, the ministry said in a statement issued on Friday.\n"
        "The first of them is expected to arrive next year, with training to begin at once.\n"
    )
    assert find_published(dump) is None


def test_find_title_skips_date_header_line() -> None:
    dump = _fixture("dateline_dump.txt")
    title = find_title(dump)
    assert title is not None
    assert not title.startswith("date")
    assert title == "Talks On Air Defence Batteries Resume Between Ostria And Calvania"


def test_detect_language() -> None:
    english = (
        "The ministry said that the first of the aircraft will be delivered to the air force."
    )
    assert detect_language(english) == "en"
    german = "Die Regierung hat den Vertrag für die Lieferung der Systeme unterzeichnet."
    assert detect_language(german) == "de"
    assert detect_language("") is None


# --- clean(page) ------------------------------------------------------------------------------


def test_clean_text_page_fills_article_fields() -> None:
    page = _page(_fixture("byline_dump.txt"), "text")
    article = clean(page)
    assert article.id == page.id and article.page_id == page.id
    assert article.name == page.name and article.url == page.url
    assert article.title == "Norland Signs Deal For Coastal Patrol Vessels From Vestmark"
    assert article.published == "2021-03-04"
    assert article.language == "en"
    assert article.text == clean_text_dump(_fixture("byline_dump.txt")).text


def test_clean_record_meta_wins_over_text() -> None:
    meta: dict[str, str | None] = {"title": "Given Title", "published": "2021-03-05"}
    article = clean(_page(_fixture("byline_dump.txt"), "record", meta))
    assert article.title == "Given Title"
    assert article.published == "2021-03-05"
    assert "Also Read" not in article.text


def test_clean_record_without_meta_reads_the_text() -> None:
    article = clean(_page(_fixture("dateline_dump.txt"), "record", {}))
    assert article.title == "Talks On Air Defence Batteries Resume Between Ostria And Calvania"
    assert article.published == "2020-06-15"


def test_clean_html_page() -> None:
    article = clean(_page((FIXTURES / "article.html").read_bytes(), "html"))
    assert article.title == "Marovia takes delivery of first coastal radar systems"
    assert article.published == "2022-05-18"
    assert article.site == "Harbour Gazette"
    assert article.language == "en"
    paragraphs = _paragraphs(article.text)
    assert paragraphs[0].startswith("Marovia's navy has taken delivery of the first two")
    assert paragraphs[-1].startswith("A navy spokesman said the first station")
    for furniture in ("Port strike", "Most read", "Privacy policy", "All rights reserved", "World"):
        assert furniture not in article.text


def test_clean_html_falls_back_to_visible_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    article = clean(_page((FIXTURES / "article.html").read_bytes(), "html"))
    assert "The remaining six systems are due to be delivered" in article.text
    assert "All rights reserved" not in article.text
    assert article.published == "2022-05-18"


def test_visible_text_one_line_per_block() -> None:
    html = "<html><head><title>T</title><script>var x = 1;</script></head><body>" \
           "<div><p>First <b>bold</b> words.</p><p>Second.</p></div></body></html>"
    assert visible_text(html) == "First bold words.\nSecond."


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # a head never closed, and no body tag: both are optional in HTML
        ("<html><head><title>T</title><p>Body text.</p>", "Body text."),
        # "<body" inside a script in the head ends nothing
        ('<head><script>w("<body>x</body>")</script></head><body><p>Kept.</p></body>', "Kept."),
        ("<p>a &lt; b &amp;&nbsp;c</p><p>x < y > z</p>", "a < b & c\nx < y > z"),
        ("<p>Shown</p><!-- hidden --><p>too</p><!-- never closed <p>still shown</p>",
         "Shown\ntoo\nnever closed\nstill shown"),
        ("<!DOCTYPE html><?xml version='1.0'?><![CDATA[x]]><p>Text</p>", "Text"),
        ("<style>p {}</style><svg><title>icon</title></svg><noscript>no</noscript><p>Yes</p>",
         "Yes"),
        ("<p>open <script>never closed", "open never closed"),  # hides nothing
        ("<DIV>Upper</DIV><Br/>case", "Upper\ncase"),
        # "İ" lowercases to two characters: the tags after it must still be found
        ("<p>İstanbul İzmir</p><p>Second</p><div>third</div>", "İstanbul İzmir\nSecond\nthird"),
    ],
)
def test_visible_text_reads_markup_browsers_accept(html: str, text: str) -> None:
    assert visible_text(html) == text


def test_visible_text_reads_a_page_nested_10000_deep() -> None:
    html = "<div>" * 10_000 + "<p>Deep inside.</p>" + "</div>" * 10_000
    assert visible_text(html) == "Deep inside."


def test_package_is_pure_regex_no_spacy() -> None:
    modules = sorted(Path(clean_module.__file__).parent.glob("*.py"))
    assert len(modules) > 1  # the package's modules, not only its __init__
    for module in modules:
        assert "spacy" not in module.read_text(encoding="utf-8"), module.name


# --- the shared seed pages and the dev set (read in place; skipped when absent) --------------


@pytest.mark.parametrize(
    ("prefix", "title", "published", "first", "last"),
    [
        ("000_", "Turkey, Russia Likely To Discuss S-400 systems Purchase In March", "2017-02-23",
         "Turkey is likely to discuss", "Kalin said."),
        ("003_", "Russian-Made S-400 Systems Vital For Turkish Defense Capabilities - Ankara",
         "2019-11-27", "MOSCOW (UrduPoint News / Sputnik", "Recep Tayyip Erdogan."),
    ],
)
def test_seed_pages(prefix: str, title: str, published: str, first: str, last: str) -> None:
    paths = sorted(SEEDS.glob(f"{prefix}*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip("shared seed pages not available")
    result = clean_text_dump(paths[0].read_text(encoding="utf-8"))
    assert result.title == title
    assert result.published == published
    assert result.text.startswith(first)
    assert result.text.endswith(last)
    for furniture in ("Also Read", "Recent Stories", "Related Topics", "More Stories",
                      "minutes ago", "@ 10:29 AM", "Our Bureau", "About Us", "©", "82577"):
        assert furniture not in result.text


def test_dev_set_evidence_survives_and_dates_match() -> None:
    if not DEV.is_file():
        pytest.skip("shared dev set not available")
    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    assert records
    matched = 0
    for record in records:
        page = _page(record["text"], "record", record.get("meta") or {})
        article = clean(page)
        for event in record["events"]:
            assert event["evidence"] in article.text, (record["id"], event["evidence"])
        matched += article.published == record["published"]
    assert matched / len(records) >= 0.95


# --- general furniture rules (fixtures written for these tests) -------------------------------


def test_furniture_rules_dump_drops_captions_links_bio_promos_and_teasers() -> None:
    raw = _fixture("furniture_rules_dump.txt")
    result = clean_text_dump(raw)
    assert result.title == "Norland orders coastal radars from Vestmark"
    paragraphs = _paragraphs(result.text)
    assert paragraphs[0].startswith("Norland has ordered six coastal surveillance radars")
    assert "Defence Minister Ana Holm said the order" in result.text
    # the list that the last paragraph opens with a colon is part of the article
    assert paragraphs[-4].endswith("a support package that includes:")
    assert paragraphs[-3:] == ["- spare parts for ten years", "- two mobile repair workshops",
                               "- a simulator for radar crews"]
    for furniture in (
        "file photo",  # caption
        "Jane Roe/Harbour Press",  # photo credit
        "READ MORE", "Related:",  # inline links to other stories
        "is a defence correspondent",  # the author's bio
        "inbox",  # newsletter promotion
        "More Harbour Press", "air defence battery", "keel of first corvette",
        "oldest transport aircraft",  # the teaser list under a "More <site>" heading
        "Privacy Policy", "©",
    ):
        assert furniture not in result.text, furniture
    lines = {line.strip() for line in raw.splitlines()}
    assert all(p in lines for p in paragraphs)


def test_find_published_skips_masthead_today() -> None:
    # "Friday, May 14, 2021" heads the page, far above the article: the site's today
    raw = _fixture("furniture_rules_dump.txt")
    assert find_published(raw) == "2021-05-12"
    assert find_published(raw.replace("Updated\nMay 12", "Updated: May 12")) == "2021-05-12"


def test_comment_thread_never_wins_over_the_post() -> None:
    result = clean_text_dump(_fixture("thread_dump.txt"))
    assert result.title == "Open thread: your questions on the frigate programme"
    assert result.published == "2021-03-02"  # not a commenter's date
    assert result.text.startswith("Each quarter we open a thread")
    for comment in ("revised delivery date", "switch the supplier", "upgraded radar", "said:"):
        assert comment not in result.text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a label on the line above the date
        (["Published", "May 10, 2021", "Updated", "May 12, 2021"], "2021-05-10"),
        # a two-digit year, month first when the day tells
        (["By Jane Roe", "On 5/13/21 at 4:00 PM EDT"], "2021-05-13"),
        # a caption's date is not the page's
        (["In this May 3, 2021, file photo, a radar mast stands near the harbour."], None),
    ],
)
def test_find_published_header_labels(lines: list[str], expected: str | None) -> None:
    body = (
        "The navy has taken delivery of the first of six coastal radars ordered from Vestmark "
        "last year, the ministry said, with the rest due by the end of the decade.\n"
        "The radars will watch the northern sea lanes and feed the navy's operations centre.\n"
    )
    dump = "Coastal Radars Delivered\n" + "\n".join(lines) + "\n" + body
    assert find_published(dump) == expected


def test_find_published_reads_byline_date_under_standfirst() -> None:
    menu = "\n".join(f"Section {k}" for k in range(40))
    dump = (
        f"May 14, 2021\n{menu}\nCoastal Radars Delivered\n"
        "The navy has taken the first of six coastal radars, with the rest due by 2030 after a "
        "long delay at the factory.\n"
        "By Jane Roe\nMay 12, 2021 7:04 pm ET\n"
        "The radars will watch the northern sea lanes and feed the navy's operations centre in "
        "the capital, officials said on Wednesday after the handover ceremony.\n"
        "The remaining five radars are due to arrive over the next three years.\n"
    )
    assert find_published(dump) == "2021-05-12"


def test_teaser_rule_keeps_an_article_that_goes_on_after_an_inline_box() -> None:
    # paragraphs that follow one another after the heading are the article, not teasers
    result = clean_text_dump(_fixture("inline_related_dump.txt"))
    assert "Opposition lawmakers criticised the deal" in result.text
    assert "Kestria's air force chief said the jets" in result.text


# --- credits glued to the first paragraph (fixtures written for these tests) ------------------

IDRW = SHARED / "data" / "idrw-defence-news" / "idrw.jsonl"


def _credit_records() -> list[dict[str, str]]:
    text = (FIXTURES / "credit_records.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


@pytest.mark.parametrize("record", _credit_records(), ids=lambda r: r["id"])
def test_record_credit_is_cut_by_moving_the_paragraph_start(record: dict[str, str]) -> None:
    article = clean(_page(record["text"], "record", {}))
    assert article.text.startswith(record["starts"])
    assert record["text"].endswith(article.text)  # nothing rewritten, only the start moved


@pytest.mark.parametrize(
    ("paragraph", "credit"),
    [
        ("SOURCE: NORPRESS - The minister said the talks would go on.", "SOURCE: NORPRESS - "),
        ("SOURCE: JANE ROE/ OPINION / DEFENCEWIRE.ORG. In 2019, Ostria ordered four jets.",
         "SOURCE: JANE ROE/ OPINION / DEFENCEWIRE.ORG. "),
        ("SOURCE: NORPRESS A BSF unit received the rifles.", "SOURCE: NORPRESS "),
        ("SOURCE: NORPRESS HAL (Harbour Aircraft) has delivered two jets.", "SOURCE: NORPRESS "),
        ("SOURCE: NORPRESS “We will buy more,” the minister said.", "SOURCE: NORPRESS "),
        ("SOURCE: HARBOUR TV Norland says it shot down a drone.", "SOURCE: HARBOUR TV "),
        ("SOURCE: NORPRESS U.S. Navy ships reached the port.", "SOURCE: NORPRESS "),
        ("SOURCE: NORPRESS NATO Secretary General Jane Roe said.", "SOURCE: NORPRESS "),
        ("DEFENCEWIRE.ORG 12 soldiers were hurt in the blast.", ""),
        ("DEFENCEWIRE.COM: The firm signed for six radars.", "DEFENCEWIRE.COM: "),
        ("By NATO standards the army of Norland is small.", ""),
        ("By 2025 Norland will field six new frigates.", ""),
        ("BY JANE The navy ordered two ships.", ""),  # a byline names a first and a last name
        ("SOURCE: NORPRESS 12 soldiers were hurt in the blast.", ""),
        ("SOURCE: NORPRESS", ""),
        ("NORLAND.The navy ordered two ships.", ""),
        ("Defencewire.org The firm signed for six radars.", ""),  # not an upper-case domain
    ],
)
def test_credit_end(paragraph: str, credit: str) -> None:
    assert paragraph[: credit_end(paragraph)] == credit
    assert strip_credit(paragraph) == paragraph[len(credit) :]


def test_dump_credit_cut_from_first_kept_paragraph_only() -> None:
    raw = _fixture("credit_dump.txt")
    result = clean_text_dump(raw)
    assert result.title == "Norland Signs For Six Coastal Radars"
    assert result.published == "2021-05-12"
    paragraphs = _paragraphs(result.text)
    assert paragraphs[0].startswith("The navy of Norland has signed a contract")
    assert "DEFENCEWIRE.ORG" not in result.text
    # a byline further down is not the paragraph that opens the article: kept as it is
    assert paragraphs[2].startswith("By JOHN DOE / DEFENCEWIRE In a separate statement")
    lines = [line.strip() for line in raw.splitlines()]
    assert any(line.endswith(paragraphs[0]) for line in lines)
    assert all(p in lines for p in paragraphs[1:])


def test_idrw_feed_credits_are_cut_and_hold_no_article_words() -> None:
    if not IDRW.is_file():
        pytest.skip("shared idrw feed not available")
    rows = [json.loads(line) for line in IDRW.read_text(encoding="utf-8").splitlines() if line]
    cut = 0
    for row in rows:
        text = row["text"].strip()
        end = credit_end(text)
        if not end:
            continue
        cut += 1
        credit = text[:end]
        assert credit.startswith("SOURCE"), credit
        assert not any(ch.islower() for ch in credit.removeprefix("SOURCE")), credit
        first = _paragraphs(clean_text_dump(row["text"]).text)[0]
        assert first == text[end : end + len(first)], row["id"]
    assert cut >= 0.9 * len(rows)
