import { describe, expect, it } from 'vitest';
import type { CaseDb } from '../engine/case-db.ts';
import { prepareFilter, type ViewFilter } from '../engine/query-sql.ts';
import { access, intelCase } from '../test/intel-case.ts';
import { useTempDir } from '../test/temp.ts';
import { refreshCaseIps } from './case-ips.ts';
import { publicIpsOf } from './public-ips.ts';

const tempDir = useTempDir();

const A = '45.83.64.17';
const B = '93.184.216.34';
const WEB_AT = Date.UTC(2026, 10, 21, 10, 0, 0);
const CONN_AT = Date.UTC(2026, 10, 21, 11, 0, 0);

/** A Zeek conn record (JSON): the only kind of line here with both ends. */
const conn = (from: string, to: string, second: number): string =>
  JSON.stringify({ ts: CONN_AT / 1000 + second, uid: `C${second}`, 'id.orig_h': from, 'id.orig_p': 40000 + second, 'id.resp_h': to, 'id.resp_p': 443, proto: 'tcp', conn_state: 'SF' });

async function setup(): Promise<CaseDb> {
  const c = await intelCase(tempDir(), {
    'access.log': [
      access(A, 1, '/wp-login.php'), access(A, 2), access('10.0.0.3', 3), access(A, 4, '/wp-login.php'),
      access('127.0.0.1', 5), access('192.0.2.7', 6), access('2001:db8::1', 7), access(B, 8), access('10.0.0.3', 9),
    ],
    'conn.log': [
      conn('10.0.0.1', '8.8.8.8', 1), conn('10.0.0.1', '8.8.8.8', 2), conn(A, A, 3), conn('1.1.1.1', '9.9.9.9', 4),
      conn('172.16.0.4', '198.51.100.9', 5), conn('100.64.0.1', '169.254.1.1', 6),
    ],
  });
  refreshCaseIps(c);
  return c;
}

const of = (c: CaseDb, filter: ViewFilter, cap?: number) => publicIpsOf(c.db, prepareFilter(filter), cap, { step: 4 });
const ipsOf = async (c: CaseDb, filter: ViewFilter) => (await of(c, filter)).ips.map((r) => r.ip);

const ALL = [{ ip: A, events: 4 }, { ip: '8.8.8.8', events: 2 }, { ip: '1.1.1.1', events: 1 }, { ip: '9.9.9.9', events: 1 }, { ip: B, events: 1 }];

describe('the public addresses of a filter', () => {
  it('counts every matching event at either end, busiest first, and leaves out private, loopback, documentation and other special addresses', async () => {
    const c = await setup();
    expect(c.db.prepare("SELECT count(*) FROM events WHERE dataset = 'zeek.conn'").pluck().get()).toBe(6);
    // A: three requests, and one connection to itself (counted once).
    expect(await of(c, {})).toEqual({ ips: ALL, total: 5, cap: 5000, cancelled: false });
    // Read from the address indexes or from the events (a text test), the answer is the same.
    expect(await of(c, { query: '-"no such text"' })).toEqual({ ips: ALL, total: 5, cap: 5000, cancelled: false });
    c.close();
  });

  it('honours the time range, the filter bar and the pivots, and says how many there are beyond the cap', async () => {
    const c = await setup();
    expect((await of(c, { from: WEB_AT + 2000, to: WEB_AT + 9000 })).ips).toEqual([{ ip: A, events: 2 }, { ip: B, events: 1 }]);
    expect((await of(c, { query: 'wp-login' })).ips).toEqual([{ ip: A, events: 2 }]);
    expect(await ipsOf(c, { query: 'dataset:zeek.conn -dst:9.9.9.9' })).toEqual(['8.8.8.8', A]);
    expect(await ipsOf(c, { from: CONN_AT, query: 'class:public' })).toEqual(['8.8.8.8', '1.1.1.1', A, '9.9.9.9']);
    expect(await ipsOf(c, { from: CONN_AT, query: 'status:200' })).toEqual([]);
    expect((await of(c, { ip: '10.0.0.1' })).ips).toEqual([{ ip: '8.8.8.8', events: 2 }]);
    expect(await of(c, { query: 'dataset:nothing' })).toEqual({ ips: [], total: 0, cap: 5000, cancelled: false });
    expect(await of(c, {}, 2)).toEqual({ ips: ALL.slice(0, 2), total: 5, cap: 2, cancelled: false });
    expect(await of(c, { query: '"GET" OR tcp' }, 2)).toEqual({ ips: ALL.slice(0, 2), total: 5, cap: 2, cancelled: false });
    c.close();
  });

  it('reading every event, reports its progress step by step and stops when cancelled', async () => {
    const c = await setup();
    const seen: { scanned: number; total: number }[] = [];
    const r = await publicIpsOf(c.db, prepareFilter({ query: 'GET' }), 10, { step: 4, onProgress: (p) => seen.push(p) });
    expect(r.ips).toEqual([{ ip: A, events: 3 }, { ip: B, events: 1 }]);
    expect(seen).toEqual([{ scanned: 4, total: 15 }, { scanned: 8, total: 15 }, { scanned: 12, total: 15 }, { scanned: 15, total: 15 }]);

    const abort = new AbortController();
    const stopped = await publicIpsOf(c.db, prepareFilter({ query: 'GET' }), 10, { step: 4, signal: abort.signal, onProgress: () => abort.abort() });
    // Only the first step (ids 1–4: three of A's requests) was read.
    expect(stopped).toEqual({ cancelled: true, ips: [{ ip: A, events: 3 }], total: 1, cap: 10 });
    c.close();
  });
});
