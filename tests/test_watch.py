"""The watcher against a real HTTP server on 127.0.0.1: feeds, sitemaps, conditional requests,
politeness, the bad sources a watcher meets, and a pass killed halfway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from armswatch.cli import main
from armswatch.feeds import NotAFeed, read_listing
from armswatch.fetch import Politeness, retry_after
from armswatch.store import Store
from armswatch.store.feeds import FeedState
from armswatch.watch import add_feeds, watch_once
from newsserver import NewsServer, news_server

FAST = Politeness(contact="tests@example.org", delay=0.0, timeout=1.0, retries=2, backoff=0.05,
                  max_wait=5.0)
RSS, ATOM = "application/rss+xml", "application/atom+xml"

# An article of our own, for the feed's third item.
EGYPT_RAFALE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Egypt orders 30 more Rafale jets | Test Defence Daily</title>
<meta name="date" content="2021-05-04"></head><body><article><h1>Egypt orders 30 more Rafale
jets</h1><p>Egypt has signed a contract with France for 30 additional Rafale fighter jets,
the Egyptian defence ministry said on Tuesday. The order, worth 3.75 billion euros, follows
the 24 Rafale jets Egypt bought in 2015.</p><p>Deliveries of the new aircraft are expected
to begin in 2024, officials said.</p></article></body></html>"""


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test news</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


@pytest.fixture
def server(examples_dir: Path) -> Iterator[NewsServer]:
    with news_server() as srv:
        srv.route("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n",
                  content_type="text/plain")
        srv.route("/news/k2.html", body=(examples_dir / "poland-k2-tanks.html").read_bytes())
        srv.route("/news/s400.html", body=(examples_dir / "india-s400-order.html").read_bytes())
        srv.route("/news/rafale.html", body=EGYPT_RAFALE)
        yield srv


def _store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "watch.db")


def test_first_pass_stores_everything_second_fetches_nothing_third_only_the_new_item(
    server: NewsServer, tmp_path: Path
) -> None:
    server.route("/feed.xml", body=rss(server.url, ["/news/k2.html", "/news/s400.html"]),
                 content_type=RSS, etag='"v1"')
    with _store(tmp_path) as store:
        assert FeedState(store).add(server.url + "/feed.xml")
        first = watch_once(store, FAST)
        assert (first.new_items, first.fetched, first.added) == (2, 2, 2)
        assert first.events > 0 and first.deals > 0 and not first.errors
        stats = store.stats()

        second = watch_once(store, FAST)
        assert (second.not_modified, second.new_items, second.added) == (1, 0, 0)
        assert store.stats() == stats
        feed_requests = [h for p, h in server.requests if p == "/feed.xml"]
        assert feed_requests[-1].get("If-None-Match") == '"v1"'
        assert server.get_count("/news/k2.html") == 1
        assert "armswatch/" in feed_requests[-1]["User-Agent"]
        assert "tests@example.org" in feed_requests[-1]["User-Agent"]

        server.route("/feed.xml", content_type=RSS, etag='"v2"', body=rss(
            server.url, ["/news/rafale.html", "/news/k2.html", "/news/s400.html"]))
        third = watch_once(store, FAST)
        assert (third.new_items, third.fetched, third.added) == (1, 1, 1)
        assert server.get_count("/news/rafale.html") == 1
        assert server.get_count("/news/k2.html") == 1
        assert store.stats()["pages"] == stats["pages"] + 1
        (feed,) = FeedState(store).feeds()
        assert (feed.kind, feed.items, feed.stored, feed.last_error) == ("rss", 3, 3, None)


def test_atom_sitemap_index_and_a_url_listed_twice(server: NewsServer, tmp_path: Path) -> None:
    atom = (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<entry><title>a</title><link href="{server.url}/news/k2.html"/></entry>'
            f'<entry><title>b</title><link href="/news/k2.html"/></entry></feed>').encode()
    server.route("/atom.xml", body=atom, content_type=ATOM)
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    server.route("/sitemap-index.xml", content_type="application/xml", body=(
        f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>{server.url}/news-sitemap.xml'
        f"</loc></sitemap></sitemapindex>").encode())
    server.route("/news-sitemap.xml", content_type="application/xml", body=(
        f'<?xml version="1.0"?><urlset {ns} xmlns:image="http://www.google.com/schemas/'
        f'sitemap-image/1.1"><url><loc>{server.url}/news/s400.html</loc><image:image>'
        f"<image:loc>{server.url}/photo.jpg</image:loc></image:image></url>"
        f"<url><loc>{server.url}/news/k2.html</loc></url></urlset>").encode())
    with _store(tmp_path) as store:
        state = FeedState(store)
        state.add(server.url + "/atom.xml")
        state.add(server.url + "/sitemap-index.xml")
        report = watch_once(store, FAST)
        assert report.added == 2 and not report.errors
        assert server.get_count("/news/k2.html") == 1  # listed three times, fetched once
        assert server.get_count("/photo.jpg") == 0
        kinds = {feed.url.rsplit("/", 1)[-1]: feed.kind for feed in state.feeds()}
        assert kinds == {"atom.xml": "atom", "sitemap-index.xml": "sitemap"}


def test_each_bad_source_gets_one_line_and_the_rest_of_the_pass_goes_on(
    server: NewsServer, tmp_path: Path
) -> None:
    feeds = {
        "/html.xml": dict(body=b"<!DOCTYPE html><html><body>hi</body></html>"),
        "/broken.xml": dict(body=b'<?xml version="1.0"?><rss version="2.0"><channel><item>',
                            content_type=RSS),
        "/empty.xml": dict(body=rss(server.url, []), content_type=RSS),
        "/gone.xml": dict(status=404),
        "/error.xml": dict(status=500),
        "/slow.xml": dict(body=rss(server.url, []), delay=3.0, content_type=RSS),
        "/loop.xml": dict(redirect="/loop.xml"),
        "/busy.xml": dict(status=429, fail_first=1, headers={"Retry-After": "1"},
                          content_type=RSS,
                          body=rss(server.url, ["/news/k2.html", "/news/k2.html",
                                                "/big.html", "/paper.pdf", "/photo.png",
                                                "/private/secret.html", "/missing.html"])),
    }
    for path, route in feeds.items():
        server.route(path, **route)
    server.route("/big.html", body=b"<html><body>" + b"x" * (11 * 1024 * 1024) + b"</body></html>")
    server.route("/paper.pdf", body=b"%PDF-1.7 ...", content_type="application/pdf")
    server.route("/photo.png", body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    server.route("/private/secret.html", body=EGYPT_RAFALE)
    lines: list[str] = []
    with _store(tmp_path) as store:
        state = FeedState(store)
        for path in feeds:
            state.add(server.url + path)
        report = watch_once(store, FAST, on_error=lambda e: lines.append(str(e)))
        assert report.added == 1  # the one good article
        assert server.get_count("/news/k2.html") == 1
        assert server.get_count("/busy.xml") == 2  # retried after its Retry-After
        assert server.get_count("/private/secret.html") == 0  # robots.txt forbids it
        by_url = {line.split(": ", 1)[0].replace(server.url, ""): line for line in lines}
        expected = {
            "/html.xml": "HTML page", "/broken.xml": "broken feed", "/empty.xml": "no items",
            "/gone.xml": "HTTP 404", "/error.xml": "HTTP 500", "/slow.xml": "no answer",
            "/loop.xml": "redirects", "/big.html": "10 MB limit", "/paper.pdf": "application/pdf",
            "/photo.png": "image/png", "/private/secret.html": "robots.txt forbids",
            "/missing.html": "HTTP 404",
        }
        for path, words in expected.items():
            assert words in by_url.get(path, ""), (path, lines)
        assert len(lines) == len(expected)
        errors = {f.url.replace(server.url, ""): f.last_error for f in state.feeds()}
        assert errors["/busy.xml"] is None and "HTTP 500" in (errors["/error.xml"] or "")
        stats = store.stats()
        again = watch_once(store, FAST, on_error=lambda e: None)
        assert again.added == 0 and store.stats() == stats  # nothing lost, nothing doubled
        assert server.get_count("/missing.html") == 1  # a 404 is not asked for again


def test_a_site_address_finds_its_feeds_or_its_sitemaps(server: NewsServer, tmp_path: Path) -> None:
    server.route("/feed.xml", body=rss(server.url, ["/news/k2.html"]), content_type=RSS)
    server.route("/", body=b'<html><head><link rel="alternate" type="application/rss+xml" '
                          b'href="/feed.xml"></head><body>home</body></html>')
    with _store(tmp_path) as store:
        added, errors = add_feeds(store, [server.url + "/", server.url + "/nothing"], FAST)
        assert added == [server.url + "/feed.xml"]
        assert len(errors) == 1 and "HTTP 404" in str(errors[0])
    with news_server() as other:
        other.route("/", body=b"<html><body>no feed links</body></html>")
        other.route("/robots.txt", content_type="text/plain",
                    body=f"User-agent: *\nSitemap: {other.url}/news-sitemap.xml\n".encode())
        with _store(tmp_path) as store:
            added, errors = add_feeds(store, [other.url + "/"], FAST)
            assert added == [other.url + "/news-sitemap.xml"] and not errors


def test_listings_and_retry_after() -> None:
    assert read_listing("http://a.example/feed", rss("http://a.example", ["/x"])).urls == (
        "http://a.example/x",)
    with pytest.raises(NotAFeed, match="empty"):
        read_listing("http://a.example/feed", b"  ")
    assert retry_after("120") == 120
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # a date in the past
    assert retry_after("soon") is None


def test_the_cli_adds_lists_and_watches(server: NewsServer, tmp_path: Path) -> None:
    server.route("/feed.xml", body=rss(server.url, ["/news/s400.html"]), content_type=RSS)
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    added = runner.invoke(main, ["feeds", "add", server.url + "/feed.xml", "--db", db, "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["added"] == [server.url + "/feed.xml"]
    watched = runner.invoke(main, ["watch", "--once", "--delay", "0", "--db", db, "--json"])
    assert watched.exit_code == 0, watched.output
    assert json.loads(watched.stdout)["added"] == 1
    listed = runner.invoke(main, ["feeds", "list", "--db", db, "--json"])
    (feed,) = json.loads(listed.output)
    assert (feed["kind"], feed["items"], feed["stored"]) == ("rss", 1, 1)
    usage = runner.invoke(main, ["watch", "--db", db])
    assert usage.exit_code == 2 and "--once or --every" in usage.output
    bad = runner.invoke(main, ["watch", "--every", "soon", "--db", db])
    assert bad.exit_code == 2 and "15m" in bad.output


def test_a_pass_killed_halfway_is_finished_by_the_next_without_duplicates(
    server: NewsServer, tmp_path: Path
) -> None:
    server.route("/feed.xml", content_type=RSS, body=rss(
        server.url, ["/news/k2.html", "/news/s400.html", "/news/rafale.html"]))
    server.routes["/news/rafale.html"].delay = 30.0  # the pass is killed while it waits
    db = tmp_path / "killed.db"
    with Store.open(db) as store:
        FeedState(store).add(server.url + "/feed.xml")
    command = [str(Path(sys.executable).with_name("armswatch")), "watch", "--once", "--delay",
               "0", "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while server.get_count("/news/rafale.html") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    server.routes["/news/rafale.html"].delay = 0.0
    with Store.open(db) as store:
        report = watch_once(store, FAST)
        assert report.added == 3 and not report.errors
        again = watch_once(store, FAST)
        assert again.added == 0 and again.fetched == 0
        assert store.stats()["pages"] == 3
        (feed,) = FeedState(store).feeds()
        assert (feed.items, feed.stored) == (3, 3)
