"""The web UI in a real browser: Debian's chromium driven by Playwright against `serve`.

The Makefile's test target installs chromium; without it this test fails (it does not skip),
since the browser is part of what `make test` checks.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from armswatch.pipeline import ingest
from armswatch.sources import iter_pages
from armswatch.store import Store
from armswatch.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
# As the machine notes say: without the background-networking flags chromium keeps trying
# to reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Iterator[str]:
    """`armswatch serve` over our example pages on a free loopback port; yields its URL."""
    db = tmp_path_factory.mktemp("browser") / "armswatch.db"
    with Store.open(db) as store:
        ingest(store, iter_pages([examples_dir]))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started:
        assert time.monotonic() < deadline, "the web server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    web.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)  # the UI works without it
    opened = context.new_page()
    yield opened
    context.close()


def test_analyst_walks_from_deals_to_evidence_and_search(server: str, page: Page,
                                                         tmp_path: Path) -> None:
    # the deals page, filtered by recipient through the form
    page.goto(f"{server}/deals")
    expect(page.locator("h1")).to_have_text("Deals")
    all_rows = page.locator("#deals tbody tr").count()
    assert all_rows >= 6
    page.select_option("select[name=recipient]", "IND")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"recipient=IND"))
    rows = page.locator("#deals tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("S-400")
    page.screenshot(path=tmp_path / "1-deals-filtered.png", full_page=True)

    # the deal: one timeline mark per event, under it the events with their evidence
    page.click("#deals tbody a")
    expect(page.locator("h1")).to_contain_text("S-400")
    events = page.locator("ol.events > li")
    marks = page.locator("svg.timeline g.mark")
    assert events.count() >= 4
    expect(marks).to_have_count(events.count())
    assert marks.first.bounding_box() is not None  # drawn, not just present
    page.screenshot(path=tmp_path / "2-deal.png", full_page=True)

    # an evidence link opens the page with that sentence highlighted
    link = page.locator("a.evidence-link").first
    sentence = page.locator("ol.events > li blockquote").first.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(r"/documents/"))
    current = page.locator("mark.evidence.current")
    expect(current).to_have_count(1)
    expect(current).to_be_visible()
    assert sentence in current.inner_text()
    page.screenshot(path=tmp_path / "3-document.png", full_page=True)

    # search from the header, results with the matched words marked
    page.fill("header input[name=q]", "regiments")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=regiments"))
    results = page.locator("ol.results > li")
    assert results.count() >= 2
    expect(results.first.locator(".snippet mark").first).to_have_text(re.compile("regiments", re.I))
    page.screenshot(path=tmp_path / "4-search.png", full_page=True)

    # a malformed search gets a message on the search page
    page.goto(f"{server}/search?q=%22air+defence")
    expect(page.locator("#search-problem")).to_contain_text("does not close")
    expect(page.locator("#search-form")).to_be_visible()

    for name in ("1-deals-filtered", "2-deal", "3-document", "4-search"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
