import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent, StoredEvent } from '../../shared/event.ts';
import { eventLevel } from '../../shared/query/level.ts';
import { inCidr, parseCidr } from '../../shared/sigma/ip.ts';
import { useTempDir } from '../test/temp.ts';
import { replaceAlerts } from './alerts.ts';
import { openCase, type CaseDb } from './case-db.ts';
import { EventWriter } from './event-writer.ts';
import { queryEvents } from './events-query.ts';
import { compileQuery, globOf, likeContaining } from './query-sql.ts';
import { parseQuery } from '../../shared/query/parse.ts';
import { insertSource } from './sources.ts';

const tempDir = useTempDir();
const T0 = Date.UTC(2026, 10, 20);

const IPS = ['10.0.0.5', '10.200.1.1', '192.168.1.20', '203.0.113.7', '2001:db8::1', '2001:db9::5', 'fe80::1'];
const USERS = ['root', 'admin', 'alice', 'Admin', 'a?b[c]'];

/** A varied set of events: every field present on some, absent on others. */
function events(): ParsedEvent[] {
  const out: ParsedEvent[] = [];
  for (let i = 0; i < 600; i++) {
    const e: ParsedEvent = { ts: i % 41 === 0 ? null : T0 + i * 60_000, dataset: ['apache.access', 'sshd', 'syslog'][i % 3]! };
    if (i % 2 === 0) e.srcIp = IPS[i % IPS.length]!;
    if (i % 5 === 0) e.dstIp = IPS[(i + 3) % IPS.length]!;
    if (i % 4 === 1) e.user = USERS[i % USERS.length]!;
    if (i % 3 === 0) {
      e.httpStatus = [200, 404, 500, 302, 403][i % 5]!;
      e.httpMethod = i % 2 === 0 ? 'GET' : 'POST';
      e.url = i % 7 === 0 ? '/wp-login.php?x=1' : `/page/${i % 11}`;
      e.httpBytes = (i * 137) % 20_000;
      e.userAgent = i % 6 === 0 ? 'sqlmap/1.7' : 'Mozilla/5.0';
    } else {
      e.host = i % 2 === 0 ? 'web-01' : 'db-01';
      e.program = e.dataset === 'sshd' ? 'sshd' : 'cron';
      e.pid = 1000 + i;
      if (i % 7 === 0) e.outcome = 'failure';
      if (i % 11 === 0) e.extra = { severity: 'err' };
    }
    if (i % 6 === 2) {
      e.srcPort = 40_000 + i;
      e.dstPort = [22, 443, 3389][i % 3]!;
    }
    out.push(e);
  }
  return out;
}

function seeded(): { c: CaseDb; all: StoredEvent[] } {
  const c = openCase(join(tempDir(), 'q.loupe'), { create: true });
  for (const name of ['/var/log/auth.log', '/evidence/web/access.log.1']) {
    insertSource(c.db, { path: name, name: name.split('/').pop()!, size: 1, mtime: 0, compression: null, format: 'x', formatConfidence: null, formatForced: false, timezone: 'UTC', loupeVersion: 't' });
  }
  const list = events();
  for (const sourceId of [1, 2]) {
    const w = new EventWriter(c.db, sourceId);
    list.forEach((e, i) => {
      if (i % 2 !== sourceId - 1) return;
      const raw = `line ${i} ${e.srcIp ?? '-'} ${e.user ?? '-'}${i % 9 === 0 ? ' Failed password for invalid user' : ''}${i % 13 === 0 ? ' 100%_done' : ''}`;
      w.write({ text: raw, lineNo: i + 1, offset: i, byteLength: raw.length, truncated: false, invalidBytes: null }, e);
    });
    w.commit();
  }
  const all = queryEvents(c.db, {}, { limit: 1000 });
  replaceAlerts(c.db, [{
    rule: { id: 'r', version: null, kind: 'detection', title: 'R', level: 'high', author: null, tags: [] },
    entity: { type: 'ip', value: '10.0.0.5' }, first: null, last: null, eventIds: [3, 5, 8], firstEventId: 3, why: {},
  }]);
  return { c, all };
}

const has = (v: unknown): boolean => v !== undefined;
const glob = (pattern: string) => (v: string | undefined): boolean =>
  v !== undefined && new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(v);
const cidr = (text: string) => (v: string | undefined): boolean => v !== undefined && inCidr(v, parseCidr(text)!);

/** Each query with what it means, written independently of the SQL. */
const CASES: [string, (e: StoredEvent) => boolean][] = [
  ['failed', (e) => e.raw.toLowerCase().includes('failed')],
  ['FAILED "invalid USER"', (e) => e.raw.toLowerCase().includes('invalid user')],
  ['100%_done', (e) => e.raw.includes('100%_done')],
  ['line*invalid', (e) => /line.*invalid/i.test(e.raw)],
  ['user:root', (e) => e.user === 'root'],
  ['user:admin', (e) => e.user === 'admin'],
  ['user:Adm*', (e) => glob('Adm*')(e.user)],
  ['user:"a?b[c]"', (e) => e.user === 'a?b[c]'],
  ['user:a?b*', (e) => e.user === 'a?b[c]'],
  ['-user:root', (e) => e.user !== 'root'],
  ['user!=root', (e) => e.user !== 'root'],
  ['not user:*', (e) => !has(e.user)],
  ['ip:10.0.0.5', (e) => e.srcIp === '10.0.0.5' || e.dstIp === '10.0.0.5'],
  ['-ip:10.0.0.5', (e) => e.srcIp !== '10.0.0.5' && e.dstIp !== '10.0.0.5'],
  ['ip:10.0.0.0/8', (e) => cidr('10.0.0.0/8')(e.srcIp) || cidr('10.0.0.0/8')(e.dstIp)],
  ['src:10.0.0.0/16', (e) => cidr('10.0.0.0/16')(e.srcIp)],
  ['-src:10.0.0.0/8', (e) => !cidr('10.0.0.0/8')(e.srcIp)],
  ['ip:2001:db8::/32', (e) => cidr('2001:db8::/32')(e.srcIp) || cidr('2001:db8::/32')(e.dstIp)],
  ['dst:fe80::1', (e) => e.dstIp === 'fe80::1'],
  ['src:192.168.*', (e) => glob('192.168.*')(e.srcIp)],
  ['status>=400', (e) => (e.httpStatus ?? -1) >= 400],
  ['status<300 method:get', (e) => e.httpStatus !== undefined && e.httpStatus < 300 && e.httpMethod === 'GET'],
  ['-status>=400', (e) => !((e.httpStatus ?? -1) >= 400)],
  ['status:4*', (e) => String(e.httpStatus ?? '').startsWith('4')],
  ['-status:4*', (e) => !String(e.httpStatus ?? '').startsWith('4')],
  ['bytes>10000', (e) => (e.httpBytes ?? -1) > 10_000],
  ['port:22', (e) => e.srcPort === 22 || e.dstPort === 22],
  ['port!=22', (e) => e.srcPort !== 22 && e.dstPort !== 22],
  ['dst_port<=443 src_port>40100', (e) => (e.dstPort ?? Infinity) <= 443 && (e.srcPort ?? -1) > 40_100],
  ['pid>1500', (e) => (e.pid ?? -1) > 1500],
  ['url:*wp-login*', (e) => glob('*wp-login*')(e.url)],
  ['ua:sqlmap*', (e) => glob('sqlmap*')(e.userAgent)],
  ['host:web-01 or host:db-01', (e) => e.host === 'web-01' || e.host === 'db-01'],
  ['program:sshd and outcome:failure', (e) => e.program === 'sshd' && e.outcome === 'failure'],
  ['dataset:sshd', (e) => e.dataset === 'sshd'],
  ['event.dataset:apache.*', (e) => e.dataset.startsWith('apache.')],
  ['level:failure', (e) => eventLevel(e) === 'failure'],
  ['level:error or level:unparsed', (e) => ['error', 'unparsed'].includes(eventLevel(e))],
  ['-level:info', (e) => eventLevel(e) !== 'info'],
  ['source:auth.log', (e) => e.sourceId === 1],
  ['source:/evidence/web/access.log.1', (e) => e.sourceId === 2],
  ['source:access.log.1', (e) => e.sourceId === 2],
  ['-source:*.log', (e) => e.sourceId !== 1],
  ['source:2', (e) => e.sourceId === 2],
  ['alert:1', (e) => [3, 5, 8].includes(e.id)],
  ['-alert:1 user:root', (e) => ![3, 5, 8].includes(e.id) && e.user === 'root'],
  ['(status>=500 or outcome:failure) -dataset:syslog', (e) => ((e.httpStatus ?? 0) >= 500 || e.outcome === 'failure') && e.dataset !== 'syslog'],
  ['not (user:root or user:admin) and ip:10.0.0.0/8', (e) => e.user !== 'root' && e.user !== 'admin' && (cidr('10.0.0.0/8')(e.srcIp) || cidr('10.0.0.0/8')(e.dstIp))],
  ['ip:203.0.113.7 status>=400', (e) => (e.srcIp === '203.0.113.7' || e.dstIp === '203.0.113.7') && (e.httpStatus ?? 0) >= 400],
  ['ip:203.0.113.7 or user:root', (e) => e.srcIp === '203.0.113.7' || e.dstIp === '203.0.113.7' || e.user === 'root'],
];

describe('filter queries against a real case', () => {
  it.each(CASES)('%s', (query, expected) => {
    const { c, all } = seeded();
    const want = all.filter(expected).map((e) => e.id);
    const got = queryEvents(c.db, { query }, { limit: 1000 }).map((e) => e.id);
    expect(got).toEqual(want);
    // Paged through in small pages, the same rows come back in the same order.
    const paged: number[] = [];
    for (let after: { ts: number | null; id: number } | undefined; ;) {
      const page = queryEvents(c.db, { query }, { limit: 7, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      paged.push(...page.map((e) => e.id));
      after = { ts: page.at(-1)!.ts, id: page.at(-1)!.id };
    }
    expect(paged).toEqual(want);
    c.close();
  });

  it('ANDs the query with the pivots, the time range and the words', () => {
    const { c, all } = seeded();
    const from = T0 + 100 * 60_000;
    const to = T0 + 400 * 60_000;
    const got = queryEvents(c.db, { query: 'status>=300', ip: '10.0.0.5', from, to, text: 'line' }, { limit: 1000 }).map((e) => e.id);
    expect(got).toEqual(all.filter((e) => (e.httpStatus ?? 0) >= 300 && (e.srcIp === '10.0.0.5' || e.dstIp === '10.0.0.5')
      && e.ts !== null && e.ts >= from && e.ts < to).map((e) => e.id));
    expect(got.length).toBeGreaterThan(0);
    const host = queryEvents(c.db, { host: 'web-01', user: 'root', sourceId: 1, dataset: 'sshd' }, { limit: 1000 }).map((e) => e.id);
    expect(host).toEqual(all.filter((e) => e.host === 'web-01' && e.user === 'root' && e.sourceId === 1 && e.dataset === 'sshd').map((e) => e.id));
    c.close();
  });

  it('passes every value as a parameter, never as SQL text', () => {
    const f = compileQuery(parseQuery(`user:"'; DROP TABLE events; --" url:*'-- ip:10.0.0.0/8 "x' OR 1=1"`)!);
    expect(f.sql).not.toMatch(/DROP|OR 1=1|'--/);
    expect(f.params).toContain("'; DROP TABLE events; --");
    expect(globOf('a*?[b]')).toBe('a*[?][[]b]');
    expect(likeContaining('50%_x*', true)).toBe('%50\\%\\_x%%');
  });
});

describe('query plans', () => {
  const plan = (c: CaseDb, sql: string, ...params: unknown[]): string =>
    (c.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

  it('walks the time index for the grid and the (ip, ts), (user, ts) and (host, ts) indexes for pivots', () => {
    const { c } = seeded();
    c.db.exec('ANALYZE');
    const captured: string[] = [];
    const prepare = c.db.prepare.bind(c.db);
    c.db.prepare = ((sql: string) => {
      captured.push(sql);
      return prepare(sql);
    }) as typeof c.db.prepare;
    const planOf = (filter: Parameters<typeof queryEvents>[1], after?: { ts: number; id: number }): string => {
      captured.length = 0;
      queryEvents(c.db, filter, { limit: 100, ...(after ? { after } : {}) });
      const sql = captured.at(-1)!;
      const params = [...sql.matchAll(/\?/g)].map(() => 1);
      return plan(c, sql, ...params);
    };
    expect(planOf({})).toMatch(/SCAN events USING INDEX events_ts/);
    expect(planOf({}, { ts: T0, id: 5 })).toMatch(/SEARCH events USING INDEX events_ts \(ts>\?\)/);
    expect(planOf({ from: T0, to: T0 + 1 })).toMatch(/SEARCH events USING INDEX events_ts \(ts>\? AND ts<\?\)/);
    // The IP pivot walks each combination of the address index in time order and merges the walks.
    const ip = planOf({ ip: '10.0.0.5' }, { ts: T0, id: 5 });
    const facets = 'source_id=\\? AND dataset=\\? AND http_status=\\? AND outcome=\\? AND action=\\?';
    expect(ip).toMatch(new RegExp(`SEARCH events USING INDEX events_src_ip \\(src_ip=\\? AND ${facets} AND ts>\\?\\)`));
    expect(ip).toMatch(new RegExp(`SEARCH events USING INDEX events_dst_ip \\(dst_ip=\\? AND ${facets} AND ts>\\?\\)`));
    expect(ip).not.toMatch(/SCAN events|events_ts/);
    expect(planOf({ query: 'ip:10.0.0.5 status>=400' })).toMatch(new RegExp(`USING INDEX events_src_ip \\(src_ip=\\? AND ${facets}\\)`));
    expect(planOf({ user: 'root' })).toMatch(/SEARCH events USING INDEX events_user \(user=\?\)/);
    expect(planOf({ query: 'user:root' })).toMatch(/SEARCH events USING INDEX events_user \(user=\?\)/);
    expect(planOf({ host: 'web-01' })).toMatch(/SEARCH events USING INDEX events_host \(host=\?\)/);
    // A network narrows the address index to its leading octets before the exact test.
    const net = compileQuery(parseQuery('src:10.0.0.0/8')!);
    expect(plan(c, `SELECT count(*) FROM events WHERE ${net.sql}`, ...net.params)).toMatch(/USING COVERING INDEX events_src_ip \(src_ip>\? AND src_ip<\?\)/);
    // Counting an address reads its index alone.
    expect(plan(c, 'SELECT count(*) FROM events WHERE src_ip = ?', 'x')).toMatch(/USING COVERING INDEX events_src_ip \(src_ip=\?\)/);
    c.close();
  });
});
