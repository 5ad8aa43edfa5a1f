import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipIntelSchema } from '../../shared/intel/model.ts';
import { access, intelCase } from '../test/intel-case.ts';
import { asnRecord, writeMmdb } from '../test/mmdb-writer.ts';
import { useTempDir } from '../test/temp.ts';
import { refreshCaseIps } from './case-ips.ts';
import { openGeoDbs } from './geo.ts';
import { ipIntel, NotAnAddressError } from './ip-intel.ts';
import { importList } from './lists.ts';
import { storeReputation } from './reputation.ts';

const tempDir = useTempDir();

describe('ipIntel', () => {
  it('gathers classification, list hits "as known at" each list\'s date, geo and cached reputation', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access('::ffff:45.83.64.17'), access('10.1.1.1')] });
    writeFileSync(join(dir, 'firehol.netset'), '# This File Date  : Sun Nov 22 21:49:03 UTC 2026\n45.83.64.0/22 ; hostile hoster\n');
    importList(c, join(dir, 'firehol.netset'));
    const asnDb = join(dir, 'asn.mmdb');
    writeMmdb(asnDb, { databaseType: 'GeoLite2-ASN', buildEpoch: 1_795_000_000, records: [{ network: '45.83.64.0/22', data: asnRecord(206728, 'Example Hosting') }] });
    refreshCaseIps(c, { geo: await openGeoDbs([asnDb]) });
    storeReputation(c.db, {
      provider: 'abuseipdb', ip: '45.83.64.17', fetchedAt: Date.UTC(2026, 10, 23), found: true, verdict: 'malicious',
      summary: 'abuse confidence 100%', detail: { abuseConfidenceScore: 100 },
    }, '{}');

    const intel = ipIntel(c.db, '45.83.64.17');
    expect(ipIntelSchema.parse(intel)).toEqual(intel);
    expect(intel).toEqual({
      ip: '45.83.64.17',
      classification: expect.objectContaining({ category: 'public' }),
      lists: [{
        list: 'firehol', listId: 1, entry: '45.83.64.0/22', note: 'hostile hoster', describedAt: Date.UTC(2026, 10, 22, 21, 49, 3),
        describedAtFrom: 'header', sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }],
      geo: { country: null, countryName: null, city: null, asn: 206728, asOrg: 'Example Hosting', source: 'GeoLite2-ASN 2026-11-18' },
      reputation: [expect.objectContaining({ provider: 'abuseipdb', verdict: 'malicious', fetchedAt: Date.UTC(2026, 10, 23) })],
    });
    // The spelling in the events finds the same.
    expect(ipIntel(c.db, '::ffff:45.83.64.17').lists).toHaveLength(1);
    expect(ipIntel(c.db, '10.1.1.1')).toMatchObject({ classification: { category: 'private', name: 'Private-Use' }, lists: [], geo: null, reputation: [] });
    c.close();
  });

  it('matches an address the case does not hold against the lists on the spot', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access('10.1.1.1')] });
    writeFileSync(join(dir, 'c2.txt'), '198.51.100.0/24\n');
    importList(c, join(dir, 'c2.txt'), { date: Date.UTC(2026, 10, 1) });
    refreshCaseIps(c);
    expect(ipIntel(c.db, '198.51.100.9').lists).toEqual([expect.objectContaining({ list: 'c2', entry: '198.51.100.0/24', describedAtFrom: 'analyst' })]);
    expect(() => ipIntel(c.db, 'evil.example')).toThrow(NotAnAddressError);
    c.close();
  });
});
