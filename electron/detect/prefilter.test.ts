/**
 * The SQL prefilter may keep too much, never too little: for rules using every modifier, the
 * events the JS matcher accepts are all among the rows the prefilter selects, and it does narrow
 * things down where SQL can say something.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { EventWriter } from '../engine/event-writer.ts';
import { insertSource } from '../engine/sources.ts';
import type { Line } from '../ingest/line-splitter.ts';
import type { ParsedEvent } from '../../shared/event.ts';
import { ruleSetFrom } from '../../shared/sigma/test-support.ts';
import { useTempDir } from '../test/temp.ts';
import { join as joinSql, ruleSql, scopeSql } from './prefilter.ts';

const tempDir = useTempDir();

const WEB: Partial<ParsedEvent>[] = [
  { srcIp: '10.1.2.3', httpMethod: 'GET', url: '/index.php?id=1%27%20OR%201=1', httpStatus: 200, userAgent: 'sqlmap/1.8', httpBytes: 10 },
  { srcIp: '172.20.0.1', httpMethod: 'POST', url: '/Login', httpStatus: 401, userAgent: 'Mozilla/5.0 (ÄÖÜ)', referrer: 'https://x/' },
  { srcIp: '2001:db8::1', httpMethod: 'GET', url: '/a_b%c/50%25', httpStatus: 404, userAgent: 'curl/8' },
  { srcIp: '192.0.2.7', httpMethod: 'HEAD', url: '/', httpStatus: 500, userAgent: 'KELVIN \u212A test' },
  { srcIp: '192.0.2.8', httpMethod: 'GET', url: '/run?cmd=/bin/bash%20-i', httpStatus: 200, userAgent: 'x', user: 'Bob' },
];
const ZEEK: Record<string, unknown>[] = [
  { uid: 'C1', answers: ['198.51.100.66', '10.0.0.1'], rejected: false, ttl: 60, query: 'evil.example' },
  { uid: 'C2', answers: ['a"b\\c'], rejected: true, ttl: 3600.5, query: 'Good.Example', qtype: '1' },
  { uid: 'C3', ttl: '120', query: 'x' },
];

const RULES: [string, string][] = [
  ['category: webserver', "cs-uri|contains: ' or '"],
  ['category: webserver', "cs-uri-query|contains: '%27'"],
  ['category: webserver', "cs-uri-stem: '/login'"],
  ['category: webserver', "cs-uri-stem|endswith: '.php'"],
  ['category: webserver', "cs-uri|contains: '50%'"],
  ['category: webserver', "cs-uri|contains: 'a_b'"],
  ['category: webserver', "cs-uri|contains|cased: 'Login'"],
  ['category: webserver', "cs-user-agent|contains: 'äöü'"],
  ['category: webserver', "cs-user-agent|contains: 'kelvin k'"],
  ['category: webserver', "cs-user-agent|startswith: ['sqlmap', 'curl']"],
  ['category: webserver', "cs-user-agent|re: '^[a-z]+/\\d'"],
  ['category: webserver', 'sc-status|gte: 400'],
  ['category: webserver', 'sc-status: 40?'],
  ['category: webserver', 'sc-status|neq: 200'],
  ['category: webserver', 'c-ip|cidr: 10.0.0.0/8'],
  ['category: webserver', 'c-ip|cidr: 172.16.0.0/12'],
  ['category: webserver', 'c-ip|cidr: 2001:db8::/32'],
  ['category: webserver', 'cs-referer: null'],
  ['category: webserver', 'cs-referer|exists: true'],
  ['category: webserver', 'cs-uri-query: null'],
  ['category: webserver', 'cs-username|fieldref: cs-username'],
  ['category: webserver', "cs-uri|windash|contains: ' -i'"],
  ['category: webserver', "cs-uri|base64offset|contains: 'bash'"],
  ['category: webserver', "cs-method|all: ['GET', 'GET']"],
  ['product: zeek, service: dns', 'answers: 198.51.100.66'],
  ['product: zeek, service: dns', "answers|contains: 'a\"b'"],
  ['product: zeek, service: dns', 'rejected: true'],
  ['product: zeek, service: dns', 'ttl|gt: 100'],
  ['product: zeek, service: dns', 'ttl: 60'],
  ['product: zeek, service: dns', "query|endswith: '.example'"],
  ['product: zeek, service: dns', 'qtype: null'],
  ['product: zeek, service: dns', 'qtype|exists: true'],
];

describe('SQL prefilters', () => {
  it('select every event the matcher accepts, for every kind of test', () => {
    const c = openCase(join(tempDir(), 'p.loupe'), { create: true });
    const sourceId = insertSource(c.db, {
      path: '/x', name: 'x', size: 0, mtime: 0, compression: null, format: 'json', formatConfidence: 1, formatForced: true, timezone: 'UTC', loupeVersion: 't',
    });
    const writer = new EventWriter(c.db, sourceId);
    let line = 0;
    const raw = (v: unknown): Line => {
      const text = JSON.stringify(v);
      return { lineNo: ++line, offset: 0, text, byteLength: text.length, truncated: false, invalidBytes: null };
    };
    for (const e of WEB) writer.write(raw(e), { ts: 1000, dataset: 'apache.access', ...e });
    for (const extra of ZEEK) writer.write(raw(extra), { ts: 1000, dataset: 'zeek.dns', extra });
    writer.commit();
    const events = (c.db.prepare('SELECT * FROM events ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
      id: r['id'] as number, ts: r['ts'] as number, dataset: r['dataset'] as string, raw: r['raw'] as string,
      ...Object.fromEntries(Object.entries({
        srcIp: r['src_ip'], httpMethod: r['http_method'], url: r['url'], httpStatus: r['http_status'], userAgent: r['user_agent'],
        referrer: r['referrer'], user: r['user'], httpBytes: r['http_bytes'],
      }).filter(([, v]) => v !== null)),
      ...(r['extra'] === null ? {} : { extra: JSON.parse(r['extra'] as string) as Record<string, unknown> }),
    }));
    let narrowed = 0;
    for (const [logsource, selection] of RULES) {
      const set = ruleSetFrom(`title: t\nid: t\nlogsource: { ${logsource} }\ndetection:\n  sel:\n    ${selection}\n  condition: sel\n`);
      const d = set.detections[0];
      expect(d, `${selection}: ${set.report[0]?.reason}`).toBeDefined();
      const matched = events.filter((e) => d!.match(e) !== null).map((e) => e.id);
      const filter = ruleSql(d!);
      const where = filter === null ? scopeSql(d!.scope) : joinSql([scopeSql(d!.scope), filter], 'AND');
      const selected = c.db.prepare(`SELECT id FROM events WHERE ${where.sql} ORDER BY id`).pluck().all(...where.params) as number[];
      expect(selected, `${selection} (${where.sql})`).toEqual(expect.arrayContaining(matched));
      if (filter !== null && selected.length < events.filter((e) => e.dataset === d!.scope.datasets[0]).length) narrowed++;
    }
    expect(narrowed).toBeGreaterThan(15);
    c.close();
  });
});
