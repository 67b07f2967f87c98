"""Reading feeds and sitemaps: the article URLs an RSS or Atom feed, a news sitemap or a
sitemap index lists, and the feeds a site's home page or robots.txt points to.

feedparser reads every feed dialect; trafilatura finds the feed links of a home page and the
sitemaps robots.txt names. Sitemaps are read here with the standard XML parser: trafilatura's
sitemap reader fetches for itself and drops links by domain and language, and the watcher must
do its own polite fetching and see every listed link.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser
from trafilatura.feeds import FeedParameters, determine_feed
from trafilatura.sitemaps import extract_robots_sitemaps

MAX_ITEMS = 10_000  # more links than any feed or sitemap of news lists


@dataclass(frozen=True)
class Listing:
    """What one feed document lists: its kind, article URLs and further sitemaps."""

    kind: str  # rss, atom or sitemap
    urls: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Return the listing as a JSON-ready dict."""
        return {"kind": self.kind, "urls": list(self.urls), "sitemaps": list(self.sitemaps)}


class NotAFeed(ValueError):
    """The document is neither a feed nor a sitemap; the message says what it is."""


def read_listing(url: str, content: bytes) -> Listing:
    """The article URLs (absolute, in the document's order, once each) of a feed or sitemap
    fetched from ``url``. Raises NotAFeed with the reason for anything else."""
    head = content.lstrip()[:2048].lower()
    if not head:
        raise NotAFeed("empty document")
    if b"<urlset" in head or b"<sitemapindex" in head:
        return _sitemap(url, content)
    parsed = feedparser.parse(content)
    version = parsed.get("version") or ""
    if not version:
        if head.startswith((b"<!doctype html", b"<html")):
            raise NotAFeed("an HTML page, not a feed")
        problem = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed ({problem})" if problem else "not a feed")
    links = []
    for entry in parsed.entries[:MAX_ITEMS]:
        link = entry.get("link")
        if link:
            links.append(urljoin(url, link.strip()))
    if parsed.get("bozo") and not links:
        raise NotAFeed(f"broken feed ({parsed.get('bozo_exception')})")
    return Listing("atom" if version.startswith("atom") else "rss", _unique(links))


def _sitemap(url: str, content: bytes) -> Listing:
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise NotAFeed(f"broken sitemap XML ({exc})") from exc
    index = root.tag.rsplit("}", 1)[-1] == "sitemapindex"
    locs = [
        urljoin(url, element.text.strip())
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "loc" and element.text and element.text.strip()
        and _is_entry_loc(element, root)
    ][:MAX_ITEMS]
    if index:
        return Listing("sitemap", (), _unique(locs))
    return Listing("sitemap", _unique(locs))


def _is_entry_loc(element: ElementTree.Element, root: ElementTree.Element) -> bool:
    """A <loc> of a <url> or <sitemap> entry, not of an image or video extension."""
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    return element.tag == f"{namespace}loc"


def feed_links(url: str, html: bytes) -> list[str]:
    """The feeds a web page (a site's home page) links to."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    params = FeedParameters(base, parts.hostname or "", url)
    return determine_feed(html.decode("utf-8", "replace"), params)


def robots_sitemaps(site: str, robots_txt: bytes) -> list[str]:
    """The sitemaps a site's robots.txt names."""
    parts = urlsplit(site)
    base = f"{parts.scheme}://{parts.netloc}"
    return extract_robots_sitemaps(robots_txt.decode("utf-8", "replace"), base)


def _unique(urls: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urls))
