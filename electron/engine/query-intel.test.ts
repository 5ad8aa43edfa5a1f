import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyIp } from '../../shared/intel/classify.ts';
import type { QueryNode } from '../../shared/query/ast.ts';
import { parseQuery, QueryError } from '../../shared/query/parse.ts';
import { refreshCaseIps } from '../intel/case-ips.ts';
import { importList } from '../intel/lists.ts';
import { access, intelCase, sshFail } from '../test/intel-case.ts';
import { useTempDir } from '../test/temp.ts';
import { queryEvents } from './events-query.ts';
import { compileQuery, prepareFilter, usesIntel } from './query-sql.ts';

const tempDir = useTempDir();
const IPS = ['45.83.64.17', '45.83.64.200', '10.0.0.5', '100.64.1.1', '127.0.0.1', '203.0.113.9', '::ffff:45.83.64.17', '198.51.100.4'];

async function seeded() {
  const dir = tempDir();
  const c = await intelCase(dir, {
    'access.log': IPS.map((ip, i) => access(ip, i)),
    'auth.log': IPS.map((ip, i) => sshFail(ip, i)),
  });
  const list = join(dir, 'bad.netset');
  writeFileSync(list, '# test list\n45.83.64.0/24 ; scanners\n198.51.100.4\n');
  importList(c, list, { name: 'bad_hosts' });
  const other = join(dir, 'feodo.txt');
  writeFileSync(other, '203.0.113.9\n');
  importList(c, other, { name: 'feodo-c2' });
  refreshCaseIps(c);
  return c;
}

function parsed(query: string): QueryNode {
  const node = parseQuery(query);
  if (!node) throw new Error('empty query');
  return node;
}

const srcOf = (c: Awaited<ReturnType<typeof seeded>>, query: string): string[] =>
  queryEvents(c.db, prepareFilter({ query }), { limit: 1000 }).map((e) => e.srcIp ?? '-');

describe('filter fields on IP intelligence', () => {
  it('selects events by the class of their address, computed for every address of the case', async () => {
    const c = await seeded();
    const expected = (cat: string) => IPS.filter((ip) => classifyIp(ip)?.category === cat).flatMap((ip) => [ip, ip]).sort();
    expect(srcOf(c, 'src_class:private').sort()).toEqual(expected('private'));
    expect(srcOf(c, 'class:cgnat').sort()).toEqual(expected('cgnat'));
    expect(srcOf(c, 'src_class:public').sort()).toEqual(expected('public'));
    // Negation keeps events without an address (none here) and drops the class.
    expect(srcOf(c, '-src_class:public').sort()).toEqual(IPS.filter((ip) => classifyIp(ip)?.category !== 'public').flatMap((ip) => [ip, ip]).sort());
    expect(srcOf(c, 'src_class:p*').length).toBe(expected('public').length + expected('private').length);
    c.close();
  });

  it('selects events by the lists their address is on, by name (any case), pattern or any list', async () => {
    const c = await seeded();
    expect(new Set(srcOf(c, 'src_list:bad_hosts'))).toEqual(new Set(['45.83.64.17', '45.83.64.200', '::ffff:45.83.64.17', '198.51.100.4']));
    expect(new Set(srcOf(c, 'list:BAD_HOSTS'))).toEqual(new Set(srcOf(c, 'src_list:bad_hosts')));
    expect(new Set(srcOf(c, 'list:feodo*'))).toEqual(new Set(['203.0.113.9']));
    expect(srcOf(c, 'list:*')).toHaveLength(10);
    expect(srcOf(c, 'list:* -list:bad_hosts')).toEqual(['203.0.113.9', '203.0.113.9']);
    expect(srcOf(c, 'dst_list:*')).toEqual([]);
    expect(srcOf(c, 'list:nonexistent')).toEqual([]);
    c.close();
  });

  it('selects events by country and network from the intel table', async () => {
    const c = await seeded();
    c.db.prepare("UPDATE intel_ips SET country = 'NL', asn = 49870, geo_source = 'test' WHERE canonical = '45.83.64.17'").run();
    expect(new Set(srcOf(c, 'src_country:nl'))).toEqual(new Set(['45.83.64.17', '::ffff:45.83.64.17']));
    expect(new Set(srcOf(c, 'asn:49870'))).toEqual(new Set(['45.83.64.17', '::ffff:45.83.64.17']));
    expect(srcOf(c, 'src_asn>50000')).toEqual([]);
    expect(srcOf(c, '-country:NL')).toHaveLength(IPS.length * 2 - 4);
    c.close();
  });

  it('says what is wrong with a class that does not exist', () => {
    expect(() => parseQuery('src_class:secret')).toThrow(QueryError);
    expect(() => parseQuery('src_class:secret')).toThrow(/not an address class; classes: public, private/);
    expect(() => parseQuery('asn:AS123')).toThrow(/number/);
  });

  it('marks the queries that need the intel tables current', () => {
    expect(usesIntel(parseQuery('user:root or not list:x'))).toBe(true);
    expect(usesIntel(parseQuery('user:root status>=400'))).toBe(false);
    expect(compileQuery(parsed('-src_list:x')).sql).toBe('(src_ip IS NULL OR src_ip NOT IN (SELECT h.ip FROM intel_list_hits h JOIN intel_lists l ON l.id = h.list_id WHERE l.name = ?))');
  });

  it('answers from the intel indexes, and leaves the unfiltered page as it was (EXPLAIN QUERY PLAN)', async () => {
    const c = await seeded();
    const plan = (query: string): string => {
      const { sql, params } = compileQuery(parsed(query));
      return (c.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM events WHERE ${sql} ORDER BY ts, id LIMIT 100`).all(...params) as { detail: string }[])
        .map((r) => r.detail).join(' | ');
    };
    expect(plan('src_class:private')).toMatch(/intel_ips USING (COVERING )?INDEX intel_ips_by_category/);
    expect(plan('src_country:NL')).toMatch(/intel_ips USING (COVERING )?INDEX intel_ips_by_country/);
    expect(plan('src_list:bad_hosts')).toMatch(/SEARCH l USING (COVERING )?INDEX sqlite_autoindex_intel_lists/);
    expect(plan('src_list:bad_hosts')).toMatch(/SEARCH h USING PRIMARY KEY \(list_id=\?\)/);
    const unfiltered = (c.db.prepare('EXPLAIN QUERY PLAN SELECT * FROM events ORDER BY ts, id LIMIT 100').all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(unfiltered).toMatch(/SCAN events USING INDEX events_ts/);
    expect(unfiltered).not.toMatch(/intel/);
    c.close();
  });
});
