"""The SQLite store: pages, articles, events with their evidence, and the deals built from them.

The database is written here only, in transactions. The schema lives in the numbered
``migrations/NNN_*.sql`` files, applied in order when a store is opened for writing; the
``schema_migrations`` table records which ones ran. Readers (the web server) open the store
read-only.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from armswatch import dedup
from armswatch.link import Reported, build_deals, claim_values, deal_key
from armswatch.model import Article, Deal, Event, Evidence, FieldClaim, Money, Page, Quantity

__all__ = [
    "DEAL_SORTS", "DEAL_STATUSES", "Document", "SearchError", "SearchHit", "SearchResult",
    "Source", "Store", "TimelineEntry", "fts_query", "migrations",
]

# The columns deals can be sorted by, by the name a user gives; the only text that reaches the
# ORDER BY clause.
DEAL_SORTS = {
    "supplier": "supplier",
    "recipient": "recipient",
    "system": "system COLLATE NOCASE",
    "category": "category",
    "status": "status",
    "ordered": "order_date",
    "quantity": "quantity_value",
    "value": "value_amount",
    "sources": "sources",
    "conflicts": "json_array_length(conflicts)",
    "confidence": "confidence",
}
# A deal's furthest stage, in the order a purchase goes through them.
DEAL_STATUSES = ("planned", "talks", "ordered", "delivered", "deployed", "cancelled")
# Markers around the matched words of a search snippet; control characters no page text keeps.
SNIPPET_START, SNIPPET_END = "\x02", "\x03"

_MIGRATION_NAME = re.compile(r"^(\d{3})_[\w-]+\.sql$")

_EVENT_COLUMNS = (
    "e.id, e.type, e.status, e.supplier, e.recipient, e.system, e.date, e.quantity_value, "
    'e.quantity_unit, e.value_amount, e.value_currency, v.article_id, v.start, v."end", '
    "v.sentence, e.confidence"
)
_EVENT_WIDTH = 16  # the number of columns in _EVENT_COLUMNS


@dataclass(frozen=True)
class Source:
    """One article that states an event: where it is, when it was published, the sentence."""

    article_id: str
    source: str  # the article's url, else the page name
    published: str | None
    title: str | None
    sentence: str
    start: int
    end: int
    duplicate_of: str | None  # the earlier article this one copies, if any

    def as_dict(self) -> dict[str, Any]:
        """Return the source as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """A stored article with its page's name, the events stated in it (each with the deal it
    belongs to), and the articles it copies or that copy it."""

    article: Article
    page_name: str
    events: tuple[tuple[Event, str | None], ...]
    duplicate_of: str | None
    copies: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the article's fields plus ``page_name``, ``events`` (each with its
        ``deal_id``), ``duplicate_of`` and ``copies``."""
        data = self.article.as_dict()
        data.update(
            page_name=self.page_name,
            events=[{**event.as_dict(), "deal_id": deal_id} for event, deal_id in self.events],
            duplicate_of=self.duplicate_of,
            copies=list(self.copies),
        )
        return data


@dataclass(frozen=True)
class SearchHit:
    """One article found by a full-text search, with a snippet around the matched words.

    ``snippet`` marks each match with ``SNIPPET_START`` and ``SNIPPET_END``; the text between
    the markers is the page's own text, not yet escaped for any output format.
    """

    article_id: str
    source: str
    title: str | None
    published: str | None
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        """Return the hit as a JSON-ready dict, the snippet's matches in ``[...]``."""
        data = asdict(self)
        data["snippet"] = self.snippet.replace(SNIPPET_START, "[").replace(SNIPPET_END, "]")
        return data


@dataclass(frozen=True)
class SearchResult:
    """The hits of one search page and how many articles match in all."""

    query: str
    total: int
    hits: tuple[SearchHit, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"query", "total", "hits"}``."""
        return {"query": self.query, "total": self.total,
                "hits": [hit.as_dict() for hit in self.hits]}


class SearchError(ValueError):
    """A search query SQLite's full-text syntax cannot read (an unclosed quote, a stray
    operator); the message says what to change."""


@dataclass(frozen=True)
class TimelineEntry:
    """One fact of a deal's timeline with every article that states it.

    ``event`` is the fact as first reported; ``reports`` counts independent reports among the
    sources; ``conflicts`` names the deal fields on which this fact's claim disagrees with
    other reports.
    """

    event: Event
    deal_id: str
    sources: tuple[Source, ...]
    reports: int
    conflicts: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the event's fields, the deal id, conflicts and sources (the first also as
        ``source``, ``published`` and ``title``)."""
        data = self.event.as_dict()
        first = self.sources[0]
        data.update(
            deal_id=self.deal_id, reports=self.reports, conflicts=list(self.conflicts),
            source=first.source, published=first.published, title=first.title,
            sources=[source.as_dict() for source in self.sources],
        )
        return data


def migrations() -> list[tuple[int, str, str]]:
    """Return the packaged migrations as (number, file name, SQL), in order."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number: {[name for _, name, _ in found]}")
    return found


class Store:
    """A handle on one armswatch database. Use ``Store.open``; close it or use ``with``."""

    def __init__(self, connection: sqlite3.Connection, readonly: bool) -> None:
        self._db = connection
        self.readonly = readonly

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Store:
        """Open (creating if needed) the database at ``path`` and apply pending migrations.

        ``":memory:"`` gives a private in-memory database. With ``readonly`` the file must
        exist; it is opened with ``mode=ro`` and no migration is applied.
        """
        if readonly:
            if str(path) == ":memory:":
                raise ValueError("an in-memory database cannot be opened read-only")
            file = Path(path)
            if not file.is_file():
                raise FileNotFoundError(f"no database at {file}")
            uri = file.resolve().as_uri() + "?mode=ro"
            # a web request opens, uses and closes its handle in different worker threads,
            # one after another, never at once
            connection = sqlite3.connect(uri, uri=True, isolation_level=None,
                                         check_same_thread=False)
        else:
            connection = sqlite3.connect(str(path), isolation_level=None)
        connection.execute("PRAGMA busy_timeout=5000")
        connection.execute("PRAGMA foreign_keys=ON")
        store = cls(connection, readonly)
        if not readonly:
            connection.execute("PRAGMA journal_mode=WAL")
            store._migrate()
        return store

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction: committed on success, rolled back on error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        """Apply the migrations not yet recorded in ``schema_migrations``, each atomically."""
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for number, name, sql in migrations():
            if number in self.applied_migrations():
                continue
            record = (
                "INSERT INTO schema_migrations(number, name, applied_at) "
                f"VALUES ({number}, '{name}', '{_now()}');"
            )
            try:
                # executescript runs statements one by one; BEGIN/COMMIT make the file atomic.
                self._db.executescript(f"BEGIN IMMEDIATE;\n{sql}\n;{record}\nCOMMIT;")
            except sqlite3.Error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def pending_migrations(self) -> list[int]:
        """Return the numbers of the packaged migrations this database has not had yet."""
        applied = set(self.applied_migrations())
        return [number for number, _, _ in migrations() if number not in applied]

    def backfill_signatures(self) -> int:
        """Give stored articles without a MinHash signature (stored before migration 2) one,
        marking copies as new articles are; return how many were done."""
        missing = self._db.execute(
            "SELECT id, text FROM articles WHERE signature IS NULL ORDER BY rowid"
        ).fetchall()
        for article_id, text in missing:
            signature = dedup.signature(text)
            with self._transaction() as db:
                db.execute(
                    "UPDATE articles SET signature = ?, duplicate_of = ? WHERE id = ?",
                    (signature.to_bytes(), _original_of(db, signature), article_id),
                )
                db.executemany(
                    "INSERT INTO article_bands(key, article_id) VALUES (?, ?)",
                    [(key, article_id) for key in signature.band_keys()],
                )
        return len(missing)

    def applied_migrations(self) -> list[int]:
        """Return the numbers of the migrations applied to this database, in order."""
        rows = self._db.execute("SELECT number FROM schema_migrations ORDER BY number")
        return [number for (number,) in rows]

    # -- writing -------------------------------------------------------------------------

    def add(
        self,
        page: Page,
        article: Article | None,
        events: list[Event],
        signature: dedup.Signature | None = None,
        size: int | None = None,
    ) -> bool:
        """Store one processed page with its article and events in one transaction.

        Returns False and writes nothing when the page id is already stored, so re-ingesting
        the same input is a no-op. The page's content bytes are not stored, only its metadata
        and size (``size`` gives it when the content is not at hand). ``article`` may be None
        for a page that gave no article (then no events). An article that copies one already
        stored (its MinHash ``signature``, computed here when not given, is similar enough) is
        marked as a duplicate of it.
        """
        if article is None and events:
            raise ValueError("events need the article they were extracted from")
        with self._transaction() as db:
            if _exists(db, "pages", page.id):
                return False
            db.execute(
                "INSERT INTO pages(id, name, source, url, content_type, size, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (page.id, page.name, page.source, page.url, page.content_type,
                 len(page.content) if size is None else size, _now()),
            )
            if article is None:
                return True
            if article.page_id != page.id:
                raise ValueError(f"article {article.id} belongs to page {article.page_id}")
            signature = signature or dedup.signature(article.text)
            db.execute(
                "INSERT OR IGNORE INTO articles(id, page_id, name, url, title, published, site, "
                "language, text, duplicate_of, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, article.page_id, article.name, article.url, article.title,
                 article.published, article.site, article.language, article.text,
                 _original_of(db, signature), signature.to_bytes()),
            )
            db.executemany(
                "INSERT INTO article_bands(key, article_id) VALUES (?, ?)",
                [(key, article.id) for key in signature.band_keys()],
            )
            for event in events:
                if event.evidence.article_id != article.id:
                    raise ValueError(f"event {event.id} is not from article {article.id}")
                self._insert_event(db, event)
        return True

    @staticmethod
    def _insert_event(db: sqlite3.Connection, event: Event) -> None:
        """Insert one event and its evidence, unless an event with its id is stored."""
        quantity, value, evidence = event.quantity, event.value, event.evidence
        inserted = db.execute(
            "INSERT OR IGNORE INTO events(id, article_id, type, status, supplier, recipient, "
            "system, date, quantity_value, quantity_unit, value_amount, value_currency, "
            "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event.id, evidence.article_id, event.type, event.status, event.supplier,
             event.recipient, event.system, event.date,
             quantity.value if quantity else None, quantity.unit if quantity else None,
             value.amount if value else None, value.currency if value else None,
             event.confidence),
        ).rowcount
        if inserted:
            db.execute(
                'INSERT INTO evidence(event_id, article_id, start, "end", sentence) '
                "VALUES (?, ?, ?, ?, ?)",
                (event.id, evidence.article_id, evidence.start, evidence.end, evidence.sentence),
            )

    @property
    def min_confidence(self) -> float | None:
        """The confidence at or above which learned events make deals (None: all of them)."""
        row = self._db.execute(
            "SELECT value FROM settings WHERE key = 'min_confidence'"
        ).fetchone()
        return float(row[0]) if row else None

    def set_min_confidence(self, value: float | None) -> None:
        """Set the threshold for learned events; ``rebuild_deals`` applies it."""
        with self._transaction() as db:
            if value is None:
                db.execute("DELETE FROM settings WHERE key = 'min_confidence'")
            else:
                db.execute(
                    "INSERT INTO settings(key, value) VALUES ('min_confidence', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (repr(float(value)),),
                )

    def rebuild_deals(self, category_of: Callable[[str], str | None] | None = None) -> int:
        """Recompute the deals table from the events (learned ones at or above
        ``min_confidence``) and set events.deal_id.

        Runs in one transaction with ``link.build_deals``; returns the number of deals.
        """
        with self._transaction() as db:
            reported = list(self._reported_events())
            # events were stored under the id their extractor gave them; link by that id
            stored_id = {report.event.id: event_id for event_id, report in reported}
            deals = build_deals((report for _, report in reported), category_of)
            db.execute("UPDATE events SET deal_id = NULL")
            db.execute("DELETE FROM deal_claims")
            db.execute("DELETE FROM deals")
            for deal, event_ids in deals:
                db.execute(
                    f"INSERT INTO deals({_DEAL_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _deal_row(deal),
                )
                db.executemany(
                    "INSERT INTO deal_claims(deal_id, position, field, value, reports, sources, "
                    "first_report, last_report, chosen, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (deal.id, position, c.field, c.value, c.reports, json.dumps(c.sources),
                         c.first_report, c.last_report, int(c.chosen), c.reason)
                        for position, c in enumerate(deal.claims)
                    ],
                )
                db.executemany(
                    "UPDATE events SET deal_id = ? WHERE id = ?",
                    [(deal.id, stored_id.get(event_id, event_id)) for event_id in event_ids],
                )
        return len(deals)

    # -- reading -------------------------------------------------------------------------

    def has_page(self, page_id: str) -> bool:
        """True when a page with ``page_id`` is stored."""
        return _exists(self._db, "pages", page_id)

    def stats(self) -> dict[str, int]:
        """Return row counts: pages, articles, events, evidence, deals, and the articles that
        are copies of an earlier one."""
        tables = ("pages", "articles", "events", "evidence", "deals")
        counts = {
            table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in tables
        }
        counts["copies"] = self._db.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
        ).fetchone()[0]
        return counts

    def article(self, article_id: str) -> Article | None:
        """Return the stored article with ``article_id``, or None."""
        row = self._db.execute(
            "SELECT id, page_id, name, url, title, published, site, language, text "
            "FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return Article(*row) if row else None

    def document(self, article_id: str) -> Document | None:
        """Return the article with ``article_id`` and its events, or None."""
        article = self.article(article_id)
        if article is None:
            return None
        page_name, duplicate_of = self._db.execute(
            "SELECT p.name, a.duplicate_of FROM articles a JOIN pages p ON p.id = a.page_id "
            "WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        events = tuple(
            (_event(row[:_EVENT_WIDTH]), row[_EVENT_WIDTH])
            for row in self._db.execute(
                f"SELECT {_EVENT_COLUMNS}, e.deal_id FROM events e "
                "JOIN evidence v ON v.event_id = e.id WHERE e.article_id = ? "
                "ORDER BY v.start, e.rowid",
                (article_id,),
            )
        )
        copies = tuple(
            row[0] for row in self._db.execute(
                "SELECT id FROM articles WHERE duplicate_of = ? ORDER BY rowid", (article_id,)
            )
        )
        return Document(article, page_name, events, duplicate_of, copies)

    def events(self, article_id: str | None = None) -> Iterator[tuple[Event, str | None]]:
        """Yield every stored event (or those of one article) with its article's published date."""
        sql = (
            f"SELECT {_EVENT_COLUMNS}, a.published FROM events e "
            "JOIN evidence v ON v.event_id = e.id JOIN articles a ON a.id = e.article_id"
        )
        params: tuple[str, ...] = ()
        if article_id is not None:
            sql += " WHERE e.article_id = ?"
            params = (article_id,)
        for row in self._db.execute(sql + " ORDER BY e.rowid", params):
            yield _event(row[:_EVENT_WIDTH]), row[_EVENT_WIDTH]

    def _reported_events(self) -> Iterator[tuple[str, Reported]]:
        """Every stored event, by its stored id, with its article's date and its independent
        report (the first stored copy of the article's story)."""
        sql = (
            f"SELECT {_EVENT_COLUMNS}, a.published, coalesce(a.duplicate_of, a.id) FROM events e "
            "JOIN evidence v ON v.event_id = e.id JOIN articles a ON a.id = e.article_id "
            "WHERE e.confidence IS NULL OR e.confidence >= ? ORDER BY e.rowid"
        )
        for row in self._db.execute(sql, (self.min_confidence or 0.0,)):
            published, report = row[_EVENT_WIDTH:]
            yield row[0], Reported(_event(row[:_EVENT_WIDTH]), published, report)

    def duplicates(self) -> dict[str, list[str]]:
        """Return each article that has copies, with the ids of its copies."""
        copies: dict[str, list[str]] = {}
        for article_id, original in self._db.execute(
            "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL ORDER BY rowid"
        ):
            copies.setdefault(original, []).append(article_id)
        return copies

    def deals(
        self,
        supplier: str | None = None,
        recipient: str | None = None,
        system: str | None = None,
        with_event: Iterable[str] = (),
        *,
        category: str | None = None,
        status: str | None = None,
        conflicted: bool | None = None,
        sort: str | None = None,
        descending: bool = False,
    ) -> list[Deal]:
        """Return the deals matching the filters, ordered by recipient and system.

        ``supplier`` and ``recipient`` are ISO3 codes (any case); ``system`` and ``category``
        match case-insensitively; ``status`` is one of ``DEAL_STATUSES``; ``conflicted`` keeps
        deals with (True) or without (False) conflicting claims; ``with_event`` keeps deals with
        an event of one of these types (e.g. ``("order", "delivery")``). ``sort`` names a key of
        ``DEAL_SORTS``; empty values sort last either way.
        """
        clauses, params = _deal_clauses(supplier, recipient, system)
        if category:
            clauses.append("category = ? COLLATE NOCASE")
            params.append(category)
        if status:
            clauses.append("status = ?")
            params.append(status)
        if conflicted is not None:
            clauses.append("conflicts != '[]'" if conflicted else "conflicts = '[]'")
        types = list(with_event)
        if types:
            marks = ", ".join("?" * len(types))
            clauses.append(f"id IN (SELECT deal_id FROM events WHERE type IN ({marks}))")
            params += types
        where = _where(clauses)
        order = "recipient IS NULL, recipient, system COLLATE NOCASE, supplier, order_date"
        if sort is not None:
            if sort not in DEAL_SORTS:
                raise ValueError(f"cannot sort deals by {sort!r}; use one of {sorted(DEAL_SORTS)}")
            column = DEAL_SORTS[sort]
            order = f"{column} IS NULL, {column}{' DESC' if descending else ''}, " + order
        rows = self._db.execute(
            f"SELECT {_DEAL_COLUMNS} FROM deals{where} ORDER BY {order}", params
        ).fetchall()
        claims = self._claims([row[0] for row in rows])
        return [_deal(row, claims.get(row[0], ())) for row in rows]

    def parties(self) -> list[str]:
        """Return the ISO3 codes of every supplier and recipient of a stored deal."""
        return [
            row[0] for row in self._db.execute(
                "SELECT supplier FROM deals WHERE supplier IS NOT NULL UNION "
                "SELECT recipient FROM deals WHERE recipient IS NOT NULL"
            )
        ]

    def categories(self) -> list[str]:
        """Return the categories the stored deals have, sorted."""
        return [
            row[0] for row in self._db.execute(
                "SELECT DISTINCT category FROM deals WHERE category IS NOT NULL ORDER BY category"
            )
        ]

    def deal(self, deal_id: str) -> Deal | None:
        """Return the deal with ``deal_id`` and its claims, or None."""
        row = self._db.execute(
            f"SELECT {_DEAL_COLUMNS} FROM deals WHERE id = ?", (deal_id,)
        ).fetchone()
        return _deal(row, self._claims([deal_id]).get(deal_id, ())) if row else None

    def _claims(self, deal_ids: list[str]) -> dict[str, tuple[FieldClaim, ...]]:
        """The claims of the given deals, in display order."""
        found: dict[str, list[FieldClaim]] = {}
        for row in self._db.execute(
            "SELECT deal_id, field, value, reports, sources, first_report, last_report, chosen, "
            "reason FROM deal_claims WHERE deal_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY deal_id, position",
            (json.dumps(deal_ids),),
        ):
            found.setdefault(row[0], []).append(
                FieldClaim(row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6],
                           bool(row[7]), row[8])
            )
        return {deal_id: tuple(claims) for deal_id, claims in found.items()}

    def timeline(
        self, system: str, recipient: str | None = None, supplier: str | None = None
    ) -> list[TimelineEntry]:
        """Return the facts of the matching deal(s) in date order, each with its sources.

        Events of one deal that state the same fact (type, status, date, number, value) in
        different articles are one entry. Undated facts come last; ties are ordered by first
        publication. Deals come from the last ``rebuild_deals``.
        """
        clauses, params = _deal_clauses(supplier, recipient, system, table="d")
        return self._timeline(_where(clauses), params)

    def deal_timeline(self, deal_id: str) -> list[TimelineEntry]:
        """Return the facts of one deal in date order, each with its sources (as ``timeline``)."""
        return self._timeline(" WHERE d.id = ?", [deal_id])

    def _timeline(self, where: str, params: list[str]) -> list[TimelineEntry]:
        rows = self._db.execute(
            f"SELECT {_EVENT_COLUMNS}, coalesce(a.url, p.name), a.published, a.title, d.id, "
            "a.duplicate_of, coalesce(a.duplicate_of, a.id) "
            "FROM deals d JOIN events e ON e.deal_id = d.id "
            "JOIN evidence v ON v.event_id = e.id "
            "JOIN articles a ON a.id = e.article_id JOIN pages p ON p.id = a.page_id"
            f"{where} ORDER BY e.date IS NULL, e.date, a.published IS NULL, a.published, "
            "v.start, e.id",
            params,
        ).fetchall()
        conflicts = {
            deal_id: set(json.loads(fields))
            for deal_id, fields in self._db.execute(
                "SELECT id, conflicts FROM deals WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted({row[_EVENT_WIDTH + 3] for row in rows})),),
            )
        }
        facts: dict[tuple[Any, ...], list[tuple[Event, Source, str]]] = {}
        for row in rows:
            event = _event(row[:_EVENT_WIDTH])
            url, published, title, deal_id, duplicate_of, report = row[_EVENT_WIDTH:]
            source = Source(
                article_id=event.evidence.article_id, source=url, published=published,
                title=title, sentence=event.evidence.sentence, start=event.evidence.start,
                end=event.evidence.end, duplicate_of=duplicate_of,
            )
            key = (deal_id, event.type, event.status, deal_key(event), event.date,
                   event.quantity, event.value)
            facts.setdefault(key, []).append((event, source, report))
        return [
            TimelineEntry(
                event=members[0][0],
                deal_id=key[0],
                sources=tuple(source for _, source, _ in members),
                reports=len({report for _, _, report in members}),
                conflicts=tuple(
                    name for name in claim_values(members[0][0]) if name in conflicts[key[0]]
                ),
            )
            for key, members in facts.items()
        ]

    def search(self, query: str, limit: int = 50, offset: int = 0) -> SearchResult:
        """Find articles by full-text search (SQLite FTS5 syntax: words, "phrases", OR, NOT,
        prefix*), best match first, with a snippet around the matches.

        Raises ``SearchError`` for a query FTS5 cannot parse.
        """
        query = query.strip()
        if not query:
            return SearchResult(query, 0, ())
        if query.count('"') % 2:
            raise SearchError(f'the search {query!r} opens a quote it does not close: put a '
                              'phrase between two double quotes ("air defence")')
        match = fts_query(query)
        try:
            total = self._db.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)
            ).fetchone()[0]
            rows = self._db.execute(
                "SELECT a.id, coalesce(a.url, p.name), a.title, a.published, "
                "snippet(articles_fts, 1, ?, ?, '…', 24) "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "JOIN pages p ON p.id = a.page_id "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                (SNIPPET_START, SNIPPET_END, match, limit, offset),
            ).fetchall()
        except sqlite3.OperationalError as error:
            raise SearchError(
                f"cannot read the search {query!r} ({error}); search for words, put a phrase in "
                'double quotes ("air defence"), and use OR, NOT or a trailing * only between words'
            ) from error
        return SearchResult(query, total, tuple(SearchHit(*row) for row in rows))


_QUERY_PART = re.compile(r'"[^"]*"|[()]|[^\s()"]+(?:"[^\s()]*)*|"')
_FTS_OPERATORS = {"AND", "OR", "NOT"}


def fts_query(query: str) -> str:
    """Turn what a user types into an FTS5 query: designations like S-400, Su-30MKI or F/A-18
    are searched as phrases (FTS5 would read "S-400" as column S minus 400); quoted phrases,
    parentheses, AND, OR, NOT and word* prefixes keep their FTS5 meaning."""
    parts = []
    for part in _QUERY_PART.findall(query):
        plain = part.rstrip("*")
        if (part in _FTS_OPERATORS or part in "()" or (part.startswith('"') and part.endswith('"')
                and len(part) > 1) or (plain and re.fullmatch(r"\w+", plain))):
            parts.append(part)
        else:
            parts.append('"' + part.replace('"', '""') + '"')
    return " ".join(parts)


_DEAL_COLUMNS = (
    "id, supplier, recipient, system, category, status, order_date, quantity_value, "
    "quantity_unit, value_amount, value_currency, delivery_dates, quantity_delivered, "
    "first_report, last_report, sources, events, reports, conflicts, confidence"
)


def _original_of(db: sqlite3.Connection, signature: dedup.Signature) -> str | None:
    """The first stored article whose text this signature copies, or None.

    Candidates share a band of the signature (the LSH index); the most similar one at or above
    ``dedup.THRESHOLD`` wins, and a copy of a copy points at the original.
    """
    keys = signature.band_keys()
    if not keys:
        return None
    marks = ", ".join("?" * len(keys))
    candidates = db.execute(
        "SELECT a.id, a.duplicate_of, a.signature FROM articles a WHERE a.id IN "
        f"(SELECT DISTINCT article_id FROM article_bands WHERE key IN ({marks})) "
        "ORDER BY a.rowid",
        keys,
    ).fetchall()
    return dedup.best_match(
        signature,
        ((original or article_id, dedup.Signature.from_bytes(blob))
         for article_id, original, blob in candidates),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _exists(db: sqlite3.Connection, table: str, row_id: str) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None


def _deal_clauses(
    supplier: str | None, recipient: str | None, system: str | None, table: str = "deals"
) -> tuple[list[str], list[str]]:
    """The conditions and parameters of the deal filters."""
    clauses, params = [], []
    if supplier:
        clauses.append(f"{table}.supplier = ?")
        params.append(supplier.upper())
    if recipient:
        clauses.append(f"{table}.recipient = ?")
        params.append(recipient.upper())
    if system:
        clauses.append(f"{table}.system = ? COLLATE NOCASE")
        params.append(system)
    return clauses, params


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _event(row: tuple[Any, ...]) -> Event:
    """Rebuild an Event from the columns listed in ``_EVENT_COLUMNS``."""
    (_, type_, status, supplier, recipient, system, date, q_value, q_unit, amount, currency,
     article_id, start, end, sentence, confidence) = row
    return Event(
        type=type_,
        status=status,
        supplier=supplier,
        recipient=recipient,
        system=system,
        date=date,
        quantity=Quantity(q_value, q_unit) if q_value is not None else None,
        value=Money(amount, currency) if amount is not None else None,
        evidence=Evidence(article_id, start, end, sentence),
        confidence=confidence,
    )


def _deal_row(deal: Deal) -> tuple[Any, ...]:
    quantity, value = deal.quantity, deal.value
    return (
        deal.id, deal.supplier, deal.recipient, deal.system, deal.category, deal.status,
        deal.order_date, quantity.value if quantity else None, quantity.unit if quantity else None,
        value.amount if value else None, value.currency if value else None,
        json.dumps(list(deal.delivery_dates)), deal.quantity_delivered, deal.first_report,
        deal.last_report, deal.sources, deal.events, deal.reports, json.dumps(deal.conflicts),
        deal.confidence,
    )


def _deal(row: tuple[Any, ...], claims: tuple[FieldClaim, ...]) -> Deal:
    (id_, supplier, recipient, system, category, status, order_date, q_value, q_unit, amount,
     currency, delivery_dates, delivered, first, last, sources, events, reports, conflicts,
     confidence) = row
    return Deal(
        id=id_,
        supplier=supplier,
        recipient=recipient,
        system=system,
        category=category,
        status=status,
        order_date=order_date,
        quantity=Quantity(q_value, q_unit) if q_value is not None else None,
        value=Money(amount, currency) if amount is not None else None,
        delivery_dates=tuple(json.loads(delivery_dates)),
        quantity_delivered=delivered,
        first_report=first,
        last_report=last,
        sources=sources,
        events=events,
        reports=reports,
        conflicts=tuple(json.loads(conflicts)),
        confidence=confidence,
        claims=claims,
    )
