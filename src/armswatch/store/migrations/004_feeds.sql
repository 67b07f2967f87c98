-- armswatch schema, version 4: the feeds `armswatch watch` polls and what it has seen of them,
-- so a restart continues where the last pass stopped and nothing is fetched twice.

CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    kind            TEXT,                   -- rss, atom, sitemap (NULL until first read)
    added_at        TEXT NOT NULL,
    last_fetched_at TEXT,
    last_status     TEXT,                   -- "200", "304", "error"
    etag            TEXT,                   -- validators for conditional requests
    last_modified   TEXT,
    last_error      TEXT                    -- NULL after a good fetch
);

-- Every article URL a feed has listed. "pending" until the page is fetched and stored (or
-- fails for good), so an interrupted pass fetches only what it had not finished.
CREATE TABLE feed_items (
    feed_id       INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',   -- pending, stored, failed
    page_id       TEXT,
    error         TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (feed_id, url)
);
CREATE INDEX feed_items_state ON feed_items(state);
CREATE INDEX feed_items_url ON feed_items(url);
CREATE INDEX pages_url ON pages(url);
