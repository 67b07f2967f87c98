-- armswatch schema, version 1.
-- Pages keep metadata only (content bytes are not stored); articles keep their text, which
-- evidence offsets point into. Deals are derived from events and rebuilt by Store.rebuild_deals.

CREATE TABLE pages (
    id           TEXT PRIMARY KEY,          -- content hash (model.Page.id)
    name         TEXT NOT NULL,
    source       TEXT NOT NULL,
    url          TEXT,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,          -- bytes of content
    ingested_at  TEXT NOT NULL              -- ISO 8601 UTC
);

CREATE TABLE articles (
    id        TEXT PRIMARY KEY,
    page_id   TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    url       TEXT,
    title     TEXT,
    published TEXT,                         -- YYYY-MM-DD
    site      TEXT,
    language  TEXT,
    text      TEXT NOT NULL
);
CREATE INDEX articles_page ON articles(page_id);

CREATE TABLE deals (
    id                 TEXT PRIMARY KEY,
    supplier           TEXT,
    recipient          TEXT,
    system             TEXT NOT NULL,
    category           TEXT,
    status             TEXT NOT NULL,
    order_date         TEXT,
    quantity_value     INTEGER,
    quantity_unit      TEXT,
    value_amount       REAL,
    value_currency     TEXT,
    delivery_dates     TEXT NOT NULL DEFAULT '[]',   -- JSON list of dates
    quantity_delivered INTEGER,
    first_report       TEXT,
    last_report        TEXT,
    sources            INTEGER NOT NULL,
    events             INTEGER NOT NULL
);
CREATE INDEX deals_key ON deals(recipient, system, supplier);

CREATE TABLE events (
    id             TEXT PRIMARY KEY,        -- model.Event.id
    article_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type           TEXT NOT NULL,
    status         TEXT NOT NULL,
    supplier       TEXT,
    recipient      TEXT,
    system         TEXT NOT NULL,
    date           TEXT,
    quantity_value INTEGER,
    quantity_unit  TEXT,
    value_amount   REAL,
    value_currency TEXT,
    deal_id        TEXT REFERENCES deals(id) ON DELETE SET NULL
);
CREATE INDEX events_key ON events(supplier, recipient, system);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_deal ON events(deal_id);

CREATE TABLE evidence (
    event_id   TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    sentence   TEXT NOT NULL
);
CREATE INDEX evidence_event ON evidence(event_id);

-- Full-text search over articles (external content: the text lives once, in articles).
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
