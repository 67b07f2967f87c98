-- armswatch schema, version 2: independent reports and the claims behind each deal field.
-- An article that copies an earlier one (a syndicated or re-scraped story, found by MinHash;
-- see armswatch.dedup) points at the first copy stored: duplicate_of. All copies stay sources;
-- deals count the copies of one story as one report.

ALTER TABLE articles ADD COLUMN duplicate_of TEXT REFERENCES articles(id);
ALTER TABLE articles ADD COLUMN signature BLOB;          -- dedup.Signature.to_bytes()
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

-- The locality-sensitive-hashing index: one row per band of each article's signature.
CREATE TABLE article_bands (
    key        TEXT NOT NULL,                 -- dedup.Signature.band_keys()
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX article_bands_key ON article_bands(key);

ALTER TABLE deals ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN conflicts TEXT NOT NULL DEFAULT '[]';  -- JSON list of field names

-- Every value reported for every deal field, with its sources; rebuilt with the deals.
CREATE TABLE deal_claims (
    deal_id      TEXT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,            -- display order within the deal
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    reports      INTEGER NOT NULL,
    sources      TEXT NOT NULL,               -- JSON list of article ids
    first_report TEXT,
    last_report  TEXT,
    chosen       INTEGER NOT NULL,
    reason       TEXT,
    PRIMARY KEY (deal_id, position)
);
