import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../shared/event.ts';
import { useTempDir } from '../test/temp.ts';
import { openCase, type CaseDb } from './case-db.ts';
import { entityDossier, EXACT_LIST_EVENTS, SAMPLE_EVENTS } from './dossier.ts';
import { EventWriter } from './event-writer.ts';

const tempDir = useTempDir();
const T0 = Date.UTC(2026, 10, 20, 6);
const BUSY = '198.51.100.9';

/** A crawler far above the exact-list limit, a few others, and events where it is the destination. */
function seeded(): CaseDb {
  const c = openCase(join(tempDir(), 'd.loupe'), { create: true });
  const w = new EventWriter(c.db, 1);
  const busy = EXACT_LIST_EVENTS * 3;
  for (let i = 0; i < busy + 2000; i++) {
    const mine = i < busy;
    const e: ParsedEvent = {
      ts: T0 + i * 1000, dataset: 'apache.access', srcIp: mine ? BUSY : `203.0.113.${i % 50}`,
      httpStatus: i % 10 === 0 ? 404 : 200, url: `/page/${i % 4 === 0 ? 'home' : i % 97}`,
      userAgent: i % 3 === 0 ? 'curl/8.0' : 'Mozilla/5.0',
    };
    w.write({ text: `l${i}`, lineNo: i + 1, offset: i, byteLength: 3, truncated: false, invalidBytes: null }, e);
  }
  for (let i = 0; i < 30; i++) {
    w.write({ text: `fw${i}`, lineNo: 1e6 + i, offset: 0, byteLength: 4, truncated: false, invalidBytes: null },
      { ts: T0 - 3_600_000 + i, dataset: 'zeek.conn', srcIp: '10.1.1.1', dstIp: BUSY, dstPort: 443, action: 'conn', outcome: 'success' });
  }
  w.commit();
  return c;
}

describe('the dossier of a busy address', () => {
  it('counts by dataset, status, action and source exactly, and lists values from a sample it declares', () => {
    const c = seeded();
    const d = entityDossier(c.db, { type: 'ip', value: BUSY });
    const busy = EXACT_LIST_EVENTS * 3;
    expect(d.total).toBe(busy + 30);
    expect(d.byDataset).toEqual([{ value: 'apache.access', count: busy }, { value: 'zeek.conn', count: 30 }]);
    expect(d.byStatus).toEqual([{ value: '200', count: busy * 0.9 }, { value: '404', count: busy * 0.1 }]);
    expect(d.byAction).toEqual([{ value: 'conn', count: 30 }]);
    expect(d.firstSeen).toBe(T0 - 3_600_000);
    expect(d.lastSeen).toBe(T0 + (busy - 1) * 1000);
    expect(d.perSource).toEqual([{ sourceId: 1, name: 'source 1', count: busy + 30, first: T0 - 3_600_000, last: T0 + (busy - 1) * 1000 }]);
    expect(d.timeline.buckets.reduce((n, b) => n + b.count, 0)).toBe(busy + 30);
    expect(d.sample).toBeDefined();
    expect(d.sample!.of).toBe(busy + 30);
    expect(d.sample!.events).toBeGreaterThan(SAMPLE_EVENTS * 0.8);
    expect(d.sample!.events).toBeLessThan(SAMPLE_EVENTS * 1.2);
    // The sample keeps the proportions: a quarter of the requests are for /page/home, a third from curl.
    const home = d.urls.find((u) => u.value === '/page/home')!.count / d.sample!.events;
    expect(home).toBeGreaterThan(0.2);
    expect(home).toBeLessThan(0.3);
    expect(d.urls[0]!.value).toBe('/page/home');
    expect(d.userAgents.map((u) => u.value)).toEqual(['Mozilla/5.0', 'curl/8.0']);
    expect(d.ips).toEqual([{ value: '10.1.1.1', count: expect.any(Number) }]);
    c.close();
  });

  it('lists every value exactly for an address below the limit, and narrows to a range', () => {
    const c = seeded();
    const d = entityDossier(c.db, { type: 'ip', value: '203.0.113.7' });
    expect(d.sample).toBeUndefined();
    expect(d.total).toBe(40);
    expect(d.userAgents.reduce((n, u) => n + u.count, 0)).toBe(40);
    const from = T0 + (EXACT_LIST_EVENTS * 3 + 1000) * 1000;
    const narrowed = entityDossier(c.db, { type: 'ip', value: '203.0.113.7', from });
    expect(narrowed.total).toBe(20);
    expect(narrowed.firstSeen).toBe(d.firstSeen);
    expect(narrowed.timeline.buckets[0]!.start).toBeLessThanOrEqual(from);
    c.close();
  });

  it('reads only its indexes for the counts and the timeline, and sorts nothing for an address (EXPLAIN QUERY PLAN)', () => {
    const c = seeded();
    c.db.exec('ANALYZE');
    const plans: { sql: string; plan: string }[] = [];
    const prepare = c.db.prepare.bind(c.db);
    c.db.prepare = ((sql: string) => {
      // Everything but the value lists (long text, read from the rows) and the alerts.
      if (/FROM events/.test(sql) && !/SELECT user, host, url/.test(sql)) {
        const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...[...sql.matchAll(/\?/g)].map(() => 1)) as { detail: string }[]).map((r) => r.detail).join(' | ');
        plans.push({ sql, plan });
      }
      return prepare(sql);
    }) as typeof c.db.prepare;
    entityDossier(c.db, { type: 'ip', value: BUSY });
    entityDossier(c.db, { type: 'ip', value: BUSY, from: T0 });
    const forAddress = plans.length;
    expect(forAddress).toBeGreaterThan(4);
    for (const p of plans) expect(p.plan).toMatch(/^SEARCH events USING COVERING INDEX events_(src_ip|dst_ip) \([a-z_]+=\?/);
    for (const p of plans) expect(p.plan).not.toMatch(/TEMP B-TREE/);
    entityDossier(c.db, { type: 'user', value: 'root' });
    entityDossier(c.db, { type: 'host', value: 'web-01' });
    for (const p of plans.slice(forAddress)) expect(p.plan).toMatch(/USING COVERING INDEX events_(user|host) \((user|host)=\?/);
    c.close();
  });
});
