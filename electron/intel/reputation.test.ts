import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAudit } from '../engine/audit.ts';
import { openCase } from '../engine/case-db.ts';
import { access, intelCase } from '../test/intel-case.ts';
import { fakeProvider, type FakeProvider } from '../test/provider-server.ts';
import { useTempDir } from '../test/temp.ts';
import { ReputationClient } from './reputation-client.ts';
import { cachedRaw, cachedReputation, lookupReputation, type BulkProgress } from './reputation.ts';

const tempDir = useTempDir();
const KEY = 'abuse-KEY-0b7e41c2d9';
const BAD = '45.83.64.17';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup) await f();
  cleanup = [];
});

async function providers(): Promise<{ abuse: FakeProvider; shodan: FakeProvider; client: ReputationClient }> {
  const abuse = await fakeProvider('abuseipdb', { [BAD]: { abuseConfidenceScore: 100, totalReports: 50, numDistinctUsers: 20, isp: `ISP ${KEY}` } }, KEY);
  const shodan = await fakeProvider('shodan-internetdb', { [BAD]: { ports: [22], tags: ['scanner'] } });
  const client = new ReputationClient({
    enabled: ['abuseipdb', 'shodan-internetdb'], keys: () => KEY, backoffMs: 5,
    baseUrls: { 'abuseipdb': abuse.url, 'shodan-internetdb': shodan.url }, minIntervalMs: { 'abuseipdb': 0, 'shodan-internetdb': 0 },
  });
  cleanup.push(() => client.close(), () => abuse.close(), () => shodan.close());
  return { abuse, shodan, client };
}

describe('lookupReputation', () => {
  it('asks each provider about each public address, keeps the answers, and a reopened case shows them with their time', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access(BAD), access('8.8.8.8'), access('10.0.0.2')] });
    const { abuse, shodan, client } = await providers();
    const progress: BulkProgress[] = [];
    const r = await lookupReputation(c, client, [BAD, '8.8.8.8', '10.0.0.2'], ['abuseipdb', 'shodan-internetdb'], { onProgress: (p) => progress.push(p) });
    expect(r.sent).toBe(4);
    expect(r.cancelled).toBe(false);
    expect(r.results).toHaveLength(4);
    expect(r.errors).toEqual([
      expect.objectContaining({ provider: 'abuseipdb', ip: '10.0.0.2', error: 'not-public' }),
      expect.objectContaining({ provider: 'shodan-internetdb', ip: '10.0.0.2', error: 'not-public' }),
    ]);
    expect(abuse.requests).toHaveLength(2);
    expect(shodan.requests).toHaveLength(2);
    expect(progress.at(-1)).toEqual({ done: 6, total: 6, sent: 4 });
    const done = progress.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    c.close();

    const reopened = openCase(join(dir, 'case.loupe'));
    const known = cachedReputation(reopened.db, BAD);
    expect(known.map((k) => [k.provider, k.verdict])).toEqual(expect.arrayContaining([['abuseipdb', 'malicious'], ['shodan-internetdb', 'suspicious']]));
    expect(known.every((k) => k.fetchedAt > 0)).toBe(true);
    expect(JSON.parse(cachedRaw(reopened.db, BAD, 'abuseipdb') ?? '{}')).toMatchObject({ data: { abuseConfidenceScore: 100 } });
    expect(readAudit(reopened.db).at(-1)).toMatchObject({
      action: 'intel-lookup', detail: { sent: 4, addresses: { 'abuseipdb': [BAD, '8.8.8.8'], 'shodan-internetdb': [BAD, '8.8.8.8'] } },
    });
    reopened.close();
  });

  it('answers from the case the second time, and asks again when told to refresh', async () => {
    const c = await intelCase(tempDir(), { 'access.log': [access(BAD)] });
    const { abuse, client } = await providers();
    await lookupReputation(c, client, [BAD], ['abuseipdb']);
    const again = await lookupReputation(c, client, [BAD], ['abuseipdb']);
    expect(again).toMatchObject({ sent: 0, results: [expect.objectContaining({ provider: 'abuseipdb', cached: true, verdict: 'malicious' })] });
    expect(abuse.requests).toHaveLength(1);
    await lookupReputation(c, client, [BAD], ['abuseipdb'], { refresh: true });
    expect(abuse.requests).toHaveLength(2);
    expect(c.db.prepare('SELECT count(*) FROM intel_reputation').pluck().get()).toBe(2);
    c.close();
  });

  it('a cancel stops the queue; the answers already in are kept', async () => {
    const c = await intelCase(tempDir(), { 'access.log': [access(BAD)] });
    const { shodan, client } = await providers();
    shodan.script({ body: { detail: 'No information available' }, status: 404 }, { delayMs: 3000, status: 404, body: {} });
    const abort = new AbortController();
    const ips = ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'];
    // Cancel while the second request is in flight (the server has it and takes its time).
    const inFlight = setInterval(() => {
      if (shodan.requests.length === 2) abort.abort();
    }, 5);
    const r = await lookupReputation(c, client, ips, ['shodan-internetdb'], { signal: abort.signal });
    clearInterval(inFlight);
    expect(r.cancelled).toBe(true);
    expect(r.results).toHaveLength(1);
    expect(shodan.requests).toHaveLength(2);
    expect(cachedReputation(c.db, '1.1.1.1')).toHaveLength(1);
    c.close();
  });

  it('never writes the API key to the case file, even when a provider echoes it', async () => {
    const dir = tempDir();
    const c = await intelCase(dir, { 'access.log': [access(BAD)] });
    const { client } = await providers();
    const r = await lookupReputation(c, client, [BAD], ['abuseipdb']);
    expect(r.results[0]?.summary).toContain('ISP [API key]');
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    c.close();
    for (const f of readdirSync(dir).filter((n) => n.startsWith('case.loupe'))) {
      expect(readFileSync(join(dir, f)).includes(Buffer.from(KEY)), f).toBe(false);
    }
  });
});
