import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, StoredEvent } from '../../shared/event.ts';
import { openCase, type CaseDb } from '../../electron/engine/case-db.ts';
import { EventWriter } from '../../electron/engine/event-writer.ts';
import { queryEvents, type EventFilter } from '../../electron/engine/events-query.ts';
import { useTempDir } from '../../electron/test/temp.ts';
import { addPage, isComplete, openSide, openWindow, pageRequest, type EventOrder, type EventWindow, type WindowEdge } from './event-window.ts';

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
});
