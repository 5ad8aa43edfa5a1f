import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import { deleteSource } from '../engine/sources.ts';
import { access, importMore, intelCase, sshFail } from '../test/intel-case.ts';
import { asnRecord, cityRecord, writeMmdb } from '../test/mmdb-writer.ts';
import { useTempDir } from '../test/temp.ts';
import { refreshCaseIps } from './case-ips.ts';
import { openGeoDbs } from './geo.ts';
import { importList, removeList } from './lists.ts';

const tempDir = useTempDir();

const rows = (c: CaseDb) => c.db.prepare('SELECT ip, canonical, category, country, asn FROM intel_ips ORDER BY ip').all();
const hits = (c: CaseDb) => c.db.prepare('SELECT l.name AS list, h.ip, h.network FROM intel_list_hits h JOIN intel_lists l ON l.id = h.list_id ORDER BY l.name, h.ip').all();

function list(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('migration 0005: intel tables', () => {
  it('creates STRICT tables, and replacing a source makes the next refresh gather the addresses afresh', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access('45.83.64.17')] });
    for (const t of ['intel_lists', 'intel_list_entries', 'intel_ips', 'intel_list_hits', 'intel_reputation', 'intel_state']) {
      expect(c.db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(t), t).toMatch(/STRICT/);
    }
    refreshCaseIps(c);
    expect(c.db.prepare('SELECT through_id FROM intel_state').pluck().get()).toBeGreaterThan(0);
    await importMore(c, dir, { 'second.log': [access('203.0.113.77'), access('203.0.113.78')] });
    // What importing an interrupted file again does: its source and events go, then it is read anew.
    c.db.transaction(() => deleteSource(c.db, 1))();
    const r = refreshCaseIps(c);
    expect(r.rebuilt).toBe(true);
    expect(rows(c).map((x) => (x as { ip: string }).ip)).toEqual(['203.0.113.77', '203.0.113.78']);
    c.close();
  });
});

describe('refreshCaseIps', () => {
  it('classifies every distinct source and destination address of the case, as written', async () => {
    const c = await intelCase(tempDir(), {
      'access.log': [access('45.83.64.17'), access('45.83.64.17', 1), access('10.0.0.8'), access('::ffff:198.51.100.4'), access('2001:db8::7')],
      'auth.log': [sshFail('100.64.3.2'), sshFail('45.83.64.17', 2)],
    });
    const r = refreshCaseIps(c);
    expect(r).toMatchObject({ added: 5, total: 5, rebuilt: false });
    expect(rows(c)).toEqual([
      { ip: '10.0.0.8', canonical: '10.0.0.8', category: 'private', country: null, asn: null },
      { ip: '100.64.3.2', canonical: '100.64.3.2', category: 'cgnat', country: null, asn: null },
      { ip: '2001:db8::7', canonical: '2001:db8::7', category: 'documentation', country: null, asn: null },
      { ip: '45.83.64.17', canonical: '45.83.64.17', category: 'public', country: null, asn: null },
      { ip: '::ffff:198.51.100.4', canonical: '198.51.100.4', category: 'documentation', country: null, asn: null },
    ]);
    expect(refreshCaseIps(c)).toMatchObject({ added: 0, total: 5, matched: 0 });
    c.close();
  });

  it('matches addresses against every list, keeping the most specific entry; new events and changed lists are matched again', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access('45.83.64.17'), access('45.83.70.1'), access('::ffff:198.51.100.4')] });
    importList(c, list(dir, 'firehol.netset', '45.83.64.0/22\n45.83.64.0/24\n198.51.100.0/24\n'));
    importList(c, list(dir, 'feodo.txt', '45.83.64.17\n'));
    refreshCaseIps(c);
    expect(hits(c)).toEqual([
      { list: 'feodo', ip: '45.83.64.17', network: '45.83.64.17/32' },
      { list: 'firehol', ip: '45.83.64.17', network: '45.83.64.0/24' },
      { list: 'firehol', ip: '::ffff:198.51.100.4', network: '198.51.100.0/24' },
    ]);
    await importMore(c, dir, { 'more.log': [access('45.83.66.66')] });
    expect(refreshCaseIps(c)).toMatchObject({ added: 1, matched: 1 });
    expect(hits(c)).toContainEqual({ list: 'firehol', ip: '45.83.66.66', network: '45.83.64.0/22' });
    removeList(c, 'firehol');
    expect(refreshCaseIps(c)).toMatchObject({ added: 0, matched: 4 });
    expect(hits(c)).toEqual([{ list: 'feodo', ip: '45.83.64.17', network: '45.83.64.17/32' }]);
    c.close();
  });

  it('locates addresses with the analyst\'s .mmdb files once per set of databases, and keeps the answer without them', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access('45.83.64.17'), access('8.8.8.8'), access('10.0.0.1')] });
    const city = join(dir, 'GeoLite2-City.mmdb');
    const asn = join(dir, 'GeoLite2-ASN.mmdb');
    writeMmdb(city, { databaseType: 'GeoLite2-City', buildEpoch: Date.UTC(2026, 10, 20) / 1000, records: [{ network: '45.83.64.0/22', data: cityRecord('NL', 'Netherlands', 'Amsterdam') }] });
    writeMmdb(asn, { databaseType: 'GeoLite2-ASN', buildEpoch: Date.UTC(2026, 10, 20) / 1000, records: [{ network: '45.83.64.0/22', data: asnRecord(206728, 'Example Hosting') }] });
    const geo = await openGeoDbs([city, asn]);
    expect(refreshCaseIps(c, { geo })).toMatchObject({ located: 3 });
    expect(rows(c)).toContainEqual({ ip: '45.83.64.17', canonical: '45.83.64.17', category: 'public', country: 'NL', asn: 206728 });
    expect(refreshCaseIps(c, { geo })).toMatchObject({ located: 0 });
    refreshCaseIps(c);
    c.close();
    const reopened = openCase(join(dir, 'case.loupe'));
    expect(reopened.db.prepare('SELECT country, as_org, geo_source FROM intel_ips WHERE ip = ?').get('45.83.64.17'))
      .toEqual({ country: 'NL', as_org: 'Example Hosting', geo_source: 'GeoLite2-City 2026-11-20; GeoLite2-ASN 2026-11-20' });
    reopened.close();
  });
});
