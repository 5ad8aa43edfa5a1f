import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../shared/event.ts';
import { eventLevel } from '../../shared/query/level.ts';
import { useTempDir } from '../test/temp.ts';
import { openCase, type CaseDb } from './case-db.ts';
import { countMatching } from './event-count.ts';
import { EventWriter } from './event-writer.ts';
import { decompose, eventHistogram, niceBucket } from './histogram.ts';
import { prepareFilter, type ViewFilter } from './query-sql.ts';
import { DAY, HOUR, MINUTE, rollupIsFresh } from './rollup.ts';

const tempDir = useTempDir();
const T0 = Date.UTC(2026, 10, 20, 21, 17, 23, 250);

/** Three datasets over about four days, some events without a time, a few unparsed lines. */
function seeded(): { c: CaseDb; events: { ts: number | null; dataset: string; level: string; sourceId: number }[] } {
  const c = openCase(join(tempDir(), 'h.loupe'), { create: true });
  const events: { ts: number | null; dataset: string; level: string; sourceId: number }[] = [];
  for (const sourceId of [1, 2]) {
    const w = new EventWriter(c.db, sourceId);
    for (let i = 0; i < 6000; i++) {
      // Uneven gaps: bursts and quiet hours.
      const ts = i % 97 === 0 ? null : T0 + Math.floor(i * 57_131 * (1 + Math.sin(i / 300)) + sourceId * 7_777);
      const e: ParsedEvent | null = i % 53 === 0 ? null : { ts, dataset: ['apache.access', 'sshd', 'sudo'][(i + sourceId) % 3]! };
      if (e && e.dataset === 'apache.access') e.httpStatus = [200, 404, 503][i % 3]!;
      if (e && e.dataset === 'sshd' && i % 4 === 0) e.outcome = 'failure';
      w.write({ text: `l${i}`, lineNo: i + 1, offset: i, byteLength: 3, truncated: false, invalidBytes: null }, e);
      events.push({ ts: e ? ts : null, dataset: e?.dataset ?? 'unparsed', level: e ? eventLevel(e) : 'unparsed', sourceId });
    }
    w.commit();
  }
  return { c, events };
}

describe('bucket sizes', () => {
  it('picks a nice step for the range and the room the chart has', () => {
    expect(niceBucket(60 * MINUTE, 120)).toBe(30_000);
    expect(niceBucket(3 * DAY, 100)).toBe(HOUR);
    expect(niceBucket(3 * DAY, 1000)).toBe(5 * MINUTE);
    expect(niceBucket(366 * DAY, 100)).toBe(7 * DAY);
    expect(niceBucket(100 * 365 * DAY, 50)).toBe(2 * 365 * DAY);
    expect(niceBucket(0, 100)).toBe(1000);
  });

  it('cuts a range into the longest whole spans', () => {
    const lo = Date.UTC(2026, 0, 1, 22, 58);
    const hi = Date.UTC(2026, 0, 4, 1, 3);
    const pieces = decompose(lo, hi, [MINUTE, HOUR, DAY]);
    expect(pieces.map((p) => [p.span, (p.to - p.from) / p.span])).toEqual([[MINUTE, 2], [HOUR, 1], [DAY, 2], [HOUR, 1], [MINUTE, 3]]);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.from).toBe(pieces[i - 1]!.to);
  });
});

describe('the timeline', () => {
  const filters: ViewFilter[] = [
    {},
    { from: T0 + 3 * HOUR + 12_345, to: T0 + 2 * DAY + 5 * MINUTE + 999 },
    { from: T0 + 40 * MINUTE + 1, to: T0 + 52 * MINUTE },
    { dataset: 'sshd' },
    { sourceId: 2, from: T0 + 7 * HOUR },
    { query: 'level:failure or dataset:sudo', to: T0 + DAY + 17 },
    { query: '-source:2 -level:error' },
  ];

  it.each(filters.map((f) => [JSON.stringify(f), f] as const))('counts %s the same from the rollup as from the events', (_name, filter) => {
    const { c, events } = seeded();
    expect(rollupIsFresh(c.db)).toBe(true);
    const p = prepareFilter(filter);
    expect(p.rollup).toBe(true);
    for (const stackBy of ['dataset', 'level'] as const) {
      for (const targetBuckets of [10, 100, 2000]) {
        const fast = eventHistogram(c.db, p, { stackBy, targetBuckets });
        const slow = eventHistogram(c.db, p, { stackBy, targetBuckets, useRollup: false });
        expect(fast.buckets).toEqual(slow.buckets);
        expect({ ...fast, buckets: [] }).toEqual({ ...slow, buckets: [] });
      }
    }
    // And both agree with counting the events here.
    const h = eventHistogram(c.db, p, { stackBy: 'level', targetBuckets: 100 });
    const level = /level:failure or dataset:sudo/.test(filter.query ?? '')
      ? (e: (typeof events)[number]) => e.level === 'failure' || e.dataset === 'sudo'
      : /-source:2 -level:error/.test(filter.query ?? '') ? (e: (typeof events)[number]) => e.sourceId !== 2 && e.level !== 'error' : () => true;
    const matching = events.filter((e) => level(e) && (filter.dataset === undefined || e.dataset === filter.dataset)
      && (filter.sourceId === undefined || e.sourceId === filter.sourceId)
      && (filter.from === undefined || (e.ts !== null && e.ts >= filter.from)) && (filter.to === undefined || (e.ts !== null && e.ts < filter.to)));
    expect(h.total).toBe(matching.length);
    expect(h.untimed).toBe(matching.filter((e) => e.ts === null).length);
    expect(h.buckets.reduce((n, b) => n + b.counts.reduce((x, y) => x + y, 0), 0)).toBe(matching.filter((e) => e.ts !== null).length);
    for (const b of h.buckets) expect(b.start % h.bucketMs).toBe(0);
    expect(countMatching(c.db, p)).toEqual({ count: matching.length, exact: true });
    c.close();
  });

  it('stacks by dataset or level, most events first, every bucket present', () => {
    const { c, events } = seeded();
    const h = eventHistogram(c.db, prepareFilter({}), { stackBy: 'dataset', targetBuckets: 50 });
    const per = new Map<string, number>();
    for (const e of events) if (e.ts !== null) per.set(e.dataset, (per.get(e.dataset) ?? 0) + 1);
    expect(h.series).toEqual([...per].sort((a, b) => b[1] - a[1]).map(([d]) => d));
    const times = events.flatMap((e) => (e.ts === null ? [] : [e.ts]));
    expect([h.from, h.to]).toEqual([Math.min(...times), Math.max(...times) + 1]);
    // About eight days in at most about 50 bars: 6 hours each.
    expect(h.bucketMs).toBe(6 * HOUR);
    expect(h.buckets.length).toBeLessThanOrEqual(50);
    for (let i = 1; i < h.buckets.length; i++) expect(h.buckets[i]!.start - h.buckets[i - 1]!.start).toBe(h.bucketMs);
    const byLevel = eventHistogram(c.db, prepareFilter({}), { stackBy: 'level' });
    // Unparsed lines have no time: they are counted as untimed, not on a bar.
    expect(new Set(byLevel.series)).toEqual(new Set(['info', 'error', 'failure']));
    expect(byLevel.untimed).toBe(events.filter((e) => e.ts === null).length);
    c.close();
  });

  it('scans when the filter asks about more than the rollup keeps, with the same result shape', () => {
    const { c } = seeded();
    const p = prepareFilter({ query: 'status>=500' });
    expect(p.rollup).toBe(false);
    const h = eventHistogram(c.db, p, { stackBy: 'level' });
    expect(h.series).toEqual(['error']);
    expect(h.total).toBe(c.db.prepare('SELECT count(*) FROM events WHERE http_status >= 500').pluck().get());
    const none = eventHistogram(c.db, prepareFilter({ query: 'user:nobody' }), { stackBy: 'dataset' });
    expect(none).toMatchObject({ from: null, to: null, series: [], buckets: [], total: 0, untimed: 0 });
    c.close();
  });

  it('uses the events while the rollup is behind them, and counts the same', () => {
    const { c } = seeded();
    const before = eventHistogram(c.db, prepareFilter({}), { stackBy: 'dataset' });
    c.db.prepare("INSERT INTO events (ts, source_id, line_no, offset, dataset, raw) VALUES (?, 1, 0, 0, 'late', 'x')").run(T0 + HOUR);
    expect(rollupIsFresh(c.db)).toBe(false);
    const after = eventHistogram(c.db, prepareFilter({}), { stackBy: 'dataset' });
    expect(after.total).toBe(before.total + 1);
    expect(after.series).toContain('late');
    c.close();
  });
});
