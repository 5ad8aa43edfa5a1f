/**
 * Alert rows kept up to date as live detections match (electron/detect/live.ts): unlike a run's
 * `replaceAlerts`, an alert is written as it grows, keeping its id, triage and note.
 */
import type { Database, Statement } from 'better-sqlite3';
import { alertRow, INSERT_ALERT, type NewAlert } from './alerts.ts';

export type StoredAlert = Omit<NewAlert, 'eventIds'> & { count: number };

/** Alert rows updated in place (their id, triage and note kept) as live matches come. */
export class AlertStore {
  private readonly db: Database;
  private readonly insert: Statement;
  private readonly update: Statement;
  private readonly find: Statement;
  private readonly link: Statement;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(INSERT_ALERT);
    this.update = db.prepare(`UPDATE alerts SET first_ts = @first_ts, last_ts = @last_ts, first_event_id = @first_event_id,
        event_count = @event_count, why = @why, updated_at = @now WHERE id = @id`);
    this.find = db.prepare('SELECT id FROM alerts WHERE rule_id = ? AND entity_type = ? AND entity_value = ? AND first_event_id = ?').pluck();
    this.link = db.prepare('INSERT OR IGNORE INTO alert_events (alert_id, event_id) VALUES (?, ?)');
  }

  /**
   * Writes an alert and links `newEventIds`; `complete` says those are all its events (an alert
   * not stored before), so that a row found by identity is relinked exactly. Returns its id.
   */
  put(a: StoredAlert, knownId: number | null, newEventIds: readonly number[], complete: boolean): number {
    const row = alertRow(a, a.count, Date.now());
    let id: number | null = null;
    if (knownId !== null) {
      try {
        if (this.update.run({ ...row, id: knownId }).changes > 0) id = knownId;
      } catch {
        // Another row already has this identity (a triaged alert kept from an earlier run): merged below.
      }
    }
    if (id === null) {
      const found = this.find.get(a.rule.id, a.entity.type, a.entity.value, a.firstEventId) as number | undefined;
      if (found !== undefined) {
        this.update.run({ ...row, id: found });
        if (knownId !== null) {
          this.db.prepare('INSERT OR IGNORE INTO alert_events (alert_id, event_id) SELECT ?, event_id FROM alert_events WHERE alert_id = ?').run(found, knownId);
          this.db.prepare("DELETE FROM alerts WHERE id = ? AND status = 'open'").run(knownId);
        } else if (complete) {
          this.db.prepare('DELETE FROM alert_events WHERE alert_id = ?').run(found);
        }
        id = found;
      } else {
        id = Number(this.insert.run(row).lastInsertRowid);
        if (knownId !== null) {
          this.db.prepare('INSERT OR IGNORE INTO alert_events (alert_id, event_id) SELECT ?, event_id FROM alert_events WHERE alert_id = ?').run(id, knownId);
        }
      }
    }
    for (const eventId of newEventIds) this.link.run(id, eventId);
    return id;
  }
}
