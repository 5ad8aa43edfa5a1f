-- Loupe case schema, version 1. Times are UTC epoch milliseconds unless a name says otherwise.

CREATE TABLE case_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- One row per imported file (or live feed, later). Counts are kept so that
-- lines_total = lines_parsed + lines_unparsed = number of events of the source.
CREATE TABLE sources (
  id                INTEGER PRIMARY KEY,
  path              TEXT NOT NULL,
  name              TEXT NOT NULL,
  sha256            TEXT,
  size              INTEGER NOT NULL,
  mtime             INTEGER NOT NULL,
  compression       TEXT,
  format            TEXT NOT NULL,
  format_confidence REAL,
  format_forced     INTEGER NOT NULL DEFAULT 0,
  timezone          TEXT NOT NULL,
  assumptions       TEXT NOT NULL DEFAULT '[]',
  lines_total       INTEGER NOT NULL DEFAULT 0,
  lines_parsed      INTEGER NOT NULL DEFAULT 0,
  lines_unparsed    INTEGER NOT NULL DEFAULT 0,
  lines_truncated   INTEGER NOT NULL DEFAULT 0,
  lines_invalid_utf8 INTEGER NOT NULL DEFAULT 0,
  bytes_read        INTEGER NOT NULL DEFAULT 0,
  status            TEXT NOT NULL CHECK (status IN ('importing', 'complete', 'incomplete')),
  problem           TEXT,
  started_at        INTEGER NOT NULL,
  finished_at       INTEGER,
  loupe_version     TEXT NOT NULL
) STRICT;

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  ts          INTEGER,
  source_id   INTEGER NOT NULL,
  line_no     INTEGER NOT NULL,
  offset      INTEGER NOT NULL,
  dataset     TEXT NOT NULL,
  host        TEXT,
  program     TEXT,
  pid         INTEGER,
  src_ip      TEXT,
  src_port    INTEGER,
  dst_ip      TEXT,
  dst_port    INTEGER,
  user        TEXT,
  action      TEXT,
  outcome     TEXT,
  http_method TEXT,
  url         TEXT,
  http_version TEXT,
  http_status INTEGER,
  http_bytes  INTEGER,
  referrer    TEXT,
  user_agent  TEXT,
  message     TEXT,
  raw         TEXT NOT NULL,
  flags       INTEGER NOT NULL DEFAULT 0,
  extra       TEXT
) STRICT;

-- The exact bytes of lines that were not valid UTF-8 (events.raw holds them decoded with U+FFFD).
CREATE TABLE raw_bytes (
  event_id INTEGER PRIMARY KEY,
  bytes    BLOB NOT NULL
) STRICT;

-- What was done to the case, by whom, append-only.
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
