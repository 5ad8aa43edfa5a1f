-- Loupe case schema, version 4: live syslog. A listener's events belong to a source whose path is its URL
-- (syslog+udp://127.0.0.1:5514); these tables keep what a file source has no place for.

-- One row per listener run (one source each).
CREATE TABLE syslog_listeners (
  source_id             INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
  transport             TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
  host                  TEXT NOT NULL,
  port                  INTEGER NOT NULL,
  max_message_bytes     INTEGER NOT NULL,
  recv_buffer_requested INTEGER,          -- UDP: the receive buffer asked of the kernel (bytes)
  recv_buffer_granted   INTEGER,          -- UDP: what the kernel granted
  kernel_drops          INTEGER,          -- UDP: datagrams the kernel dropped for the socket; NULL when not known
  queue_drops           INTEGER NOT NULL DEFAULT 0, -- UDP: datagrams dropped because the writer was too far behind
  connections           INTEGER NOT NULL DEFAULT 0, -- TCP/TLS: connections accepted
  tls_failures          INTEGER NOT NULL DEFAULT 0, -- TLS: handshakes that failed
  tls_fingerprint       TEXT,             -- TLS: SHA-256 of the certificate the listener presented
  tls_self_signed       INTEGER
) STRICT;

-- Per sender address: what it sent. Updated in the transaction that stores its messages.
CREATE TABLE syslog_peers (
  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  address      TEXT NOT NULL,
  messages     INTEGER NOT NULL DEFAULT 0,  -- stored as events
  bytes        INTEGER NOT NULL DEFAULT 0,
  truncated    INTEGER NOT NULL DEFAULT 0,  -- over the size cap, cut and flagged
  malformed    INTEGER NOT NULL DEFAULT 0,  -- a framing problem (bad octet count, cut mid-frame), kept all the same
  invalid_utf8 INTEGER NOT NULL DEFAULT 0,
  connections  INTEGER NOT NULL DEFAULT 0,  -- TCP/TLS connections it opened
  tls_failures INTEGER NOT NULL DEFAULT 0,  -- TLS handshakes of its that failed
  first_at     INTEGER NOT NULL,
  last_at      INTEGER NOT NULL,
  PRIMARY KEY (source_id, address)
) STRICT, WITHOUT ROWID;
