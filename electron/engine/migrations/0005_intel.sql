-- Loupe case schema: IP intelligence. The lists the analyst imported, what each address of the
-- case is (classification, country, network owner), which lists it is on, and what online
-- providers said about it and when. Everything but the lists and the providers' answers is derived
-- from the events and is rebuilt when they change (electron/intel/case-ips.ts).

-- An imported blocklist or IoC list. `name` is what rules use (`source.ip|iplist: name`).
CREATE TABLE intel_lists (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
  path              TEXT NOT NULL,
  sha256            TEXT NOT NULL,             -- of the file as it was on disk
  size              INTEGER NOT NULL,
  format            TEXT NOT NULL,             -- plain, netset, csv, jsonl
  described_at      INTEGER NOT NULL,          -- the date the list describes (UTC epoch ms)
  described_at_from TEXT NOT NULL CHECK (described_at_from IN ('header', 'analyst', 'mtime')),
  described_at_text TEXT,                      -- the header line the date was read from
  entries           INTEGER NOT NULL,
  rejected          INTEGER NOT NULL,          -- lines that were not an address or network
  column_name       TEXT,                      -- CSV: the indicator column
  imported_at       INTEGER NOT NULL
) STRICT;

-- The list's networks, canonical (`192.0.2.0/24`), with what the list says about each.
CREATE TABLE intel_list_entries (
  list_id INTEGER NOT NULL REFERENCES intel_lists (id) ON DELETE CASCADE,
  network TEXT NOT NULL,
  line    INTEGER NOT NULL,
  note    TEXT
) STRICT;

CREATE INDEX intel_list_entries_by_network ON intel_list_entries (list_id, network);

-- Every distinct value of events.src_ip and events.dst_ip, as written there. `category` is the
-- offline classification (shared/intel/special-ranges.ts), or `invalid` for text that is no address.
-- Country and network owner come from the analyst's .mmdb files; `geo_source` names them (NULL:
-- not looked up).
CREATE TABLE intel_ips (
  ip           TEXT PRIMARY KEY,
  canonical    TEXT,
  family       INTEGER,
  category     TEXT NOT NULL,
  country      TEXT,
  country_name TEXT,
  city         TEXT,
  asn          INTEGER,
  as_org       TEXT,
  geo_source   TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX intel_ips_by_canonical ON intel_ips (canonical);
CREATE INDEX intel_ips_by_category ON intel_ips (category);
CREATE INDEX intel_ips_by_country ON intel_ips (country) WHERE country IS NOT NULL;
CREATE INDEX intel_ips_by_asn ON intel_ips (asn) WHERE asn IS NOT NULL;

-- Addresses of the case on a list, with the most specific entry that contains them.
CREATE TABLE intel_list_hits (
  list_id INTEGER NOT NULL REFERENCES intel_lists (id) ON DELETE CASCADE,
  ip      TEXT NOT NULL,
  network TEXT NOT NULL,
  PRIMARY KEY (list_id, ip)
) STRICT, WITHOUT ROWID;

CREATE INDEX intel_list_hits_by_ip ON intel_list_hits (ip, list_id);

-- Every answer an online provider gave (errors are not kept), newest last: a reopened case shows
-- what was known and when. `raw` is the response body as received, kept as text.
CREATE TABLE intel_reputation (
  id         INTEGER PRIMARY KEY,
  ip         TEXT NOT NULL,
  provider   TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,
  found      INTEGER NOT NULL,
  verdict    TEXT NOT NULL CHECK (verdict IN ('malicious', 'suspicious', 'benign', 'unknown')),
  summary    TEXT NOT NULL,
  detail     TEXT NOT NULL,  -- JSON: the fields Loupe read
  raw        TEXT NOT NULL
) STRICT;

CREATE INDEX intel_reputation_by_ip ON intel_reputation (ip, provider, fetched_at);

-- What the derived tables cover: events with id <= through_id, hits computed for lists_version.
CREATE TABLE intel_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  through_id    INTEGER NOT NULL,
  lists_version INTEGER NOT NULL,
  hits_version  INTEGER NOT NULL
) STRICT;

INSERT INTO intel_state (id, through_id, lists_version, hits_version) VALUES (1, 0, 0, 0);

-- Replacing a source deletes its events, and the ids above the highest remaining event may be
-- given again: the addresses are gathered afresh.
CREATE TRIGGER sources_delete_intel AFTER DELETE ON sources
BEGIN
  UPDATE intel_state SET through_id = 0;
END;
