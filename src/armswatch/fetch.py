"""Polite HTTP fetching for the watcher: httpx does the protocol (redirects, gzip, timeouts);
this module adds what a well-behaved crawler owes the sites it reads, which no library we use
bundles: robots.txt (``urllib.robotparser``), one request at a time per host with a pause
between them, conditional requests, retries with backoff on 429 and 5xx honouring
``Retry-After``, and a size limit.

Every failure comes back as a ``Fetched`` with ``error`` set, a line that names the URL's problem
in plain words, never as an exception: one bad source must not stop a pass.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from armswatch import __version__

MAX_BYTES = 10 * 1024 * 1024  # a news page or feed is never this large
MAX_REDIRECTS = 5
RETRIES = 3  # further tries after a 429 or 5xx
TIMEOUT = 20.0  # seconds for connecting and for each read
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class Fetched:
    """The outcome of one GET: the final URL, status, headers and body, or an error line."""

    url: str
    status: int | None = None
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server answered 304: nothing changed since the validators we sent."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type the server declared, lower case, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Politeness:
    """How the fetcher treats the sites it reads."""

    contact: str | None = None  # an e-mail or URL for site owners, sent in the User-Agent
    delay: float = 1.0  # seconds between two requests to the same host
    concurrency: int = 8  # requests in flight over all hosts
    timeout: float = TIMEOUT
    retries: int = RETRIES
    backoff: float = 1.0  # the first retry's wait; doubled for each further one
    max_wait: float = 120.0  # a Retry-After longer than this gives up for this pass
    max_bytes: int = MAX_BYTES

    @property
    def user_agent(self) -> str:
        """armswatch's User-Agent, with the contact address when one is set."""
        contact = f"; +{self.contact}" if self.contact else ""
        return f"armswatch/{__version__} (arms-transfer news tracker{contact})"


class Fetcher:
    """An async HTTP client that obeys robots.txt and paces itself per host. Use it as an
    ``async with`` block."""

    def __init__(self, politeness: Politeness | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.politeness = politeness or Politeness()
        self._client = httpx.AsyncClient(
            follow_redirects=True, max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(self.politeness.timeout),
            headers={"User-Agent": self.politeness.user_agent}, transport=transport,
        )
        self._slots = asyncio.Semaphore(self.politeness.concurrency)
        self._hosts: dict[str, asyncio.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self.requests = 0  # requests sent, robots.txt included

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] | None = None,
    ) -> Fetched:
        """GET ``url`` politely: allowed by robots.txt, with the validators given, retried on
        429 and 5xx; ``accept`` lists the media types the caller can read (others are an
        error)."""
        host = _host(url)
        if host is None:
            return Fetched(url, error="not an http(s) URL")
        refusal = await self._robots_refusal(url, host)
        if refusal:
            return Fetched(url, error=refusal)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self.politeness.retries + 1):
            fetched = await self._get_once(url, host, headers)
            if fetched.status not in RETRY_STATUSES or attempt == self.politeness.retries:
                break
            wait = retry_after(fetched.headers.get("retry-after"))
            if wait is None:
                wait = self.politeness.backoff * 2**attempt
            if wait > self.politeness.max_wait:
                return _failed(fetched, f"asks to retry after {wait:.0f} s; left for a later pass")
            await asyncio.sleep(wait)
        if fetched.error or fetched.not_modified:
            return fetched
        if fetched.status is not None and fetched.status >= 400:
            return _failed(fetched, f"HTTP {fetched.status}")
        if accept and fetched.content_type and not fetched.content_type.startswith(accept):
            return _failed(fetched, f"is {fetched.content_type}, not a page of text")
        return fetched

    async def _get_once(self, url: str, host: str, headers: dict[str, str]) -> Fetched:
        async with self._slots, self._hosts.setdefault(host, asyncio.Lock()):
            pause = self._last_request.get(host, 0.0) + self.politeness.delay - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                return await self._stream(url, headers)
            finally:
                self._last_request[host] = time.monotonic()

    async def _stream(self, url: str, headers: dict[str, str]) -> Fetched:
        self.requests += 1
        limit = self.politeness.max_bytes
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    return Fetched(str(response.url), response.status_code,
                                   headers=response.headers, error=_too_large(limit))
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > limit:
                        return Fetched(str(response.url), response.status_code,
                                       headers=response.headers, error=_too_large(limit))
                return Fetched(str(response.url), response.status_code, bytes(body),
                               response.headers)
        except httpx.TooManyRedirects:
            return Fetched(url, error=f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")
        except httpx.TimeoutException:
            return Fetched(url, error=f"no answer within {self.politeness.timeout:g} s")
        except httpx.HTTPError as exc:
            return Fetched(url, error=f"cannot fetch: {exc.__class__.__name__}: {exc}")

    async def _robots_refusal(self, url: str, host: str) -> str | None:
        """Why robots.txt forbids ``url`` (None when it allows it). As RFC 9309 says, a
        robots.txt that is missing (4xx) allows everything and one that cannot be read (5xx,
        no answer) forbids everything for now."""
        rules = self._robots.get(host)
        if rules is None:
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            fetched = await self._get_once(robots_url, host, {})
            if fetched.error or fetched.status is None or fetched.status >= 500:
                rules = f"robots.txt could not be read ({fetched.error or fetched.status})"
            else:
                parser = urllib.robotparser.RobotFileParser(robots_url)
                text = "" if fetched.status >= 400 else fetched.content.decode("utf-8", "replace")
                parser.parse(text.splitlines())  # no rules: everything allowed
                rules = parser
            self._robots[host] = rules
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.politeness.user_agent, url):
            return "robots.txt forbids this path"
        return None


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after(value: str | None) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _host(url: str) -> str | None:
    parts = urlsplit(url)
    return parts.netloc.lower() if parts.scheme in {"http", "https"} and parts.netloc else None


def _failed(fetched: Fetched, error: str) -> Fetched:
    return Fetched(fetched.url, fetched.status, b"", fetched.headers, error)


def _too_large(limit: int) -> str:
    return f"larger than the {limit // (1024 * 1024)} MB limit"
