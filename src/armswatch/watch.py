"""Watching the news: one pass over every feed the store knows (``armswatch watch``).

A pass fetches each feed with the validators of its last fetch (a 304 costs nothing), records
the article URLs it lists as pending, fetches the pending pages (several hosts at once, each
politely), and puts them through the same path as ``ingest``. An item is marked stored only
once its page is in the store, and a page is stored in its own transaction, so a pass that is
killed halfway leaves nothing half-written: the next pass fetches only what was not stored.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from armswatch.feeds import Listing, NotAFeed, feed_links, read_listing, robots_sitemaps
from armswatch.fetch import PAGE_TYPES, Fetched, Fetcher, Politeness
from armswatch.model import ContentType, InputError, Page, content_hash
from armswatch.pipeline import ingest
from armswatch.sources import binary_kind
from armswatch.store import Store
from armswatch.store.feeds import FAILED, MAX_ATTEMPTS, PENDING, STORED, Feed, FeedItem, FeedState

MAX_SITEMAP_DEPTH = 2  # a sitemap index of sitemap indexes, no deeper


@dataclass(frozen=True)
class WatchError:
    """A feed or page that failed in a pass, and why."""

    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.url}: {self.problem}"

    def as_dict(self) -> dict[str, str]:
        """Return ``{"url": ..., "problem": ...}``."""
        return {"url": self.url, "problem": self.problem}


@dataclass(frozen=True)
class PassReport:
    """What one pass did."""

    feeds: int
    not_modified: int
    new_items: int
    fetched: int
    added: int
    events: int
    deals: int
    requests: int
    seconds: float
    errors: tuple[WatchError, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "feeds": self.feeds, "not_modified": self.not_modified,
            "new_items": self.new_items, "fetched": self.fetched, "added": self.added,
            "events": self.events, "deals": self.deals, "requests": self.requests,
            "seconds": round(self.seconds, 3), "errors": [e.as_dict() for e in self.errors],
        }


def add_feeds(
    store: Store, urls: list[str], politeness: Politeness | None = None,
) -> tuple[list[str], list[WatchError]]:
    """Add feeds by URL. A URL that is a site rather than a feed adds the feeds its page links
    to, or else the sitemaps its robots.txt names. Returns the feeds added and the failures."""
    return asyncio.run(_add_feeds(store, urls, politeness or Politeness()))


async def _add_feeds(
    store: Store, urls: list[str], politeness: Politeness
) -> tuple[list[str], list[WatchError]]:
    state = FeedState(store)
    added: list[str] = []
    errors: list[WatchError] = []
    async with Fetcher(politeness) as fetcher:
        for url in urls:
            found = await _feeds_at(fetcher, url)
            if isinstance(found, WatchError):
                errors.append(found)
                continue
            added.extend(feed for feed in found if state.add(feed))
    return added, errors


async def _feeds_at(fetcher: Fetcher, url: str) -> list[str] | WatchError:
    fetched = await fetcher.get(url)
    if fetched.error:
        return WatchError(url, fetched.error)
    try:
        read_listing(fetched.url, fetched.content)
        return [url]
    except NotAFeed as not_feed:
        links = feed_links(fetched.url, fetched.content)
        if links:
            return links
        parts = urlsplit(fetched.url)
        robots = await fetcher.get(f"{parts.scheme}://{parts.netloc}/robots.txt")
        sitemaps = [] if robots.error else robots_sitemaps(fetched.url, robots.content)
        if sitemaps:
            return sitemaps
        return WatchError(url, f"{not_feed}; the page links to no feed and robots.txt names "
                               "no sitemap")


def watch_once(
    store: Store,
    politeness: Politeness | None = None,
    model: str | None = None,
    on_error: Callable[[WatchError], None] | None = None,
) -> PassReport:
    """One pass over every feed in the store: new articles fetched, processed and stored."""
    return asyncio.run(_watch_once(store, politeness or Politeness(), model, on_error))


async def _watch_once(
    store: Store, politeness: Politeness, model: str | None,
    on_error: Callable[[WatchError], None] | None,
) -> PassReport:
    started = time.monotonic()
    state = FeedState(store)
    errors: list[WatchError] = []

    def fail(url: str, problem: str) -> None:
        error = WatchError(url, problem)
        errors.append(error)
        if on_error:
            on_error(error)

    feeds = state.feeds()
    async with Fetcher(politeness) as fetcher:
        outcomes = await asyncio.gather(*(_poll(fetcher, feed) for feed in feeds))
        not_modified = new_items = 0
        for feed, (fetched, listing, problem) in zip(feeds, outcomes, strict=True):
            if problem:
                fail(feed.url, problem)
                state.record_fetch(feed, "error", error=problem)
                continue
            assert fetched is not None
            not_modified += fetched.not_modified
            new_items += state.record_fetch(
                feed, str(fetched.status), kind=listing.kind if listing else None,
                etag=fetched.headers.get("etag"),
                last_modified=fetched.headers.get("last-modified"),
                urls=list(listing.urls) if listing else [],
            )
        pending = _by_url(state, state.pending())
        fetched_pages = await asyncio.gather(*(
            fetcher.get(url, accept=PAGE_TYPES) for url in pending
        ))
        requests = fetcher.requests
    pages: list[Page] = []
    for (url, items), fetched in zip(pending.items(), fetched_pages, strict=True):
        problem = fetched.error or binary_kind(fetched.content)
        if problem or not fetched.content:
            problem = problem or "empty page"
            fail(url, problem)
            for item in items:
                last = item.attempts + 1 >= MAX_ATTEMPTS or fetched.status in {404, 410}
                state.mark(item, FAILED if last else PENDING, error=problem)
            continue
        pages.append(_page(url, fetched))

    def stored(page: Page) -> None:
        for item in pending[page.source]:
            state.mark(item, STORED, page_id=page.id)

    def broken(error: InputError) -> None:
        fail(error.source, error.problem)
        for item in pending.get(error.source, []):
            state.mark(item, FAILED, error=error.problem)

    summary = ingest(store, pages, on_error=broken, model=model, on_stored=stored)
    return PassReport(
        feeds=len(feeds), not_modified=not_modified, new_items=new_items,
        fetched=len(pages), added=summary.added, events=summary.events, deals=summary.deals,
        requests=requests, seconds=time.monotonic() - started, errors=tuple(errors),
    )


async def _poll(
    fetcher: Fetcher, feed: Feed
) -> tuple[Fetched | None, Listing | None, str | None]:
    """Fetch a feed with its validators and read what it lists (a sitemap index: its
    sitemaps' lists too)."""
    fetched = await fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if fetched.error:
        return fetched, None, fetched.error
    if fetched.not_modified:
        return fetched, None, None
    try:
        listing = read_listing(fetched.url, fetched.content)
    except NotAFeed as exc:
        return fetched, None, str(exc)
    urls = list(listing.urls)
    queue = [(sitemap, 1) for sitemap in listing.sitemaps]
    seen = {feed.url}
    while queue:
        sitemap, depth = queue.pop(0)
        if sitemap in seen or depth > MAX_SITEMAP_DEPTH:
            continue
        seen.add(sitemap)
        child = await fetcher.get(sitemap)
        if child.error:
            return fetched, None, f"sitemap {sitemap}: {child.error}"
        try:
            part = read_listing(child.url, child.content)
        except NotAFeed as exc:
            return fetched, None, f"sitemap {sitemap}: {exc}"
        urls.extend(part.urls)
        queue.extend((s, depth + 1) for s in part.sitemaps)
    if not urls:
        return fetched, None, "the feed lists no items"
    return fetched, Listing(listing.kind, tuple(dict.fromkeys(urls))), None


def _by_url(state: FeedState, items: list[FeedItem]) -> dict[str, list[FeedItem]]:
    """Pending items grouped by URL (two feeds may list one article); those whose page is
    already stored (by another feed, or by ingest) are marked so and left out."""
    grouped: dict[str, list[FeedItem]] = {}
    for item in items:
        page_id = state.stored_url(item.url)
        if page_id is not None:
            state.mark(item, STORED, page_id=page_id)
            continue
        grouped.setdefault(item.url, []).append(item)
    return grouped


def _page(url: str, fetched: Fetched) -> Page:
    kind: ContentType = "text" if fetched.content_type == "text/plain" else "html"
    return Page(
        id=content_hash(fetched.content), name=url, source=url, url=fetched.url,
        content=fetched.content, content_type=kind,
    )
