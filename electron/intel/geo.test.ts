import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asnRecord, cityRecord, writeMmdb } from '../test/mmdb-writer.ts';
import { useTempDir } from '../test/temp.ts';
import { GeoDbError, openGeoDbs } from './geo.ts';

const tempDir = useTempDir();
const BUILT = Date.UTC(2026, 10, 20) / 1000;

function databases(dir: string): { city: string; asn: string } {
  const city = join(dir, 'GeoLite2-City.mmdb');
  writeMmdb(city, {
    databaseType: 'GeoLite2-City', buildEpoch: BUILT, records: [
      { network: '45.83.64.0/22', data: cityRecord('NL', 'Netherlands', 'Amsterdam') },
      { network: '45.83.64.0/24', data: cityRecord('DE', 'Germany', 'Frankfurt am Main') },
      { network: '2a06:e480::/29', data: cityRecord('FR', 'France', 'Paris') },
    ],
  });
  const asn = join(dir, 'dbip-asn-lite.mmdb');
  writeMmdb(asn, {
    databaseType: 'DBIP-ASN-Lite (compat=GeoLite2-ASN)', buildEpoch: BUILT, records: [
      { network: '45.83.64.0/22', data: asnRecord(206728, 'Example Hosting B.V.') },
      { network: '2a06:e480::/29', data: asnRecord(64500, 'Example IPv6 Net') },
    ],
  });
  return { city, asn };
}

describe('openGeoDbs', () => {
  it('gives country, city and ASN from City and ASN databases, the most specific network first', async () => {
    const { city, asn } = databases(tempDir());
    const geo = await openGeoDbs([city, asn]);
    expect(geo.source).toBe('GeoLite2-City 2026-11-20; DBIP-ASN-Lite (compat=GeoLite2-ASN) 2026-11-20');
    expect(geo.lookup('45.83.64.17')).toEqual({
      country: 'DE', countryName: 'Germany', city: 'Frankfurt am Main', asn: 206728, asOrg: 'Example Hosting B.V.', source: geo.source,
    });
    expect(geo.lookup('45.83.66.1')).toMatchObject({ country: 'NL', city: 'Amsterdam', asn: 206728 });
    expect(geo.lookup('::ffff:45.83.66.1')).toMatchObject({ country: 'NL' });
    expect(geo.lookup('2a06:e481::5')).toMatchObject({ country: 'FR', asn: 64500, asOrg: 'Example IPv6 Net' });
  });

  it('knows nothing of an address outside the databases, or of text that is not one', async () => {
    const { city, asn } = databases(tempDir());
    const geo = await openGeoDbs([city, asn]);
    expect(geo.lookup('8.8.8.8')).toBeNull();
    expect(geo.lookup('nope')).toBeNull();
  });

  it('with only an ASN database, gives the ASN and no country', async () => {
    const { asn } = databases(tempDir());
    expect((await openGeoDbs([asn])).lookup('45.83.64.1')).toMatchObject({ country: null, city: null, asn: 206728 });
  });

  it('refuses a file that is not a MaxMind DB, or is missing, naming it', async () => {
    const dir = tempDir();
    const bogus = join(dir, 'GeoLite2-City.mmdb.gz');
    writeFileSync(bogus, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
    await expect(openGeoDbs([bogus])).rejects.toThrow(GeoDbError);
    await expect(openGeoDbs([bogus])).rejects.toThrow(/GeoLite2-City\.mmdb\.gz: not a MaxMind DB/);
    const text = join(dir, 'notes.mmdb');
    writeFileSync(text, 'hello');
    await expect(openGeoDbs([text])).rejects.toThrow(/notes\.mmdb: not a MaxMind DB/);
    await expect(openGeoDbs([join(dir, 'missing.mmdb')])).rejects.toThrow(/missing\.mmdb: cannot read the GeoIP database \(ENOENT\)/);
  });

  it('ignores a record that does not have the shape Loupe reads', async () => {
    const path = join(tempDir(), 'odd.mmdb');
    writeMmdb(path, { databaseType: 'Odd', buildEpoch: BUILT, records: [{ network: '45.83.64.0/22', data: { country: 'not a map', autonomous_system_number: 'x' } }] });
    expect((await openGeoDbs([path])).lookup('45.83.64.1')).toBeNull();
  });
});
