/**
 * Alerts stored in a case: replacing a run's alerts while keeping triage, listing, one alert with
 * its events, and triage changes (audited).
 */
import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../shared/event.ts';
import type { Level } from '../../shared/sigma/types.ts';
import { appendAudit } from './audit.ts';

export const ALERT_STATUSES = ['open', 'confirmed', 'false-positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type EntityType = 'ip' | 'user' | 'host' | 'none';

export interface AlertRule {
  id: string;
  /** The rule's `modified` date, else its `date`. */
  version: string | null;
  kind: 'detection' | 'correlation';
  title: string;
  level: Level;
  author: string | null;
  tags: string[];
}

/** An alert as a detection run produces it. */
export interface NewAlert {
  rule: AlertRule;
  entity: { type: EntityType; value: string };
  first: number | null;
  last: number | null;
  /** Contributing events, ascending ids; the first in time order is `firstEventId`. */
  eventIds: number[];
  firstEventId: number;
  why: unknown;
}

export interface Alert extends Omit<NewAlert, 'eventIds'> {
  id: number;
  count: number;
  status: AlertStatus;
  note: string | null;
  createdAt: number;
  updatedAt: number;
}

interface AlertRow {
  id: number; rule_id: string; rule_version: string | null; rule_kind: 'detection' | 'correlation'; rule_title: string;
  rule_level: Level; rule_author: string | null; rule_tags: string; entity_type: EntityType; entity_value: string;
  first_ts: number | null; last_ts: number | null; first_event_id: number; event_count: number; status: AlertStatus;
  note: string | null; why: string; created_at: number; updated_at: number;
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    rule: { id: r.rule_id, version: r.rule_version, kind: r.rule_kind, title: r.rule_title, level: r.rule_level, author: r.rule_author, tags: JSON.parse(r.rule_tags) as string[] },
    entity: { type: r.entity_type, value: r.entity_value },
    first: r.first_ts, last: r.last_ts, firstEventId: r.first_event_id, count: r.event_count,
    status: r.status, note: r.note, why: JSON.parse(r.why) as unknown, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

const identity = (a: { rule_id: string; entity_type: string; entity_value: string; first_event_id: number }): string =>
  JSON.stringify([a.rule_id, a.entity_type, a.entity_value, a.first_event_id]);

export interface ReplaceResult {
  /** The stored id of each given alert, in the order given. */
  ids: number[];
  /** Alerts not seen before. */
  added: number;
  /** Alerts found again: refreshed, their triage kept. */
  updated: number;
  /** Open alerts of the previous run not found again. */
  removed: number;
  /** Triaged alerts not found again, kept for the analyst's record. */
  kept: number;
}

/** Inserts one alert from the named parameters `alertRow` gives. */
export const INSERT_ALERT = `INSERT INTO alerts (rule_id, rule_version, rule_kind, rule_title, rule_level, rule_author, rule_tags,
    entity_type, entity_value, first_ts, last_ts, first_event_id, event_count, why, created_at, updated_at)
  VALUES (@rule_id, @rule_version, @rule_kind, @rule_title, @rule_level, @rule_author, @rule_tags,
    @entity_type, @entity_value, @first_ts, @last_ts, @first_event_id, @event_count, @why, @now, @now)`;

/** An alert as the named parameters of the alerts table's statements. */
export function alertRow(a: Omit<NewAlert, 'eventIds'>, count: number, now: number) {
  return {
    rule_id: a.rule.id, rule_version: a.rule.version, rule_kind: a.rule.kind, rule_title: a.rule.title, rule_level: a.rule.level,
    rule_author: a.rule.author, rule_tags: JSON.stringify(a.rule.tags), entity_type: a.entity.type, entity_value: a.entity.value,
    first_ts: a.first, last_ts: a.last, first_event_id: a.firstEventId, event_count: count, why: JSON.stringify(a.why), now,
  };
}

/**
 * Replaces the alerts of the previous run with `alerts`, in one transaction. An alert found again
 * (same rule, entity and first event) keeps its id, status and note; an open alert not found again
 * goes; a triaged one stays. New alerts are inserted in a fixed order, so ids do not depend on rule order.
 * With `onlyRules`, the alerts of other rules are left as they are.
 */
export function replaceAlerts(
  db: Database, alerts: readonly NewAlert[], now = Date.now(), opts: { onlyRules?: ReadonlySet<string> } = {},
): ReplaceResult {
  const result: ReplaceResult = { ids: [], added: 0, updated: 0, removed: 0, kept: 0 };
  const ids = new Map<NewAlert, number>();
  const sorted = [...alerts].sort((a, b) =>
    a.rule.id.localeCompare(b.rule.id) || a.entity.type.localeCompare(b.entity.type)
    || a.entity.value.localeCompare(b.entity.value) || a.firstEventId - b.firstEventId);
  db.transaction(() => {
    const existing = new Map<string, { id: number; status: AlertStatus }>();
    for (const row of db.prepare('SELECT id, rule_id, entity_type, entity_value, first_event_id, status FROM alerts').all() as
      (AlertRow & { status: AlertStatus })[]) {
      // Live detections replace the alerts of some rules only (their correlations, rebuilt).
      if (opts.onlyRules === undefined || opts.onlyRules.has(row.rule_id)) existing.set(identity(row), { id: row.id, status: row.status });
    }
    const insert = db.prepare(INSERT_ALERT);
    const update = db.prepare(`UPDATE alerts SET rule_version = @rule_version, rule_kind = @rule_kind, rule_title = @rule_title,
        rule_level = @rule_level, rule_author = @rule_author, rule_tags = @rule_tags, first_ts = @first_ts, last_ts = @last_ts,
        event_count = @event_count, why = @why, updated_at = @now WHERE id = @id`);
    const unlink = db.prepare('DELETE FROM alert_events WHERE alert_id = ?');
    const link = db.prepare('INSERT OR IGNORE INTO alert_events (alert_id, event_id) VALUES (?, ?)');
    const remove = db.prepare('DELETE FROM alerts WHERE id = ?');
    for (const a of sorted) {
      const row = alertRow(a, a.eventIds.length, now);
      const key = identity(row);
      const found = existing.get(key);
      let id: number;
      if (found) {
        id = found.id;
        update.run({ ...row, id });
        unlink.run(id);
        existing.delete(key);
        result.updated++;
      } else {
        id = Number(insert.run(row).lastInsertRowid);
        result.added++;
      }
      for (const eventId of a.eventIds) link.run(id, eventId);
      ids.set(a, id);
    }
    for (const old of existing.values()) {
      if (old.status === 'open') {
        remove.run(old.id);
        result.removed++;
      } else {
        result.kept++;
      }
    }
  })();
  result.ids = alerts.map((a) => ids.get(a) as number);
  return result;
}

/** False for a case from before alerts existed (schema 1), opened read-only and so not migrated. */
export function hasAlerts(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'alerts'").get() !== undefined;
}

/** Alerts in the case, whatever their status. */
export function countAlerts(db: Database): number {
  return db.prepare('SELECT count(*) FROM alerts').pluck().get() as number;
}

export interface AlertFilter {
  status?: AlertStatus;
  level?: Level;
  ruleId?: string;
  entity?: { type: EntityType; value: string };
  /** Alerts whose events reach into [from, to). */
  from?: number;
  to?: number;
}

/** Alerts, most severe first, then by first time. */
export function listAlerts(db: Database, filter: AlertFilter = {}, limit = 10_000): Alert[] {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== undefined) {
    parts.push('status = ?');
    params.push(filter.status);
  }
  if (filter.level !== undefined) {
    parts.push('rule_level = ?');
    params.push(filter.level);
  }
  if (filter.ruleId !== undefined) {
    parts.push('rule_id = ?');
    params.push(filter.ruleId);
  }
  if (filter.entity !== undefined) {
    parts.push('entity_type = ? AND entity_value = ?');
    params.push(filter.entity.type, filter.entity.value);
  }
  if (filter.from !== undefined) {
    parts.push('last_ts >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('first_ts < ?');
    params.push(filter.to);
  }
  const where = parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
  return (db.prepare(`SELECT * FROM alerts ${where} ORDER BY severity DESC, first_ts, id LIMIT ?`).all(...params, limit) as AlertRow[]).map(toAlert);
}

export function getAlert(db: Database, id: number): (Alert & { eventIds: number[] }) | undefined {
  const row = db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
  if (!row) return undefined;
  const eventIds = db.prepare('SELECT event_id FROM alert_events WHERE alert_id = ? ORDER BY event_id').pluck().all(id) as number[];
  return { ...toAlert(row), eventIds };
}

/** The events of an alert in time order (events of a source since replaced are gone). */
export function alertEvents(db: Database, id: number, limit = 1000): StoredEvent[] {
  const rows = db.prepare(`SELECT e.* FROM alert_events a JOIN events e ON e.id = a.event_id
      WHERE a.alert_id = ? ORDER BY e.ts, e.id LIMIT ?`).all(id, limit) as Record<string, unknown>[];
  return rows.map(rowToEvent);
}

/** The alerts an event contributed to. */
export function alertsOfEvent(db: Database, eventId: number): Alert[] {
  return (db.prepare(`SELECT a.* FROM alert_events l JOIN alerts a ON a.id = l.alert_id
      WHERE l.event_id = ? ORDER BY a.severity DESC, a.first_ts, a.id`).all(eventId) as AlertRow[]).map(toAlert);
}

export class AlertNotFoundError extends Error {}

/** Sets an alert's triage status and note (a note of undefined keeps the old one), recorded in the audit log. */
export function setAlertTriage(db: Database, id: number, status: AlertStatus, note?: string | null): Alert {
  return db.transaction(() => {
    const before = getAlert(db, id);
    if (!before) throw new AlertNotFoundError(`no alert ${id} in this case`);
    const newNote = note === undefined ? before.note : note;
    db.prepare('UPDATE alerts SET status = ?, note = ?, updated_at = ? WHERE id = ?').run(status, newNote, Date.now(), id);
    appendAudit(db, 'alert-triaged', {
      alertId: id, ruleId: before.rule.id, entity: before.entity, from: before.status, to: status,
      ...(note !== undefined ? { note } : {}),
    });
    return toAlert(db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow);
  })();
}

/** A stored row (snake_case columns) as the event model; NULL columns are left out. */
function rowToEvent(row: Record<string, unknown>): StoredEvent {
  const e: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === null && column !== 'ts') continue;
    const key = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    e[key] = key === 'extra' ? JSON.parse(value as string) as unknown : value;
  }
  return e as unknown as StoredEvent;
}
