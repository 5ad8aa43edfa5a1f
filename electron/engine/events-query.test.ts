import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../shared/event.ts';
import { useTempDir } from '../test/temp.ts';
import { type CaseDb, openCase } from './case-db.ts';
import { EventWriter } from './event-writer.ts';
import { countEvents, type PageCursor, queryEvents, whereClause } from './events-query.ts';

const tempDir = useTempDir();

function seeded(): CaseDb {
  const c = openCase(join(tempDir(), 'q.loupe'), { create: true });
  const w = new EventWriter(c.db, 1);
  for (let i = 1; i <= 500; i++) {
    const e: ParsedEvent = { ts: i % 50 === 0 ? null : Date.UTC(2026, 0, 1) + (i % 97) * 60_000, dataset: 'sshd' };
    if (i % 3 === 0) e.srcIp = '203.0.113.7';
    if (i % 5 === 0) e.user = 'root';
    w.write({ text: `line ${i}${i % 7 === 0 ? ' Failed password 100%_sure' : ''}`, lineNo: i, offset: i, byteLength: 9, truncated: false, invalidBytes: null }, e);
  }
  w.commit();
  return c;
}

describe('event queries', () => {
  it('pages through everything in (ts, id) order with a keyset cursor, undated events first', () => {
    const c = seeded();
    const all = queryEvents(c.db, {}, { limit: 1000 });
    expect(all).toHaveLength(500);
    const paged = [];
    let after: PageCursor | undefined;
    for (;;) {
      const page = queryEvents(c.db, {}, { limit: 37, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      paged.push(...page);
      const last = page.at(-1)!;
      after = { ts: last.ts, id: last.id };
    }
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(all.slice(0, 10).every((e) => e.ts === null)).toBe(true);
    const dated = all.filter((e) => e.ts !== null);
    for (let i = 1; i < dated.length; i++) {
      const [a, b] = [dated[i - 1]!, dated[i]!];
      expect(a.ts! < b.ts! || (a.ts === b.ts && a.id < b.id)).toBe(true);
    }
    c.close();
  });

  it('filters by IP, user, time and words, with LIKE wildcards in the words taken literally', () => {
    const c = seeded();
    expect(countEvents(c.db, { ip: '203.0.113.7' })).toBe(166);
    expect(countEvents(c.db, { user: 'root', ip: '203.0.113.7' })).toBe(33);
    const from = Date.UTC(2026, 0, 1, 0, 10);
    const to = Date.UTC(2026, 0, 1, 0, 20);
    const window = queryEvents(c.db, { from, to }, { limit: 1000 });
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e) => e.ts !== null && e.ts >= from && e.ts < to)).toBe(true);
    expect(countEvents(c.db, { text: 'failed PASSWORD' })).toBe(71);
    expect(countEvents(c.db, { text: '100%_sure' })).toBe(71);
    expect(countEvents(c.db, { text: '1_0%' })).toBe(0);
    expect(whereClause({ text: "'; DROP TABLE events; --" }).sql).not.toContain('DROP');
    c.close();
  });

  it('uses an index for the grid page, the IP pivot and the user pivot (EXPLAIN QUERY PLAN)', () => {
    const c = seeded();
    const plan = (sql: string, ...params: unknown[]): string =>
      (c.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM events WHERE (ts, id) > (?, ?) ORDER BY ts, id LIMIT 100', 1, 1)).toMatch(/USING INDEX events_ts/);
    expect(plan('SELECT * FROM events ORDER BY ts, id LIMIT 100')).toMatch(/SCAN events USING INDEX events_ts/);
    expect(plan('SELECT min(ts), max(ts), count(*) FROM events WHERE src_ip = ?', 'x')).toMatch(/USING COVERING INDEX events_src_ip/);
    expect(plan('SELECT * FROM events WHERE user = ? ORDER BY ts LIMIT 100', 'root')).toMatch(/USING INDEX events_user/);
    // Newest first walks the time index backwards, with no sort.
    const newest = plan('SELECT * FROM events WHERE (ts, id) < (?, ?) AND ts IS NOT NULL ORDER BY ts DESC, id DESC LIMIT 100', 1e15, 1);
    expect(newest).toMatch(/USING INDEX events_ts/);
    expect(newest).not.toMatch(/TEMP B-TREE/);
    // End, then up (the grid's window opened at the end): the page before an undated row oldest
    // first, and newest first the undated rows before one; index walks, no sort either.
    const afterUndated = plan('SELECT * FROM events WHERE ((ts IS NULL AND id > ?) OR ts IS NOT NULL) ORDER BY ts, id LIMIT 100', 5);
    expect(afterUndated).toMatch(/USING INDEX events_ts/);
    const undatedBefore = plan('SELECT * FROM events WHERE ts IS NULL AND id < ? ORDER BY id DESC LIMIT 100', 5);
    expect(undatedBefore).toMatch(/SEARCH events USING INDEX events_ts \(ts=\? AND rowid<\?\)/);
    for (const p of [afterUndated, undatedBefore]) expect(p).not.toMatch(/TEMP B-TREE/);
    c.close();
  });

  it('pages newest first in exactly the reverse order, undated events last, with and without an address', () => {
    const c = seeded();
    for (const filter of [{}, { ip: '203.0.113.7' }, { text: 'failed' }]) {
      const oldest = queryEvents(c.db, filter, { limit: 1000 });
      const newest: number[] = [];
      let after: PageCursor | undefined;
      for (;;) {
        const page = queryEvents(c.db, filter, { limit: 23, order: 'desc', ...(after ? { after } : {}) });
        if (page.length === 0) break;
        newest.push(...page.map((e) => e.id));
        const last = page.at(-1)!;
        after = { ts: last.ts, id: last.id };
      }
      expect(newest, JSON.stringify(filter)).toEqual(oldest.map((e) => e.id).reverse());
      expect(newest.length, JSON.stringify(filter)).toBeGreaterThan(40);
    }
    c.close();
  });
});
