import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { alertEvents, alertsOfEvent, getAlert, hasAlerts, listAlerts, replaceAlerts, setAlertTriage, type NewAlert } from './alerts.ts';
import { readAudit } from './audit.ts';
import { openCase, type CaseDb } from './case-db.ts';
import { loadMigrations, migrate } from './migrations.ts';

const tempDir = useTempDir();

function newCase(): CaseDb {
  const c = openCase(join(tempDir(), 'alerts.loupe'), { create: true });
  const insert = c.db.prepare("INSERT INTO events (id, ts, source_id, line_no, offset, dataset, src_ip, raw) VALUES (?, ?, 1, ?, 0, 'sshd', ?, ?)");
  for (let i = 1; i <= 6; i++) insert.run(i, 1000 * i, i, '203.0.113.5', `line ${i}`);
  return c;
}

function alert(over: Partial<NewAlert> & { ruleId?: string; level?: NewAlert['rule']['level'] } = {}): NewAlert {
  const { ruleId = 'rule-a', level = 'high', ...rest } = over;
  return {
    rule: { id: ruleId, version: '2026-11-28', kind: 'detection', title: `Rule ${ruleId}`, level, author: 'Loupe', tags: ['attack.t1110'] },
    entity: { type: 'ip', value: '203.0.113.5' },
    first: 1000, last: 3000, eventIds: [1, 2, 3], firstEventId: 1, why: { selections: ['sel'] },
    ...rest,
  };
}

describe('migration 0002: alerts', () => {
  it('creates STRICT alert tables with checks, and links that go with their alert', () => {
    const c = newCase();
    const sql = (name: string): string => (c.db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").pluck().get(name) as string);
    expect(sql('alerts')).toMatch(/STRICT$/);
    expect(sql('alert_events')).toMatch(/STRICT, WITHOUT ROWID$/);
    expect(() => c.db.prepare(`INSERT INTO alerts (rule_id, rule_kind, rule_title, rule_level, entity_type, entity_value, first_event_id,
      event_count, status, why, created_at, updated_at) VALUES ('r', 'detection', 't', 'high', 'ip', 'x', 1, 1, 'triaged', '{}', 0, 0)`).run())
      .toThrow(/CHECK constraint failed/);
    const [id] = replaceAlerts(c.db, [alert()]).ids;
    expect(c.db.prepare('SELECT severity FROM alerts WHERE id = ?').pluck().get(id)).toBe(3);
    c.db.prepare('DELETE FROM alerts WHERE id = ?').run(id);
    expect(c.db.prepare('SELECT count(*) FROM alert_events').pluck().get()).toBe(0);
    c.close();
  });

  it('upgrades a case written with schema 1', () => {
    const path = join(tempDir(), 'old.loupe');
    const raw = new Database(path);
    migrate(raw, path, loadMigrations().slice(0, 1));
    raw.close();
    const readonly = openCase(path, { readonly: true });
    expect(hasAlerts(readonly.db)).toBe(false);
    readonly.close();
    const c = openCase(path);
    expect(hasAlerts(c.db)).toBe(true);
    expect(c.db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(loadMigrations().length);
    expect(listAlerts(c.db)).toEqual([]);
    c.close();
  });
});

describe('storing alerts', () => {
  it('lists most severe first, and gives an alert with its events', () => {
    const c = newCase();
    replaceAlerts(c.db, [alert({ ruleId: 'low-1', level: 'low', first: 500 }), alert({ ruleId: 'crit-1', level: 'critical', first: 2000 }), alert()]);
    expect(listAlerts(c.db).map((a) => a.rule.id)).toEqual(['crit-1', 'rule-a', 'low-1']);
    expect(listAlerts(c.db, { level: 'low' }).map((a) => a.rule.id)).toEqual(['low-1']);
    expect(listAlerts(c.db, { entity: { type: 'ip', value: '203.0.113.5' } })).toHaveLength(3);
    expect(listAlerts(c.db, { ruleId: 'rule-a' })[0]).toMatchObject({
      rule: { title: 'Rule rule-a', tags: ['attack.t1110'], version: '2026-11-28', author: 'Loupe' },
      count: 3, first: 1000, last: 3000, status: 'open', note: null, why: { selections: ['sel'] },
    });
    const one = listAlerts(c.db, { ruleId: 'rule-a' })[0]!;
    expect(getAlert(c.db, one.id)?.eventIds).toEqual([1, 2, 3]);
    expect(alertEvents(c.db, one.id).map((e) => [e.id, e.raw, e.srcIp])).toEqual([[1, 'line 1', '203.0.113.5'], [2, 'line 2', '203.0.113.5'], [3, 'line 3', '203.0.113.5']]);
    expect(alertsOfEvent(c.db, 2).map((a) => a.rule.id)).toEqual(['crit-1', 'rule-a', 'low-1']);
    expect(alertsOfEvent(c.db, 6)).toEqual([]);
    expect(getAlert(c.db, 999)).toBeUndefined();
    c.close();
  });

  it('a new run replaces open alerts, keeps triage of alerts found again, and keeps triaged ones it no longer finds', () => {
    const c = newCase();
    const [kept, gone, triagedGone] = replaceAlerts(c.db, [alert(), alert({ ruleId: 'rule-b' }), alert({ ruleId: 'rule-c' })]).ids as [number, number, number];
    setAlertTriage(c.db, kept, 'confirmed', 'attacker, blocked at the firewall');
    setAlertTriage(c.db, triagedGone, 'false-positive');
    const again = replaceAlerts(c.db, [alert({ eventIds: [1, 2, 3, 4], last: 4000 }), alert({ ruleId: 'rule-d' })]);
    expect(again).toMatchObject({ added: 1, updated: 1, removed: 1, kept: 1 });
    expect(again.ids[0]).toBe(kept);
    expect(getAlert(c.db, kept)).toMatchObject({ status: 'confirmed', note: 'attacker, blocked at the firewall', count: 4, last: 4000, eventIds: [1, 2, 3, 4] });
    expect(getAlert(c.db, gone)).toBeUndefined();
    expect(getAlert(c.db, triagedGone)?.status).toBe('false-positive');
    // A different first event is a different alert.
    const moved = replaceAlerts(c.db, [alert({ firstEventId: 2, eventIds: [2, 3] })]);
    expect(moved).toMatchObject({ added: 1, updated: 0 });
    expect(getAlert(c.db, kept)?.status).toBe('confirmed');
    c.close();
  });

  it('records triage in the audit log, and refuses an unknown alert', () => {
    const c = newCase();
    const [id] = replaceAlerts(c.db, [alert()]).ids as [number];
    setAlertTriage(c.db, id, 'false-positive', 'our scanner');
    expect(setAlertTriage(c.db, id, 'open')).toMatchObject({ status: 'open', note: 'our scanner' });
    expect(setAlertTriage(c.db, id, 'open', null).note).toBeNull();
    const triage = readAudit(c.db).filter((a) => a.action === 'alert-triaged');
    expect(triage.map((a) => a.detail)).toEqual([
      { alertId: id, ruleId: 'rule-a', entity: { type: 'ip', value: '203.0.113.5' }, from: 'open', to: 'false-positive', note: 'our scanner' },
      { alertId: id, ruleId: 'rule-a', entity: { type: 'ip', value: '203.0.113.5' }, from: 'false-positive', to: 'open' },
      { alertId: id, ruleId: 'rule-a', entity: { type: 'ip', value: '203.0.113.5' }, from: 'open', to: 'open', note: null },
    ]);
    expect(() => setAlertTriage(c.db, 4242, 'confirmed')).toThrow(/no alert 4242/);
    c.close();
  });

  it('lists alerts, and finds an event\'s alerts, through indexes', () => {
    const c = newCase();
    const plan = (sql: string, ...params: unknown[]): string =>
      (c.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    const list = plan('SELECT * FROM alerts ORDER BY severity DESC, first_ts, id LIMIT 100');
    expect(list).toMatch(/USING INDEX alerts_by_severity/);
    expect(list).not.toMatch(/TEMP B-TREE/);
    expect(plan('SELECT * FROM alerts WHERE entity_type = ? AND entity_value = ? ORDER BY first_ts', 'ip', 'x')).toMatch(/USING INDEX alerts_by_entity/);
    expect(plan('SELECT * FROM alerts WHERE rule_id = ? ORDER BY first_ts', 'r')).toMatch(/USING INDEX alerts_by_rule/);
    expect(plan('SELECT a.* FROM alert_events l JOIN alerts a ON a.id = l.alert_id WHERE l.event_id = ?', 1)).toMatch(/USING COVERING INDEX alert_events_by_event/);
    c.close();
  });
});
