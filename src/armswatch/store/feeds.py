"""What `armswatch watch` keeps between passes, in the same SQLite file as the articles: the
feeds, their HTTP validators and last errors, and every article URL they listed with whether it
is stored yet (schema: ``migrations/004_feeds.sql``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from armswatch.store import Store, _now

PENDING, STORED, FAILED = "pending", "stored", "failed"
MAX_ATTEMPTS = 3  # an article that failed this many passes is not fetched again


@dataclass(frozen=True)
class Feed:
    """A feed or sitemap the watcher polls, with what its last fetch gave."""

    id: int
    url: str
    kind: str | None
    added_at: str
    last_fetched_at: str | None
    last_status: str | None
    etag: str | None
    last_modified: str | None
    last_error: str | None
    items: int = 0
    stored: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Return the feed as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class FeedItem:
    """An article URL a feed listed and where the watcher is with it."""

    feed_id: int
    url: str
    state: str
    attempts: int

    def as_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-ready dict."""
        return asdict(self)


class FeedState:
    """The feeds and feed items of one store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._db = store._db

    def add(self, url: str) -> bool:
        """Add a feed by URL; False when it was already there."""
        with self._store._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO feeds(url, added_at) VALUES (?, ?)", (url, _now())
            )
        return cursor.rowcount == 1

    def remove(self, url: str) -> bool:
        """Forget a feed and its items (the articles stay); False when it was not there."""
        with self._store._transaction() as db:
            cursor = db.execute("DELETE FROM feeds WHERE url = ?", (url,))
        return cursor.rowcount == 1

    def feeds(self) -> list[Feed]:
        """Every feed, in the order they were added, with counts of their items."""
        rows = self._db.execute(
            "SELECT f.id, f.url, f.kind, f.added_at, f.last_fetched_at, f.last_status, f.etag, "
            "f.last_modified, f.last_error, count(i.url), "
            f"coalesce(sum(i.state = '{STORED}'), 0), coalesce(sum(i.state = '{FAILED}'), 0) "
            "FROM feeds f LEFT JOIN feed_items i ON i.feed_id = f.id GROUP BY f.id ORDER BY f.id"
        ).fetchall()
        return [Feed(*row) for row in rows]

    def record_fetch(
        self,
        feed: Feed,
        status: str,
        error: str | None = None,
        kind: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        urls: list[str] | None = None,
    ) -> int:
        """Record one fetch of a feed and the article URLs it listed, in one transaction (so
        its validators never get ahead of its items); return how many URLs were new."""
        with self._store._transaction() as db:
            if error is None:
                db.execute(
                    "UPDATE feeds SET last_fetched_at = ?, last_status = ?, last_error = NULL, "
                    "kind = coalesce(?, kind), etag = coalesce(?, etag), "
                    "last_modified = coalesce(?, last_modified) WHERE id = ?",
                    (_now(), status, kind, etag, last_modified, feed.id),
                )
            else:
                db.execute(
                    "UPDATE feeds SET last_fetched_at = ?, last_status = ?, last_error = ? "
                    "WHERE id = ?",
                    (_now(), status, error, feed.id),
                )
            new = 0
            for url in dict.fromkeys(urls or ()):
                cursor = db.execute(
                    "INSERT OR IGNORE INTO feed_items(feed_id, url, first_seen_at) "
                    "VALUES (?, ?, ?)",
                    (feed.id, url, _now()),
                )
                new += cursor.rowcount
        return new

    def pending(self) -> list[FeedItem]:
        """The items not yet stored that are still worth a try, oldest first."""
        rows = self._db.execute(
            "SELECT feed_id, url, state, attempts FROM feed_items "
            f"WHERE state = '{PENDING}' AND attempts < ? ORDER BY rowid",
            (MAX_ATTEMPTS,),
        ).fetchall()
        return [FeedItem(*row) for row in rows]

    def stored_url(self, url: str) -> str | None:
        """The id of a stored page fetched from ``url`` (by any feed or ingest), if any."""
        row = self._db.execute(
            "SELECT id FROM pages WHERE url = ? UNION ALL SELECT page_id FROM feed_items "
            f"WHERE url = ? AND state = '{STORED}' LIMIT 1",
            (url, url),
        ).fetchone()
        return row[0] if row else None

    def mark(self, item: FeedItem, state: str, page_id: str | None = None,
             error: str | None = None) -> None:
        """Record what became of an item: stored (with its page), failed for good, or still
        pending after a failed attempt."""
        with self._store._transaction() as db:
            db.execute(
                "UPDATE feed_items SET state = ?, page_id = coalesce(?, page_id), error = ?, "
                "attempts = attempts + 1 WHERE feed_id = ? AND url = ?",
                (state, page_id, error, item.feed_id, item.url),
            )
