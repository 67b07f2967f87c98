-- armswatch schema, version 3: how sure the learned extractor is of each event (0-1).
-- NULL for events the rules state on their own (and for events stored before version 3).
-- The store keeps every event above the model's low floor; deals, timelines, exports and the
-- web UI read those at or above a threshold, which changes without re-ingesting.

ALTER TABLE events ADD COLUMN confidence REAL;
CREATE INDEX events_confidence ON events(confidence);

-- A deal's confidence: that of its most confident event (NULL when only rules stated it).
ALTER TABLE deals ADD COLUMN confidence REAL;

-- Settings of the store: "min_confidence", the threshold the deals were built with.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
