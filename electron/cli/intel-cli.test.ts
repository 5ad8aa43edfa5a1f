import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeProvider, type FakeProvider } from '../test/provider-server.ts';
import { access, sshFail } from '../test/intel-case.ts';
import { asnRecord, cityRecord, writeMmdb } from '../test/mmdb-writer.ts';
import { runCli as run } from '../test/cli.ts';
import { useTempDir } from '../test/temp.ts';

const tempDir = useTempDir();
const KEY = 'cli-KEY-5d2f8e9a71';
const BAD = '45.83.64.17';

const FIREHOL = `# firehol_level1
# This File Date  : Sun Nov 22 21:49:03 UTC 2026
45.83.64.0/22 ; hostile hoster
`;

const ENV = ['LOUPE_CONFIG_DIR', 'LOUPE_ABUSEIPDB_KEY', 'LOUPE_ABUSEIPDB_URL', 'LOUPE_SHODAN_INTERNETDB_URL'];
let saved: Record<string, string | undefined> = {};
let servers: FakeProvider[] = [];
beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  for (const k of ENV) delete process.env[k];
});
afterEach(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  for (const s of servers) await s.close();
  servers = [];
});

async function caseWithList(): Promise<{ dir: string; casePath: string }> {
  const dir = tempDir();
  process.env['LOUPE_CONFIG_DIR'] = join(dir, 'config');
  writeFileSync(join(dir, 'access.log'), `${[access(BAD), access(BAD, 5, '/wp-login.php'), access('10.0.0.5', 7)].join('\n')}\n`);
  writeFileSync(join(dir, 'auth.log'), `${sshFail(BAD, 9)}\n`);
  writeFileSync(join(dir, 'firehol_level1.netset'), FIREHOL);
  const casePath = join(dir, 'case.loupe');
  expect((await run('import', casePath, join(dir, 'access.log'), join(dir, 'auth.log'), '--no-detect')).code).toBe(0);
  const added = await run('lists', casePath, '--add', join(dir, 'firehol_level1.netset'));
  expect(added.code).toBe(0);
  return { dir, casePath };
}

describe('loupe lists', () => {
  it('imports a list, shows it with its date, hash and the case addresses on it, and removes it', async () => {
    const { casePath } = await caseWithList();
    const shown = await run('lists', casePath);
    expect(shown.out).toMatch(/^firehol_level1 {2}1 entry, 1 address\(es\) of the case on it, as known at 2026-11-22T21:49:03\.000Z \(date from header\)$/m);
    expect(shown.out).toMatch(/sha256 [0-9a-f]{64}/);
    const json = JSON.parse((await run('lists', casePath, '--json')).out) as { name: string; describedAtFrom: string }[];
    expect(json).toEqual([expect.objectContaining({ name: 'firehol_level1', describedAtFrom: 'header' })]);
    expect((await run('lists', casePath, '--remove', 'nope')).code).toBe(1);
    expect((await run('lists', casePath, '--remove', 'firehol_level1')).out).toBe('removed firehol_level1\n');
    expect((await run('lists', casePath)).out).toMatch(/no lists imported/);
  });

  it('warns when the list does not date itself, and refuses what is not a list', async () => {
    const { dir, casePath } = await caseWithList();
    writeFileSync(join(dir, 'mine.txt'), '198.51.100.9\nnot-an-ip\n');
    const r = await run('lists', casePath, '--add', join(dir, 'mine.txt'), '--date', '2026-11-01');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/imported mine {2}1 entry, 0 address\(es\) .* as known at 2026-11-01T00:00:00\.000Z \(date from analyst\)/);
    expect(r.err).toMatch(/mine: 1 line\(s\) are not an address or network and were left out\n {2}line 2: not-an-ip/);
    writeFileSync(join(dir, 'empty.txt'), '# nothing\n');
    const bad = await run('lists', casePath, '--add', join(dir, 'empty.txt'));
    expect(bad).toMatchObject({ code: 1, err: expect.stringMatching(/empty\.txt: no address or network found/) });
    expect((await run('lists', casePath, '--name', 'x')).code).toBe(2);
  });
});

describe('loupe ip', () => {
  it('prints classification, the lists with their dates, geo from .mmdb files, and the events', async () => {
    const { dir, casePath } = await caseWithList();
    const city = join(dir, 'GeoLite2-City.mmdb');
    writeMmdb(city, { databaseType: 'GeoLite2-City', buildEpoch: Date.UTC(2026, 10, 20) / 1000, records: [{ network: '45.83.64.0/22', data: cityRecord('NL', 'Netherlands', 'Amsterdam') }] });
    const asn = join(dir, 'GeoLite2-ASN.mmdb');
    writeMmdb(asn, { databaseType: 'GeoLite2-ASN', buildEpoch: Date.UTC(2026, 10, 20) / 1000, records: [{ network: '45.83.64.0/22', data: asnRecord(206728, 'Example Hosting') }] });
    const r = await run('ip', casePath, BAD, '10.0.0.5', '--mmdb', city, '--mmdb', asn);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`45.83.64.17 — public (Global unicast)
  lists      on firehol_level1 as known at 2026-11-22T21:49:03.000Z (date from the list's header): entry 45.83.64.0/22 — hostile hoster
  geo        NL Netherlands, Amsterdam; AS206728 Example Hosting (GeoLite2-City 2026-11-20; GeoLite2-ASN 2026-11-20)
  events     3 (2026-11-21T10:00:00.000Z → 2026-11-21T10:01:09.000Z) in access.log 2, auth.log 1
  datasets   apache.access 2, sshd 1
  users      root 1
  urls       / 1, /wp-login.php 1

10.0.0.5 — private (Private-Use, 10.0.0.0/8, RFC 1918)
  lists      on no imported list
  events     1 (2026-11-21T10:00:07.000Z → 2026-11-21T10:00:07.000Z) in access.log 1
  datasets   apache.access 1
  urls       / 1
`);
    // Geo is kept in the case: without the files it is still known.
    const json = JSON.parse((await run('ip', casePath, BAD, '--json')).out) as { ips: unknown[]; lookup: null };
    expect(json.lookup).toBeNull();
    expect(json.ips[0]).toMatchObject({
      ip: BAD, geo: { country: 'NL', asn: 206728 }, lists: [expect.objectContaining({ list: 'firehol_level1' })],
      dossiers: [expect.objectContaining({ value: BAD, total: 3, firstSeen: Date.UTC(2026, 10, 21, 10, 0, 0) })],
    });
  });

  it('--lookup asks the named provider with the key from the environment, keeps the answer, and never prints or stores the key', async () => {
    const { dir, casePath } = await caseWithList();
    const abuse = await fakeProvider('abuseipdb', { [BAD]: { abuseConfidenceScore: 100, totalReports: 1234, numDistinctUsers: 321, isp: `Hostile\u001b[31m ${KEY}` } }, KEY);
    servers.push(abuse);
    process.env['LOUPE_ABUSEIPDB_URL'] = abuse.url;
    process.env['LOUPE_ABUSEIPDB_KEY'] = KEY;
    const r = await run('ip', casePath, BAD, '10.0.0.5', '--lookup', 'abuseipdb');
    expect(r.code).toBe(0);
    expect(abuse.requests).toHaveLength(1);
    expect(abuse.requests[0]?.headers['key']).toBe(KEY);
    expect(r.out).toMatch(/^ {2}abuseipdb {2}malicious — abuse confidence 100%; 1234 report\(s\) from 321 user\(s\) in 90 days; Hostile \[31m \[API key\] \(fetched 20\d\d-/m);
    // Provider text reaches the terminal without control characters.
    expect(r.out).not.toMatch(/\x1b/);
    expect(r.err).toMatch(/abuseipdb 10\.0\.0\.5: 10\.0\.0\.5 is Private-Use \(RFC 1918\): Loupe sends only public addresses to providers/);
    expect(`${r.out}${r.err}`).not.toContain(KEY);
    // Reopened without --lookup: the answer is still there, and nothing is sent.
    const again = await run('ip', casePath, BAD);
    expect(again.out).toMatch(/abuseipdb {2}malicious/);
    expect(abuse.requests).toHaveLength(1);
    for (const f of readdirSync(dir).filter((n) => n.startsWith('case.loupe'))) {
      expect(readFileSync(join(dir, f)).includes(Buffer.from(KEY)), f).toBe(false);
    }
  });

  it('says which variable holds the missing key, and sends nothing', async () => {
    const { casePath } = await caseWithList();
    const abuse = await fakeProvider('abuseipdb', {}, KEY);
    servers.push(abuse);
    process.env['LOUPE_ABUSEIPDB_URL'] = abuse.url;
    const r = await run('ip', casePath, BAD, '--lookup', 'abuseipdb');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/AbuseIPDB needs an API key \(LOUPE_ABUSEIPDB_KEY/);
    expect(abuse.requests).toHaveLength(0);
  });

  it('refuses a wrong command line or an address that is not one, before sending anything', async () => {
    const { casePath } = await caseWithList();
    const shodan = await fakeProvider('shodan-internetdb');
    servers.push(shodan);
    process.env['LOUPE_SHODAN_INTERNETDB_URL'] = shodan.url;
    expect(await run('ip', casePath, BAD, 'evil.example', '--lookup', 'shodan-internetdb')).toMatchObject({ code: 1, err: 'loupe: "evil.example" is not an IP address\n' });
    expect((await run('ip', casePath, BAD, '--lookup', 'virustotal')).code).toBe(2);
    expect((await run('ip', casePath)).code).toBe(2);
    expect(shodan.requests).toHaveLength(0);
  });
});
