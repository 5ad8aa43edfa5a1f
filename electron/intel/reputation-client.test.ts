import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../shared/intel/model.ts';
import { fakeProvider, type FakeProvider, type KnownIps } from '../test/provider-server.ts';
import { ReputationClient, type LookupResult, type ReputationClientOptions } from './reputation-client.ts';

const KEY = 'sekrit-KEY-3f9a1c77';
const IP = '45.83.64.17';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function setup(provider: ProviderId, known: KnownIps = {}, opts: Partial<ReputationClientOptions> = {}) {
  const server = await fakeProvider(provider, known, provider === 'shodan-internetdb' ? undefined : KEY);
  const client = new ReputationClient({
    enabled: [provider], keys: () => KEY, baseUrls: { [provider]: server.url }, minIntervalMs: { [provider]: 0 },
    backoffMs: 5, timeoutMs: 2000, ...opts,
  });
  cleanup.push(() => client.close(), () => server.close());
  return { server, client };
}

const ok = (r: LookupResult) => {
  if (!r.ok) throw new Error(`lookup failed: ${r.error.error}: ${r.error.message}`);
  return r;
};
const failed = (r: LookupResult) => {
  if (r.ok) throw new Error('lookup succeeded');
  return r.error;
};

/** What each provider knows about IP, and what Loupe makes of it. */
const CASES: { provider: ProviderId; known: KnownIps; path: RegExp; auth: [string, string] | null; verdict: string; summary: RegExp }[] = [
  {
    provider: 'abuseipdb',
    known: { [IP]: { abuseConfidenceScore: 100, totalReports: 1234, numDistinctUsers: 321, lastReportedAt: '2026-11-20T08:00:00+00:00', isp: 'Hostile Hosting', countryCode: 'NL', usageType: 'Data Center/Web Hosting/Transit' } },
    path: new RegExp(`^/api/v2/check\\?ipAddress=${IP}&maxAgeInDays=90$`), auth: ['key', KEY], verdict: 'malicious',
    summary: /^abuse confidence 100%; 1234 report\(s\) from 321 user\(s\) in 90 days; last 2026-11-20T08:00:00\+00:00; Hostile Hosting/,
  },
  {
    provider: 'ipinfo',
    known: { [IP]: { hostname: 'scan.example.net', city: 'Amsterdam', region: 'North Holland', country: 'NL', org: 'AS206728 Example Hosting', privacy: { vpn: false, proxy: false, tor: true, relay: false, hosting: true, service: '' } } },
    path: new RegExp(`^/${IP}/json$`), auth: ['authorization', `Bearer ${KEY}`], verdict: 'suspicious',
    summary: /^AS206728 Example Hosting; Amsterdam, North Holland, NL; host scan\.example\.net; anonymiser: tor; hosting$/,
  },
  {
    provider: 'greynoise',
    known: { [IP]: { noise: true, riot: false, classification: 'malicious', name: 'unknown', link: `https://viz.greynoise.io/ip/${IP}`, last_seen: '2026-11-21' } },
    path: new RegExp(`^/v3/community/${IP}$`), auth: ['key', KEY], verdict: 'malicious',
    summary: /^classified malicious; scans the Internet; last seen 2026-11-21$/,
  },
  {
    provider: 'shodan-internetdb',
    known: { [IP]: { ports: [22, 80, 443], hostnames: ['scan.example.net'], tags: ['scanner', 'cloud'], vulns: ['CVE-2023-48795'], cpes: ['cpe:/a:openbsd:openssh'] } },
    path: new RegExp(`^/${IP}$`), auth: null, verdict: 'suspicious',
    summary: /^open ports 22, 80, 443; tags scanner, cloud; 1 known vulnerability \(CVE-2023-48795\); hosts scan\.example\.net$/,
  },
];

describe.each(CASES)('$provider', ({ provider, known, path, auth, verdict, summary }) => {
  it('asks the documented endpoint with the documented auth header, and reads the answer', async () => {
    const { server, client } = await setup(provider, known, { now: () => 1_800_000_000_000 });
    const r = ok(await client.lookup(provider, IP));
    expect(r.reputation).toMatchObject({ provider, ip: IP, fetchedAt: 1_800_000_000_000, found: true, verdict });
    expect(r.reputation.summary).toMatch(summary);
    expect(r.raw).toContain(IP);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.path).toMatch(path);
    if (auth) expect(server.requests[0]?.headers[auth[0]]).toBe(auth[1]);
  });

  it('answers "nothing known" for an address the provider has no data on', async () => {
    const { client } = await setup(provider, known);
    const r = ok(await client.lookup(provider, '8.8.4.4'));
    expect(r.reputation).toMatchObject({ verdict: 'unknown' });
    if (provider !== 'ipinfo') expect(r.reputation.found).toBe(false);
  });

  it('429: waits as long as Retry-After says, then gets the answer', async () => {
    const { server, client } = await setup(provider, known);
    server.script({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too many requests' } });
    const started = Date.now();
    ok(await client.lookup(provider, IP));
    expect(server.requests).toHaveLength(2);
    expect((server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('429 with a wait longer than Loupe waits: rate-limited at once, and no further request until then', async () => {
    const { server, client } = await setup(provider, known, { maxWaitMs: 5000 });
    server.script({ status: 429, headers: { 'retry-after': '3600' }, body: { message: 'Daily limit reached' } });
    const e = failed(await client.lookup(provider, IP));
    expect(e).toMatchObject({ error: 'rate-limited' });
    expect(e.message).toMatch(/HTTP 429; it asks to wait 3600 s/);
    const again = failed(await client.lookup(provider, '1.1.1.1'));
    expect(again.error).toBe('rate-limited');
    expect(again.message).toMatch(/nothing was sent/);
    expect(server.requests).toHaveLength(1);
  });

  it('5xx: retries with backoff, and gives up after the last attempt', async () => {
    const { server, client } = await setup(provider, known, { attempts: 3 });
    server.script({ status: 502, body: '<html>Bad Gateway</html>' }, { status: 503, body: {} });
    ok(await client.lookup(provider, IP));
    expect(server.requests).toHaveLength(3);
    server.script({ status: 500 }, { status: 500 }, { status: 500 });
    expect(failed(await client.lookup(provider, IP))).toMatchObject({ error: 'server-error', message: expect.stringMatching(/HTTP 500\) 3 time\(s\)/) });
    expect(server.requests).toHaveLength(6);
  });

  it('slow: gives up at the deadline instead of waiting', async () => {
    const { server, client } = await setup(provider, known, { timeoutMs: 300, attempts: 2 });
    server.script({ delayMs: 3000, body: {} }, { delayMs: 3000, body: {} });
    const started = Date.now();
    expect(failed(await client.lookup(provider, IP))).toMatchObject({ error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(server.requests).toHaveLength(2);
  });

  it('malformed: an answer that is not JSON, or not the documented shape, is refused', async () => {
    const { client, server } = await setup(provider, known);
    server.script({ status: 200, body: 'this is not json' });
    expect(failed(await client.lookup(provider, IP))).toMatchObject({ error: 'bad-response', message: expect.stringMatching(/not JSON/) });
    server.script({ status: 200, body: { data: { abuseConfidenceScore: 'very' }, ip: 42, ports: 'all', noise: 'yes' } });
    expect(failed(await client.lookup(provider, IP))).toMatchObject({ error: 'bad-response', message: expect.stringMatching(/not what its API documents/) });
  });

  it('huge: stops reading past the size cap, with or without a Content-Length', async () => {
    const { client, server } = await setup(provider, known, { maxBytes: 64 * 1024 });
    server.script({ hugeBytes: 8 * 1024 * 1024 });
    expect(failed(await client.lookup(provider, IP))).toMatchObject({ error: 'too-large' });
    server.script({ body: 'x'.repeat(100_000) });
    expect(failed(await client.lookup(provider, IP))).toMatchObject({ error: 'too-large', message: expect.stringMatching(/100\d\d\d bytes/) });
  });

  it('never returns the API key, even when the provider echoes it', async () => {
    const { client, server } = await setup(provider, known);
    const echo = `${KEY} echoed`;
    server.script({
      status: 200,
      body: {
        ip: IP, org: echo, city: echo, hostname: echo, name: echo, classification: 'malicious', noise: true, last_seen: echo,
        ports: [1], cpes: [echo], hostnames: [echo], tags: [echo], vulns: [echo],
        data: { ipAddress: IP, abuseConfidenceScore: 50, totalReports: 1, isp: echo, lastReportedAt: echo },
      },
    });
    const r = ok(await client.lookup(provider, IP));
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(JSON.stringify(r)).toContain('[API key] echoed');
    server.script({ status: 400, body: { errors: [{ detail: `bad key ${KEY}` }], message: `bad key ${KEY}`, error: { title: KEY } } });
    expect(JSON.stringify(failed(await client.lookup(provider, IP)))).not.toContain(KEY);
  });
});

describe('ReputationClient', () => {
  it('keeps each provider to its pace: one request at a time, starts spaced by the interval', async () => {
    const { server, client } = await setup('shodan-internetdb', {}, { minIntervalMs: { 'shodan-internetdb': 150 } });
    server.script(...Array.from({ length: 5 }, () => ({ delayMs: 30, status: 404, body: { detail: 'No information available' } })));
    const ips = ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9'];
    const results = await Promise.all(ips.map((ip) => client.lookup('shodan-internetdb', ip)));
    expect(results.every((r) => r.ok)).toBe(true);
    // Times are taken where the server sees each request, after the trip over loopback: one request
    // seen late (the process busy elsewhere) shortens the next gap by as much. A gap may come in up
    // to 50 ms short; the five together span the four intervals but for that.
    const starts = server.requests.map((r) => r.at as number);
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(100);
      // The previous answer was complete before the next request started.
      expect(starts[i] as number).toBeGreaterThanOrEqual(server.requests[i - 1]?.done as number);
    }
    expect((starts[4] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(4 * 150 - 50);
  });

  it('sends nothing for a provider that is not turned on, a non-public address, or a missing required key', async () => {
    const { server, client } = await setup('abuseipdb', {}, { keys: () => undefined });
    expect(failed(await client.lookup('greynoise', IP))).toMatchObject({ error: 'not-enabled' });
    expect(failed(await client.lookup('abuseipdb', '10.1.2.3'))).toMatchObject({ error: 'not-public', message: '10.1.2.3 is Private-Use (RFC 1918): Loupe sends only public addresses to providers' });
    expect(failed(await client.lookup('abuseipdb', '203.0.113.9'))).toMatchObject({ error: 'not-public' });
    expect(failed(await client.lookup('abuseipdb', 'example.com'))).toMatchObject({ error: 'unsupported' });
    expect(failed(await client.lookup('abuseipdb', IP))).toMatchObject({ error: 'no-key', message: expect.stringMatching(/LOUPE_ABUSEIPDB_KEY/) });
    expect(server.requests).toHaveLength(0);
  });

  it('says when a provider takes IPv4 only', async () => {
    const { server, client } = await setup('greynoise');
    expect(failed(await client.lookup('greynoise', '2606:4700:4700::1111'))).toMatchObject({ error: 'unsupported', message: 'GreyNoise Community takes IPv4 addresses only' });
    expect(server.requests).toHaveLength(0);
  });

  it('a refused key is "refused", with the provider\'s reason, and is not retried', async () => {
    const { server, client } = await setup('abuseipdb', {}, { keys: () => 'wrong-key-123' });
    const e = failed(await client.lookup('abuseipdb', IP));
    expect(e).toMatchObject({ error: 'refused', message: expect.stringMatching(/HTTP 401: Authentication failed/) });
    expect(e.message).not.toContain('wrong-key-123');
    expect(server.requests).toHaveLength(1);
  });

  it('a cancel stops a lookup that is waiting or in flight', async () => {
    const { server, client } = await setup('shodan-internetdb', {}, { timeoutMs: 10_000 });
    server.script({ delayMs: 5000, body: {} });
    const abort = new AbortController();
    const pending = client.lookup('shodan-internetdb', IP, abort.signal);
    setTimeout(() => abort.abort(), 100);
    const started = Date.now();
    expect(failed(await pending)).toMatchObject({ error: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a connection refused is a network failure, retried, then reported', async () => {
    const client = new ReputationClient({
      enabled: ['shodan-internetdb'], keys: () => undefined, baseUrls: { 'shodan-internetdb': 'http://127.0.0.1:1' },
      minIntervalMs: { 'shodan-internetdb': 0 }, backoffMs: 5, attempts: 2,
    });
    cleanup.push(() => client.close());
    expect(failed(await client.lookup('shodan-internetdb', IP))).toMatchObject({ error: 'network', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});
