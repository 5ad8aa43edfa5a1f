-- Loupe case schema, version 2: alerts raised by detection rules, and the events behind each.

-- One alert per rule and entity (a detection rule) or per episode (a correlation rule). A new
-- detection run replaces the open alerts; an alert found again (same rule, entity and first event)
-- keeps its id, triage status and note.
CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  rule_id        TEXT NOT NULL,
  rule_version   TEXT,                     -- the rule's `modified` date, else its `date`
  rule_kind      TEXT NOT NULL CHECK (rule_kind IN ('detection', 'correlation')),
  rule_title     TEXT NOT NULL,
  rule_level     TEXT NOT NULL CHECK (rule_level IN ('informational', 'low', 'medium', 'high', 'critical')),
  severity       INTEGER GENERATED ALWAYS AS (CASE rule_level WHEN 'critical' THEN 4 WHEN 'high' THEN 3
                   WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END) VIRTUAL,
  rule_author    TEXT,
  rule_tags      TEXT NOT NULL DEFAULT '[]', -- JSON array (ATT&CK tags such as attack.t1110.001)
  entity_type    TEXT NOT NULL CHECK (entity_type IN ('ip', 'user', 'host', 'none')),
  entity_value   TEXT NOT NULL,
  first_ts       INTEGER,
  last_ts        INTEGER,
  first_event_id INTEGER NOT NULL,
  event_count    INTEGER NOT NULL,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'false-positive')),
  note           TEXT,
  why            TEXT NOT NULL,              -- JSON: the selections and the field values that matched
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX alerts_identity ON alerts (rule_id, entity_type, entity_value, first_event_id);
CREATE INDEX alerts_by_severity ON alerts (severity DESC, first_ts, id);
CREATE INDEX alerts_by_entity ON alerts (entity_type, entity_value, first_ts);
CREATE INDEX alerts_by_rule ON alerts (rule_id, first_ts);

-- Every event that contributed to an alert. No foreign key to events: replacing a source deletes
-- its events, and the next detection run rebuilds the links.
CREATE TABLE alert_events (
  alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  PRIMARY KEY (alert_id, event_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX alert_events_by_event ON alert_events (event_id, alert_id);
