"""Tests for armswatch.store: schema, idempotent adds, deals and timelines."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from armswatch.model import Article, Event, Evidence, Money, Page, Quantity, content_hash
from armswatch.store import Store, TimelineEntry, migrations

ORDER_TEXT = (
    "Ankara, 12 March 2019. Turkey signed a contract with Russia in September 2017 for four "
    "S-400 batteries worth $2.5 billion. Officials said deliveries would begin next year."
)
DELIVERY_TEXT = (
    "The first S-400 battery arrived in Turkey from Russia in July 2019, the defence ministry "
    "said. India also received its first S-400 squadron from Russia in December 2021."
)


def make_page(name: str, text: str) -> Page:
    """A text page whose id is the hash of its content and name."""
    return Page(
        id=content_hash(name + "\n" + text), name=name, source="test", url=None,
        content=text.encode(), content_type="text",
    )


def make_article(page: Page, text: str, published: str | None, url: str | None) -> Article:
    """The article of ``page``: the whole text."""
    return Article(
        id=page.id[:16], page_id=page.id, name=page.name, url=url, title=f"About {page.name}",
        published=published, site=None, language="en", text=text,
    )


def make_event(article: Article, sentence_start: str, **fields: object) -> Event:
    """An event whose evidence is the sentence of ``article`` starting with ``sentence_start``."""
    start = article.text.index(sentence_start)
    end = article.text.index(".", start) + 1
    defaults: dict[str, object] = {
        "status": "happened", "supplier": "RUS", "recipient": "TUR", "system": "S-400",
        "date": None, "quantity": None, "value": None,
    }
    defaults.update(fields)
    return Event(
        evidence=Evidence(article.id, start, end, article.text[start:end]), **defaults  # type: ignore[arg-type]
    )


def order_doc() -> tuple[Page, Article, list[Event]]:
    page = make_page("order.txt", ORDER_TEXT)
    article = make_article(page, ORDER_TEXT, "2019-03-12", "https://example.org/order")
    events = [
        make_event(article, "Turkey signed", type="order", date="2017-09",
                   quantity=Quantity(4, "battery"), value=Money(2.5e9, "USD")),
        make_event(article, "Officials said", type="delivery", status="expected", date="2020"),
    ]
    return page, article, events


def delivery_doc() -> tuple[Page, Article, list[Event]]:
    page = make_page("delivery.txt", DELIVERY_TEXT)
    article = make_article(page, DELIVERY_TEXT, "2021-12-20", None)
    events = [
        make_event(article, "The first", type="delivery", date="2019-07",
                   quantity=Quantity(1, "battery")),
        make_event(article, "India also", type="delivery", recipient="IND", date="2021-12",
                   quantity=Quantity(1, "squadron")),
    ]
    return page, article, events


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as db:
        yield db


@pytest.fixture
def filled(store: Store) -> Store:
    assert store.add(*order_doc())
    assert store.add(*delivery_doc())
    store.rebuild_deals(category_of=lambda system: "SAM" if system == "S-400" else None)
    return store


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    numbers = [number for number, _, _ in migrations()]
    assert numbers and numbers[0] == 1
    with Store.open(path) as db:
        assert db.applied_migrations() == numbers
    with Store.open(path) as db:  # reopening applies nothing again
        assert db.applied_migrations() == numbers
    rows = sqlite3.connect(path).execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert rows[0] == len(numbers)


def test_file_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Store.open(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store.open(path) as db:
        assert db._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        with pytest.raises(sqlite3.IntegrityError):
            db._db.execute(
                "INSERT INTO articles(id, page_id, name, text) VALUES ('a', 'missing', 'n', 't')"
            )


def test_add_stores_metadata_text_and_events(store: Store) -> None:
    page, article, events = order_doc()
    assert not store.has_page(page.id)
    assert store.add(page, article, events) is True
    assert store.has_page(page.id)
    assert store.stats() == {
        "pages": 1, "articles": 1, "events": 2, "evidence": 2, "deals": 0, "copies": 0,
    }
    assert store.article(article.id) == article
    assert [event for event, _ in store.events()] == events
    assert {published for _, published in store.events()} == {"2019-03-12"}


def test_page_content_is_not_stored(store: Store) -> None:
    page, article, events = order_doc()
    store.add(page, article, events)
    columns = {row[1] for row in store._db.execute("PRAGMA table_info(pages)")}
    assert "content" not in columns
    size = store._db.execute("SELECT size FROM pages WHERE id = ?", (page.id,)).fetchone()[0]
    assert size == len(page.content)


def test_readding_a_page_writes_nothing(store: Store) -> None:
    page, article, events = order_doc()
    assert store.add(page, article, events)
    before = store.stats()
    assert store.add(page, article, events) is False
    assert store.add(page, article, [*events, events[0]]) is False
    assert store.stats() == before


def test_duplicate_event_in_one_page_is_stored_once(store: Store) -> None:
    page, article, events = order_doc()
    store.add(page, article, [events[0], events[0]])
    assert store.stats()["events"] == 1
    assert store.stats()["evidence"] == 1


def test_failed_add_rolls_back(store: Store) -> None:
    page, article, events = order_doc()
    other = make_page("other.txt", "text")
    with pytest.raises(ValueError):
        store.add(other, article, events)  # the article belongs to another page
    assert store.stats()["pages"] == 0
    assert not store.has_page(other.id)
    stray = make_event(make_article(other, ORDER_TEXT, None, None), "Turkey", type="order")
    with pytest.raises(ValueError):
        store.add(page, article, [*events, stray])  # an event from another article
    assert set(store.stats().values()) == {0}
    assert store._db.execute("SELECT count(*) FROM article_bands").fetchone()[0] == 0


def test_page_without_article_is_remembered(store: Store) -> None:
    page = make_page("empty.txt", "")
    assert store.add(page, None, [])
    assert store.add(page, None, []) is False
    assert store.stats()["pages"] == 1
    assert store.stats()["articles"] == 0


def test_readonly_handle_reads_but_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    page, article, events = order_doc()
    with Store.open(path) as db:
        db.add(page, article, events)
    with Store.open(path, readonly=True) as db:
        assert db.has_page(page.id)
        assert db.stats()["events"] == 2
        other = delivery_doc()
        with pytest.raises(sqlite3.OperationalError):
            db.add(*other)
        with pytest.raises(sqlite3.OperationalError):
            db.rebuild_deals()
    with Store.open(path) as db:
        assert db.stats()["pages"] == 1


def test_readonly_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Store.open(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_rebuild_deals_groups_events_and_sets_deal_ids(filled: Store) -> None:
    assert filled.stats()["deals"] == 2
    turkey = filled.deals(recipient="tur")
    assert len(turkey) == 1
    deal = turkey[0]
    assert (deal.supplier, deal.recipient, deal.system) == ("RUS", "TUR", "S-400")
    assert deal.category == "SAM"
    assert deal.status == "delivered"
    assert deal.order_date == "2017-09"
    assert deal.quantity == Quantity(4, "battery")
    assert deal.value == Money(2.5e9, "USD")
    assert deal.delivery_dates == ("2019-07",)
    assert deal.quantity_delivered == 1
    assert (deal.first_report, deal.last_report) == ("2019-03-12", "2021-12-20")
    assert (deal.sources, deal.events) == (2, 3)
    linked = filled._db.execute("SELECT count(*) FROM events WHERE deal_id = ?", (deal.id,))
    assert linked.fetchone()[0] == 3
    # rebuilding again gives the same deals, no duplicates
    assert filled.rebuild_deals() == 2
    assert filled.deals(recipient="TUR")[0].id == deal.id


def test_deal_filters(filled: Store) -> None:
    assert [d.recipient for d in filled.deals()] == ["IND", "TUR"]
    assert len(filled.deals(system="s-400")) == 2
    assert len(filled.deals(supplier="RUS", recipient="IND")) == 1
    assert filled.deals(supplier="USA") == []
    assert filled.deals(system="F-35") == []


def test_timeline_is_in_date_order_with_sources(filled: Store) -> None:
    entries = filled.timeline("s-400", recipient="TUR")
    assert [e.event.date for e in entries] == ["2017-09", "2019-07", "2020"]
    assert [e.event.type for e in entries] == ["order", "delivery", "delivery"]
    assert entries[0].sources[0].source == "https://example.org/order"
    assert entries[1].sources[0].source == "delivery.txt"  # no url: the page name
    assert all(isinstance(e, TimelineEntry) for e in entries)
    data = entries[0].as_dict()
    for key in ("type", "status", "date", "supplier", "recipient", "system", "quantity",
                "value", "source", "evidence", "published", "title", "deal_id", "sources",
                "reports", "conflicts"):
        assert key in data
    assert data["quantity"] == {"value": 4, "unit": "battery"}
    assert data["value"] == {"amount": 2500000000, "currency": "USD"}
    assert data["evidence"].startswith("Turkey signed a contract")
    assert filled.timeline("S-400", recipient="USA") == []


def test_timeline_puts_undated_events_last(store: Store) -> None:
    page, article, events = order_doc()
    undated = make_event(article, "Ankara", type="talks", date=None)
    store.add(page, article, [undated, *events])
    store.rebuild_deals()
    dates = [e.event.date for e in store.timeline("S-400")]
    assert dates == ["2017-09", "2020", None]


def test_full_text_search_table_follows_articles(store: Store) -> None:
    page, article, events = order_doc()
    store.add(page, article, events)
    rows = store._db.execute(
        "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
        "WHERE articles_fts MATCH 'batteries'"
    ).fetchall()
    assert rows == [(article.id,)]
    assert store._db.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'squadron'"
    ).fetchone()[0] == 0


def test_two_purchases_stated_in_one_sentence_are_both_stored(store: Store) -> None:
    page, article, events = order_doc()
    first = events[0]
    second = make_event(article, "Turkey signed", type="order", date="2017-09",
                        quantity=Quantity(2, "battery"), value=Money(2.5e9, "USD"))
    assert first.id != second.id
    store.add(page, article, [first, second])
    assert store.stats()["events"] == 2


# -- copies of one story, claims and conflicts ------------------------------------------------

COPY_FURNITURE = "Defence Daily | Home | World | Subscribe\n"


def copy_doc(name: str, published: str, date: str) -> tuple[Page, Article, list[Event]]:
    """The order story again, as another site printed it: its own furniture around the same
    text, and the contract date as that site reported it."""
    text = COPY_FURNITURE + ORDER_TEXT.replace("September 2017", _month_year(date))
    page = make_page(name, text)
    article = make_article(page, text, published, f"https://example.net/{name}")
    return page, article, [
        make_event(article, "Turkey signed", type="order", date=date,
                   quantity=Quantity(4, "battery"), value=Money(2.5e9, "USD")),
    ]


def _month_year(date: str) -> str:
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    year, month = date.split("-")
    return f"{months[int(month) - 1]} {year}"


def test_a_copy_is_marked_and_counts_as_one_report(store: Store) -> None:
    page, article, events = order_doc()
    store.add(page, article, events)
    copy_page, copy_article, copy_events = copy_doc("copy.txt", "2019-03-13", "2017-09")
    store.add(copy_page, copy_article, copy_events)
    unrelated = delivery_doc()
    store.add(*unrelated)
    assert store.duplicates() == {article.id: [copy_article.id]}
    store.rebuild_deals()
    deal = store.deals(recipient="TUR")[0]
    assert (deal.sources, deal.reports) == (3, 2)
    order = store.timeline("S-400", recipient="TUR")[0]
    assert order.event.type == "order"
    assert [s.article_id for s in order.sources] == [article.id, copy_article.id]
    assert order.reports == 1
    assert order.sources[1].duplicate_of == article.id


def test_conflicting_claims_are_stored_and_marked_on_the_timeline(store: Store) -> None:
    store.add(*order_doc())  # September 2017
    other = Page(
        id=content_hash("other"), name="other.txt", source="test", url=None,
        content=b"x", content_type="text",
    )
    text = "Russia said on Friday that the S-400 contract with Turkey was signed in December 2017."
    article = make_article(other, text, "2019-06-01", None)
    store.add(other, article, [make_event(article, "Russia said", type="order", date="2017-12")])
    store.rebuild_deals()
    deal = store.deals(recipient="TUR")[0]
    assert deal.conflicts == ("order_date",)
    dates = [(c.value, c.chosen) for c in deal.claims if c.field == "order_date"]
    assert sorted(dates) == [("2017-09", False), ("2017-12", True)]  # tie: most recent report
    assert store.deal(deal.id) == deal
    orders = [e for e in store.timeline("S-400") if e.event.type == "order"]
    assert [(e.event.date, e.conflicts) for e in orders] == [
        ("2017-09", ("order_date",)), ("2017-12", ("order_date",)),
    ]


def test_a_version_1_database_is_upgraded_with_signatures_and_copies(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    number, name, sql = migrations()[0]
    old.executescript(
        sql + "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        f"applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ({number}, '{name}', "
        "'2026-01-01');"
    )
    for name_ in ("a.txt", "b.txt"):  # the same story stored twice by version 1
        old.execute("INSERT INTO pages VALUES (?, ?, 'test', NULL, 'text', 1, '2026-01-01')",
                    (name_, name_))
        old.execute("INSERT INTO articles(id, page_id, name, text) VALUES (?, ?, ?, ?)",
                    (name_, name_, name_, ORDER_TEXT))
    old.commit()
    old.close()
    with Store.open(path, readonly=True) as reader:
        assert reader.pending_migrations() == [2, 3, 4]
    from armswatch.pipeline import upgrade

    upgrade(path)
    with Store.open(path, readonly=True) as reader:
        assert reader.pending_migrations() == []
        assert reader.duplicates() == {"a.txt": ["b.txt"]}


def test_events_stored_under_an_older_id_are_still_linked_to_their_deal(store: Store) -> None:
    page, article, events = order_doc()
    store.add(page, article, events)
    store._db.execute("PRAGMA foreign_keys=OFF")
    store._db.execute("UPDATE evidence SET event_id = 'old-id' WHERE event_id = ?", (events[0].id,))
    store._db.execute("UPDATE events SET id = 'old-id' WHERE id = ?", (events[0].id,))
    store._db.execute("PRAGMA foreign_keys=ON")
    store.rebuild_deals()
    linked = store._db.execute("SELECT deal_id FROM events WHERE id = 'old-id'").fetchone()
    assert linked[0] == store.deals()[0].id
