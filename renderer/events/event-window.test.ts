import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, StoredEvent } from '../../shared/event.ts';
import { openCase, type CaseDb } from '../../electron/engine/case-db.ts';
import { EventWriter } from '../../electron/engine/event-writer.ts';
import { queryEvents, type EventFilter } from '../../electron/engine/events-query.ts';
import { useTempDir } from '../../electron/test/temp.ts';
import { addPage, afterNewData, dataStep, isComplete, openSide, openWindow, pageRequest, reread, type EventOrder, type EventWindow, type Freshness, type WindowEdge, type WindowPageRequest } from './event-window.ts';

const tempDir = useTempDir();
const T0 = Date.UTC(2026, 0, 1);

/** 600 events over 97 minutes, so many share a time; every 40th has none; a third from one address. */
function seeded(): CaseDb {
  const c = openCase(join(tempDir(), 'w.loupe'), { create: true });
  const w = new EventWriter(c.db, 1);
  for (let i = 1; i <= 600; i++) {
    const e: ParsedEvent = { ts: i % 40 === 0 ? null : T0 + (i % 97) * 60_000, dataset: i % 2 ? 'sshd' : 'apache.access' };
    if (i % 3 === 0) e.srcIp = '203.0.113.7';
    w.write({ text: `line ${i}${i % 7 === 0 ? ' Failed password' : ''}`, lineNo: i, offset: i, byteLength: 9, truncated: false, invalidBytes: null }, e);
  }
  w.commit();
  return c;
}

/** More events after the seeded ones, as a live feed brings them: later than all, or (`early`) earlier than all. */
function append(c: CaseDb, n: number, early = false): void {
  const w = new EventWriter(c.db, 1);
  for (let i = 1; i <= n; i++) {
    const e: ParsedEvent = { ts: early ? T0 - i * 1000 : T0 + 200 * 60_000 + i * 1000, dataset: 'syslog' };
    w.write({ text: `new ${i}`, lineNo: 1000 + i, offset: 1000 + i, byteLength: 5, truncated: false, invalidBytes: null }, e);
  }
  w.commit();
}

/** The window read from its open side `pages` times. */
function grown(c: CaseDb, filter: EventFilter, order: EventOrder, edge: WindowEdge, limit: number, pages: number): EventWindow<StoredEvent> {
  let w: EventWindow<StoredEvent> = openWindow(edge);
  for (let i = 0; i < pages; i++) {
    const side = openSide(w);
    const request = side && pageRequest(w, order, side, limit);
    if (!side || !request) break;
    w = addPage(w, side, queryEvents(c.db, filter, request), limit);
  }
  return w;
}

/** Opens a window at `edge` and reads its open side page by page until it holds every event. */
function readWindow(c: CaseDb, filter: EventFilter, order: EventOrder, edge: WindowEdge, limit: number): { first: number[]; all: StoredEvent[] } {
  let w: EventWindow<StoredEvent> = openWindow(edge);
  let first: number[] | undefined;
  for (let pages = 0; ; pages++) {
    const side = openSide(w);
    if (side === null) break;
    const request = pageRequest(w, order, side, limit);
    if (request === null) throw new Error('an open side has a request');
    const { order: o, after, limit: n } = request;
    w = addPage(w, side, queryEvents(c.db, filter, { order: o, limit: n, ...(after ? { after } : {}) }), limit);
    first ??= w.rows.map((e) => e.id);
    if (pages > 1000) throw new Error('the window never completes');
  }
  expect(isComplete(w)).toBe(true);
  return { first: first ?? [], all: w.rows };
}

describe('the grid window', () => {
  const filters: EventFilter[] = [{}, { ip: '203.0.113.7' }, { text: 'failed' }, { from: T0 + 10 * 60_000, to: T0 + 50 * 60_000 }, { query: 'dataset:sshd' }];

  it('opened at the end holds the filter\'s last events first, and read upwards holds every event in order, either order', () => {
    const c = seeded();
    for (const filter of filters) {
      for (const order of ['asc', 'desc'] as const) {
        const label = `${JSON.stringify(filter)} ${order}`;
        const expected = queryEvents(c.db, filter, { order, limit: 1000 }).map((e) => e.id);
        expect(expected.length, label).toBeGreaterThan(60);
        const fromEnd = readWindow(c, filter, order, 'end', 29);
        expect(fromEnd.first, label).toEqual(expected.slice(-29));
        expect(fromEnd.all.map((e) => e.id), label).toEqual(expected);
        expect(readWindow(c, filter, order, 'start', 29).all.map((e) => e.id), label).toEqual(expected);
      }
    }
    c.close();
  });

  it('puts the undated events where the grid does: first oldest first, last newest first, and End reaches them', () => {
    const c = seeded();
    const newest = readWindow(c, {}, 'desc', 'end', 50);
    // Newest first ends with the undated events, the first line last.
    expect(newest.first.at(-1)).toBe(40);
    expect(newest.all.slice(-15).every((e) => e.ts === null)).toBe(true);
    const oldest = readWindow(c, {}, 'asc', 'end', 50);
    expect(oldest.all.slice(0, 15).every((e) => e.ts === null)).toBe(true);
    const last = oldest.all.at(-1)!;
    expect(last.ts).toBe(T0 + 96 * 60_000);
    expect(oldest.first.at(-1)).toBe(last.id);
    c.close();
  });

  it('asks nothing on a complete side, and a short first page completes both sides', () => {
    const start = openWindow<{ id: number; ts: number | null }>('start');
    expect(pageRequest(start, 'asc', 'before', 10)).toBeNull();
    expect(pageRequest(start, 'desc', 'after', 10)).toEqual({ order: 'desc', limit: 10 });
    const end = openWindow<{ id: number; ts: number | null }>('end');
    expect(openSide(end)).toBe('before');
    expect(pageRequest(end, 'desc', 'before', 10)).toEqual({ order: 'asc', limit: 10 });
    const few = addPage(end, 'before', [{ id: 9, ts: 3 }, { id: 4, ts: 2 }, { id: 7, ts: null }], 10);
    expect(few.rows.map((r) => r.id)).toEqual([7, 4, 9]);
    expect(isComplete(few)).toBe(true);
    expect(openSide(few)).toBeNull();
    const none = addPage(start, 'after', [], 10);
    expect(isComplete(none) && none.rows.length === 0).toBe(true);
  });

  describe('read again after new data', () => {
    const reader = (c: CaseDb, filter: EventFilter, asked: WindowPageRequest[]) => (request: WindowPageRequest) => {
      asked.push(request);
      return Promise.resolve(queryEvents(c.db, filter, request));
    };

    it('a window opened at the end keeps the filter\'s tail: the new events at its bottom, either order', async () => {
      for (const order of ['asc', 'desc'] as const) {
        const c = seeded();
        const filter: EventFilter = order === 'asc' ? {} : { query: 'dataset:sshd OR dataset:syslog' };
        const before = grown(c, filter, order, 'end', 29, 2);
        expect(before.rows).toHaveLength(58);
        append(c, 7, order === 'desc');
        const asked: WindowPageRequest[] = [];
        const after = await reread(before, order, 29, 1000, reader(c, filter, asked));
        const expected = queryEvents(c.db, filter, { order, limit: 2000 }).map((e) => e.id);
        // As many rows as before, now the last 58 of the filter: the new ones at the bottom (oldest
        // first they are the newest; newest first, the oldest).
        expect(after.rows.map((e) => e.id), order).toEqual(expected.slice(-58));
        expect(after.rows.slice(-7).every((e) => e.dataset === 'syslog'), order).toBe(true);
        expect(after.edge).toBe('end');
        expect(after.hasLast && !after.hasFirst).toBe(true);
        expect(asked.map((r) => r.limit)).toEqual([29, 29]);
        c.close();
      }
    });

    it('a window opened at the start keeps its head: newest first, the new events at its top', async () => {
      const c = seeded();
      const before = grown(c, {}, 'desc', 'start', 50, 3);
      append(c, 4);
      const after = await reread(before, 'desc', 50, 1000, reader(c, {}, []));
      const expected = queryEvents(c.db, {}, { order: 'desc', limit: 150 }).map((e) => e.id);
      expect(after.rows.map((e) => e.id)).toEqual(expected);
      expect(after.rows.slice(0, 4).map((e) => e.raw)).toEqual(['new 4', 'new 3', 'new 2', 'new 1']);
      expect(after.hasFirst && !after.hasLast).toBe(true);
      c.close();
    });

    it('an empty window reads a page, and a complete one stays complete', async () => {
      const c = openCase(join(tempDir(), 'empty.loupe'), { create: true });
      const empty = grown(c, {}, 'asc', 'start', 10, 1);
      expect(isComplete(empty) && empty.rows.length === 0).toBe(true);
      append(c, 3);
      const first = await reread(empty, 'asc', 10, 100, reader(c, {}, []));
      expect(first.rows.map((e) => e.raw)).toEqual(['new 1', 'new 2', 'new 3']);
      expect(isComplete(first)).toBe(true);
      c.close();
    });

    it('re-reads only for a view at the edge the window was opened at, and then at most the cap, from that edge', async () => {
      const c = seeded();
      const wide = grown(c, {}, 'asc', 'end', 40, 5);
      expect(wide.rows).toHaveLength(200);
      append(c, 3);
      expect(afterNewData(wide, 'asc', true)).toBe('reread');
      const asked: WindowPageRequest[] = [];
      const capped = await reread(wide, 'asc', 40, 90, reader(c, {}, asked));
      const expected = queryEvents(c.db, {}, { order: 'asc', limit: 1000 }).map((e) => e.id);
      // The view is at the bottom: the rows dropped are at the top, far from it.
      expect(capped.rows.map((e) => e.id)).toEqual(expected.slice(-90));
      expect(asked.map((r) => r.limit)).toEqual([40, 40, 10]);
      expect(capped.hasLast && !capped.hasFirst).toBe(true);
      c.close();
    });
  });

  describe('new data for a view further in', () => {
    /** 2,600 events: more than a re-read keeps. */
    function large(): CaseDb {
      const c = seeded();
      const w = new EventWriter(c.db, 1);
      for (let i = 1; i <= 2000; i++) {
        w.write({ text: `more ${i}`, lineNo: 5000 + i, offset: 5000 + i, byteLength: 6, truncated: false, invalidBytes: null }, { ts: T0 + 100 * 60_000 + i * 1000, dataset: 'sshd' });
      }
      w.commit();
      return c;
    }
    const read = (c: CaseDb, w: EventWindow<StoredEvent>, order: EventOrder, side: 'before' | 'after', limit: number): EventWindow<StoredEvent> => {
      const request = pageRequest(w, order, side, limit);
      if (!request) throw new Error(`the ${side} side is complete`);
      return addPage(w, side, queryEvents(c.db, {}, request), limit);
    };

    it('oldest first, a window of every event keeps all its rows and reads the new ones on scrolling down', () => {
      const c = large();
      const whole = grown(c, {}, 'asc', 'start', 500, 10);
      expect(whole.rows).toHaveLength(2600);
      expect(isComplete(whole)).toBe(true);
      append(c, 5);
      const kept = afterNewData(whole, 'asc', false);
      if (kept === 'reread') throw new Error('a view in the middle re-reads nothing');
      // The same rows, so the row at the top of the view is still there; the bottom is open again.
      expect(kept.rows).toBe(whole.rows);
      expect(kept.hasFirst && !kept.hasLast).toBe(true);
      expect(openSide(kept)).toBe('after');
      const further = read(c, kept, 'asc', 'after', 500);
      expect(further.rows).toHaveLength(2605);
      expect(further.rows.slice(-5).map((e) => e.raw)).toEqual(['new 1', 'new 2', 'new 3', 'new 4', 'new 5']);
      expect(further.rows.map((e) => e.id)).toEqual(queryEvents(c.db, {}, { order: 'asc', limit: 5000 }).map((e) => e.id));
      expect(isComplete(further)).toBe(true);
      c.close();
    });

    it('newest first, a window opened at the end keeps its rows and reads the new ones on scrolling up', () => {
      const c = large();
      const tail = grown(c, {}, 'desc', 'end', 500, 5);
      expect(tail.rows).toHaveLength(2500);
      expect(tail.hasLast && !tail.hasFirst).toBe(true);
      const whole = read(c, tail, 'desc', 'before', 500);
      expect(isComplete(whole)).toBe(true);
      append(c, 4);
      const kept = afterNewData(whole, 'desc', false);
      if (kept === 'reread') throw new Error('a view in the middle re-reads nothing');
      expect(kept.rows).toBe(whole.rows);
      expect(kept.hasLast && !kept.hasFirst).toBe(true);
      const further = read(c, kept, 'desc', 'before', 500);
      expect(further.rows.slice(0, 4).map((e) => e.raw)).toEqual(['new 4', 'new 3', 'new 2', 'new 1']);
      expect(further.rows.map((e) => e.id)).toEqual(queryEvents(c.db, {}, { order: 'desc', limit: 5000 }).map((e) => e.id));
      c.close();
    });

    it('a window whose new side is still open stays the same window', () => {
      const c = large();
      const part = grown(c, {}, 'asc', 'start', 500, 5);
      expect(part.hasLast).toBe(false);
      expect(afterNewData(part, 'asc', false)).toBe(part);
      c.close();
    });
  });

  describe('one re-read at a time', () => {
    it('a steady feed over re-reads slower than it lands one after another and ends on the newest data', () => {
      // A data change every tick for 20 ticks; a re-read takes 3 ticks. The grid's effect acts on
      // dataStep at every change of the data version or of its own state.
      let w: Freshness = { version: 0, rereading: false, failedAt: null };
      let running = null as { version: number; ends: number } | null;
      const started: number[] = [];
      const landed: number[] = [];
      for (let tick = 1; tick <= 30; tick++) {
        const dataVersion = Math.min(tick, 20);
        if (running?.ends === tick) {
          w = { ...w, version: running.version, rereading: false };
          landed.push(running.version);
          running = null;
        }
        const step = dataStep(w, dataVersion);
        expect(step === 'wait').toBe(running !== null && w.version !== dataVersion);
        if (step === 'update') {
          w = { ...w, rereading: true };
          running = { version: dataVersion, ends: tick + 3 };
          started.push(dataVersion);
        }
      }
      expect(started).toEqual([1, 4, 7, 10, 13, 16, 19, 20]);
      expect(landed).toEqual(started);
      expect(w).toEqual({ version: 20, rereading: false, failedAt: null });
      expect(dataStep(w, 20)).toBe('none');
    });

    it('a failed re-read is not tried again for the same data, but is for newer data', () => {
      const failed: Freshness = { version: 3, rereading: false, failedAt: 5 };
      expect(dataStep(failed, 5)).toBe('none');
      expect(dataStep(failed, 6)).toBe('update');
      expect(dataStep({ version: 3, rereading: true, failedAt: null }, 6)).toBe('wait');
    });
  });
});
