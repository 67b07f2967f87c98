"""The web UI, in process: every page and API route over a database of our example pages."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from armswatch.pipeline import ingest
from armswatch.sources import iter_pages
from armswatch.store import Store
from armswatch.web import DealQuery, create_app, highlight

FIXTURES = Path(__file__).parent / "fixtures" / "web"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """Our example pages plus two hostile ones (markup in their text, a javascript: URL)."""
    path = tmp_path_factory.mktemp("web") / "armswatch.db"
    with Store.open(path) as store:
        summary = ingest(store, iter_pages([examples_dir, FIXTURES]))
    assert not summary.errors, summary.errors
    return path


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def all_deals(client: TestClient) -> list[dict[str, Any]]:
    deals: list[dict[str, Any]] = client.get("/api/deals").json()["deals"]
    return deals


def deal_id(deals: list[dict[str, Any]], system: str, recipient: str) -> str:
    return next(d["id"] for d in deals if d["system"] == system and d["recipient"] == recipient)


def table_rows(html: str) -> list[str]:
    body = html.split('<table id="deals">', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)


# ----------------------------------------------------------------------------------- deals


@pytest.mark.parametrize("path", ["/", "/deals"])
def test_deals_page_lists_every_deal(client: TestClient, all_deals: list[dict[str, Any]],
                                     path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    rows = table_rows(response.text)
    assert len(rows) == len(all_deals) >= 6
    assert any("S-400" in row and "India" in row and "Russia" in row for row in rows)


def test_deals_filters_come_from_the_url(client: TestClient) -> None:
    rows = table_rows(client.get("/deals?recipient=pol&status=ordered").text)
    assert len(rows) == 1 and "K9" in rows[0]


def test_deals_form_shows_the_filters_in_use(client: TestClient) -> None:
    html = client.get("/deals?recipient=POL&status=ordered&conflicts=no").text
    assert '<option value="POL" selected>Poland (POL)</option>' in html
    assert '<option value="ordered" selected>ordered</option>' in html
    assert '<option value="no" selected>without</option>' in html
    assert html.count(" selected>") == 3


def test_deals_system_filter_takes_an_alias(client: TestClient) -> None:
    rows = table_rows(client.get("/deals?system=S-400%20Triumf").text)
    assert len(rows) == 1 and "S-400" in rows[0]


def test_deals_conflicts_filter(client: TestClient, all_deals: list[dict[str, Any]]) -> None:
    with_conflicts = table_rows(client.get("/deals?conflicts=yes").text)
    without = table_rows(client.get("/deals?conflicts=no").text)
    assert len(with_conflicts) == sum(1 for d in all_deals if d["conflicts"]) >= 1
    assert len(with_conflicts) + len(without) == len(all_deals)
    assert all('class="badge conflict"' in row for row in with_conflicts)


def test_deals_sort_by_quantity_descending_puts_empty_last(client: TestClient) -> None:
    html = client.get("/deals?sort=quantity&order=desc").text
    numbers = [
        int(match.group(1)) if match else None
        for match in (re.search(r'<td class="number">(\d+) ', row) for row in table_rows(html))
    ]
    known = [n for n in numbers if n is not None]
    assert known == sorted(known, reverse=True) and len(known) >= 3
    assert numbers[: len(known)] == known  # deals without a number come after
    # the header link now reverses the order
    assert 'href="/deals?sort=quantity"' in html


def test_deals_bad_filters_are_explained_not_fatal(client: TestClient,
                                                   all_deals: list[dict[str, Any]]) -> None:
    response = client.get("/deals?status=signed&sort=price&conflicts=maybe")
    assert response.status_code == 200
    assert "unknown status &#39;signed&#39;" in response.text
    assert "cannot sort by &#39;price&#39;" in response.text
    assert len(table_rows(response.text)) == len(all_deals)


def test_deals_csv_download_is_the_current_view(client: TestClient) -> None:
    response = client.get("/deals.csv?recipient=POL")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(row["Weapon designation"] for row in rows) == ["K2", "K9"]
    assert {row["Recipient"] for row in rows} == {"Poland"}


def test_deals_page_links_downloads_of_its_view(client: TestClient) -> None:
    html = client.get("/deals?recipient=POL&sort=value").text
    assert 'href="/deals.csv?recipient=POL&amp;sort=value"' in html
    assert 'href="/api/deals?recipient=POL&amp;sort=value"' in html


def test_api_deals_mirrors_the_filters(client: TestClient) -> None:
    data = client.get("/api/deals?recipient=POL&sort=quantity&order=desc").json()
    assert data["count"] == 2
    assert [d["system"] for d in data["deals"]] == ["K9", "K2"]  # 212 systems, then 180 tanks


def test_api_deals_rejects_a_bad_filter(client: TestClient) -> None:
    response = client.get("/api/deals?status=signed")
    assert response.status_code == 400
    assert "unknown status" in response.json()["error"]


def test_deal_query_sort_link_toggles() -> None:
    query, problems = DealQuery.from_params({"sort": "value", "recipient": "ind"})
    assert not problems and query.recipient == "IND"
    assert query.sort_link("value") == "recipient=IND&sort=value&order=desc"
    assert query.sort_link("system") == "recipient=IND&sort=system"


# ------------------------------------------------------------------------------------ a deal


def test_deal_page_has_one_timeline_mark_per_event(client: TestClient,
                                                   all_deals: list[dict[str, Any]]) -> None:
    identifier = deal_id(all_deals, "S-400", "IND")
    html = client.get(f"/deals/{identifier}").text
    timeline = client.get(f"/api/deals/{identifier}").json()["timeline"]
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, flags=re.S).group(0))  # type: ignore[union-attr]
    marks = [g for g in svg.iter(f"{SVG}g") if "mark" in g.get("class", "").split()]
    assert len(marks) == len(timeline) == html.count('<li id="event-') >= 4
    assert [m.get("data-type") for m in marks] == [entry["type"] for entry in timeline]
    assert "Russia → India: S-400" in html


def test_deal_page_shows_conflicting_claims(client: TestClient,
                                            all_deals: list[dict[str, Any]]) -> None:
    identifier = deal_id(all_deals, "K2", "POL")
    html = client.get(f"/deals/{identifier}").text
    assert "Reports disagree on: order_date" in html
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, flags=re.S).group(0))  # type: ignore[union-attr]
    disputed = [g.get("data-type") for g in svg.iter(f"{SVG}g")
                if "conflict" in g.get("class", "").split()]
    assert disputed == ["order", "order"]  # the two order dates
    claims = re.findall(r'<tr class="[^"]*conflicting">\s*<td>order_date.*?<td>([\d-]+)</td>',
                        html, flags=re.S)
    assert sorted(claims) == ["2022-07", "2022-08"]


def test_deal_page_evidence_links_point_at_the_sentence(client: TestClient,
                                                        all_deals: list[dict[str, Any]]) -> None:
    identifier = deal_id(all_deals, "K2", "POL")
    html = client.get(f"/deals/{identifier}").text
    links = re.findall(r'class="evidence-link" href="([^"]+)"', html)
    assert links
    for link in links:
        path, anchor = link.replace("&amp;", "&").split("#")
        page = client.get(path).text
        assert f'<mark id="{anchor}" class="evidence current"' in page


def test_unknown_deal_is_a_404_page(client: TestClient) -> None:
    response = client.get("/deals/nope")
    assert response.status_code == 404 and "There is no deal" in response.text
    api = client.get("/api/deals/nope")
    assert api.status_code == 404 and api.json() == {"error": "no deal 'nope'"}


# ------------------------------------------------------------------------------- documents


def document_id(client: TestClient, words: str) -> str:
    hits = client.get("/api/search", params={"q": words}).json()["hits"]
    assert hits, words
    identifier: str = hits[0]["article_id"]
    return identifier


def test_document_page_highlights_each_evidence_sentence(client: TestClient) -> None:
    identifier = document_id(client, '"Land Forces Monitor"')
    data = client.get(f"/api/documents/{identifier}").json()
    html = client.get(f"/documents/{identifier}").text
    assert data["events"]
    for event in data["events"]:
        anchor = f's{event["start"]}-{event["end"]}'
        assert f'id="{anchor}"' in html
        assert data["text"][event["start"]:event["end"]] == event["evidence"]
    marked = re.findall(r'<mark id="[^"]+" class="evidence"[^>]*>(.*?)</mark>', html, flags=re.S)
    assert any("signed a contract for 180 K2" in text for text in marked)
    assert "Land Forces Monitor" in html and "2022-08-03" in html


def test_document_api_and_page_of_unknown_id(client: TestClient) -> None:
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/api/documents/nope").json() == {"error": "no page 'nope'"}


def test_copy_and_original_link_each_other(client: TestClient) -> None:
    identifier = document_id(client, "Friday five regiments")
    copies = [
        hit["article_id"]
        for hit in client.get("/api/search", params={"q": "Friday five regiments"}).json()["hits"]
    ]
    assert len(copies) == 2  # the agency story and its reprint
    pages = {c: client.get(f"/api/documents/{c}").json() for c in copies}
    original = next(c for c, p in pages.items() if p["copies"])
    copy = next(c for c in copies if c != original)
    assert pages[copy]["duplicate_of"] == original and identifier in copies
    assert f'href="/documents/{original}"' in client.get(f"/documents/{copy}").text


# ------------------------------------------------------------------------------- search


def test_search_finds_a_designation_with_a_hyphen(client: TestClient) -> None:
    html = client.get("/search", params={"q": "S-400 regiments"}).text
    assert "<mark>S-400</mark>" in html or "<mark>S</mark>-<mark>400</mark>" in html
    data = client.get("/api/search", params={"q": "S-400 regiments"}).json()
    assert data["total"] >= 2 and all("[" in hit["snippet"] for hit in data["hits"])


@pytest.mark.parametrize("query", ['"air defence', "tanks OR", "(K2", "NOT"])
def test_malformed_search_gets_a_message(client: TestClient, query: str) -> None:
    response = client.get("/search", params={"q": query})
    assert response.status_code == 400
    assert 'id="search-problem"' in response.text and 'id="search-form"' in response.text
    api = client.get("/api/search", params={"q": query})
    assert api.status_code == 400 and "search" in api.json()["error"]


def test_search_pages_through_results(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "India", "page": 2}).json()
    assert data["page"] == 2 and data["hits"] == []  # fewer than one page of matches
    assert client.get("/api/search", params={"q": "India", "page": 0}).status_code == 400
    assert client.get("/search", params={"q": "India", "page": "x"}).status_code == 200


# ------------------------------------------------------------------------- hostile input


def test_markup_in_page_text_is_shown_as_text(client: TestClient) -> None:
    identifier = document_id(client, "evil")
    html = client.get(f"/documents/{identifier}").text
    assert "<script>document" not in html and "<img src=x" not in html
    assert "&lt;script&gt;document.location=" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html  # the title too
    search = client.get("/search", params={"q": "evil"}).text
    assert "<script>document" not in search and "&lt;script&gt;" in search


def test_markup_in_evidence_is_escaped_on_the_deal_page(client: TestClient,
                                                        all_deals: list[dict[str, Any]]) -> None:
    html = client.get(f"/deals/{deal_id(all_deals, 'Rafale', 'EGY')}").text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html


def test_a_javascript_url_never_becomes_a_link(client: TestClient) -> None:
    identifier = document_id(client, "Chile")
    html = client.get(f"/documents/{identifier}").text
    assert "javascript:" not in html and 'id="original"' not in html
    assert "<b onmouseover" not in html and "&lt;b onmouseover=alert(1)&gt;" in html
    hits = client.get("/api/search", params={"q": "Friday five regiments"}).json()["hits"]
    with_url = next(hit for hit in hits if hit["source"].startswith("https://"))
    https_page = client.get(f"/documents/{with_url['article_id']}").text
    assert f'id="original" href="{with_url["source"]}"' in https_page


@pytest.mark.parametrize(
    "params",
    [{"recipient": "' OR 1=1 --"}, {"system": "x' UNION SELECT * FROM pages --"},
     {"sort": "value; DROP TABLE deals"}, {"category": "%' OR '1'='1"}],
)
def test_injection_strings_in_filters_match_nothing(client: TestClient, params: dict[str, str],
                                                    all_deals: list[dict[str, Any]]) -> None:
    response = client.get("/api/deals", params=params)
    if "sort" in params:
        assert response.status_code == 400
    else:
        assert response.json()["count"] == 0
    assert client.get("/api/deals").json()["count"] == len(all_deals)


def test_injection_string_as_a_search(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "'; DROP TABLE articles; --"})
    assert response.status_code in {200, 400}
    assert client.get("/api/search", params={"q": "tanks"}).json()["total"] >= 1


def test_the_database_handle_is_read_only(web_db: Path) -> None:
    store = Store.open(web_db, readonly=True)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._db.execute("DELETE FROM deals")
    finally:
        store.close()


def test_unknown_route_is_a_404_page(client: TestClient) -> None:
    assert client.get("/../../etc/passwd").status_code == 404
    assert client.get("/documents/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/api/nothing").json() == {"error": "Not Found"}


PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.mark.parametrize(
    "url",
    [f"/deals/{PAYLOAD}", f"/documents/{PAYLOAD}", f"/api/deals/{PAYLOAD}",
     f"/api/documents/{PAYLOAD}", f"/search?q={PAYLOAD}", f"/api/search?q={PAYLOAD}",
     f"/deals?recipient={PAYLOAD}", f"/deals?system={PAYLOAD}", f"/deals?sort={PAYLOAD}",
     f"/deals?status={PAYLOAD}", f"/deals.csv?supplier={PAYLOAD}",
     f"/search?q=tanks&page={PAYLOAD}"],
)
def test_input_echoed_back_is_escaped(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in {200, 400, 404, 422}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'none'" in response.headers["content-security-policy"]
    if response.headers["content-type"].startswith("text/html"):
        assert "<script>alert(1)" not in response.text
        assert "<img src=x" not in response.text
    else:  # JSON and CSV may quote the input; a browser told nosniff never renders them
        assert response.headers["content-type"].startswith(("application/json", "text/csv"))


def test_a_bogus_highlight_is_ignored(client: TestClient) -> None:
    identifier = document_id(client, "Chile")
    for hl in ("abc", "-5-99999999", "99999999-5", "1-2-3", PAYLOAD):
        response = client.get(f"/documents/{identifier}", params={"hl": hl})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.text


@pytest.mark.parametrize(
    "url",
    ["/documents/..%2F..%2F..%2Fetc%2Fpasswd", "/api/documents/..%2F..%2Fetc%2Fpasswd",
     "/deals/..%2F..%2Fetc%2Fpasswd", "/documents/%2e%2e/%2e%2e/etc/passwd",
     "/static/%2e%2e/%2e%2e/etc/passwd", "/templates/base.html", "/web/templates/deal.html",
     "/documents/....//....//etc/passwd", "/deals.csv/%2e%2e/%2e%2e/etc/passwd",
     "/%2e%2e/%2e%2e/pyproject.toml", "/api/%2e%2e/README.md"],
)
def test_no_path_reaches_a_file(client: TestClient, url: str) -> None:
    # percent-encoded dots: the client sends them as written (it folds a literal "/../")
    response = client.get(url)
    assert response.request.url.raw_path.decode() == url
    assert response.status_code == 404
    assert "root:" not in response.text and "{% " not in response.text
    assert "[project]" not in response.text and "# armswatch" not in response.text


def test_highlight_merges_overlaps_and_escapes() -> None:
    text = "a <b> c d e"
    html = str(highlight(text, [(2, 5, "x"), (4, 7, "y"), (10, 11, "z")], current="s10-11"))
    assert html == (
        'a <span id="s4-7"></span><mark id="s2-5" class="evidence" title="x; y">&lt;b&gt; c'
        '</mark> d <mark id="s10-11" class="evidence current" title="z">e</mark>'
    )


def test_openapi_lists_the_api_routes(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths) == {"/api/deals", "/api/deals/{deal_id}", "/api/documents/{article_id}",
                          "/api/search"}
