-- Loupe case schema, version 3: event counts per time bucket, source, dataset and level, so that
-- the timeline and counts over millions of events read thousands of rows instead of millions.
-- Derived data (electron/engine/rollup.ts): the event writer adds to it in the same transaction as
-- the rows it writes, and opening a case catches up whatever is missing (a case from before this
-- migration, rows written another way, a changed definition of the level).

-- `span` is the bucket length in ms (60000, 3600000, 86400000); `start` is the bucket's first UTC
-- epoch ms, a multiple of `span`. `level`: error, failure, warning, info or unparsed (README).
CREATE TABLE event_rollup (
  span      INTEGER NOT NULL,
  start     INTEGER NOT NULL,
  source_id INTEGER NOT NULL,
  dataset   TEXT NOT NULL,
  level     TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (span, start, source_id, dataset, level)
) STRICT, WITHOUT ROWID;

CREATE INDEX event_rollup_by_source ON event_rollup (source_id);

-- The same counts for events without a time.
CREATE TABLE event_rollup_untimed (
  source_id INTEGER NOT NULL,
  dataset   TEXT NOT NULL,
  level     TEXT NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (source_id, dataset, level)
) STRICT, WITHOUT ROWID;

-- What the counts cover: every event with id <= through_id, classified by level definition
-- `levels` (0: nothing counted yet).
CREATE TABLE rollup_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  through_id INTEGER NOT NULL,
  levels     INTEGER NOT NULL
) STRICT;

INSERT INTO rollup_state (id, through_id, levels) VALUES (1, 0, 0);

-- Replacing a source deletes its events, then the source: its counts go with it. Ids above the
-- highest remaining event may be given again, so they count as not covered.
CREATE TRIGGER sources_delete_rollup AFTER DELETE ON sources
BEGIN
  DELETE FROM event_rollup WHERE source_id = OLD.id;
  DELETE FROM event_rollup_untimed WHERE source_id = OLD.id;
  UPDATE rollup_state SET through_id = min(through_id, coalesce((SELECT max(id) FROM events), 0));
END;
