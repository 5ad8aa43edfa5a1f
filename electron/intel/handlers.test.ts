import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { intelContract, type IntelChannel, type IntelRequest, type IntelResponse } from '../../shared/intel/contract.ts';
import { access, intelCase } from '../test/intel-case.ts';
import { asnRecord, writeMmdb } from '../test/mmdb-writer.ts';
import { fakeSafeStorage } from '../test/fake-safe-storage.ts';
import { fakeProvider, type FakeProvider } from '../test/provider-server.ts';
import { useTempDir } from '../test/temp.ts';
import { createIntelHandlers, type IntelHandlers } from './handlers.ts';
import { createKeyStore } from './key-file.ts';
import { noKeys } from './keys.ts';

const tempDir = useTempDir();
const KEY = 'store-KEY-91ac3e0b55';
const BAD = '45.83.64.17';

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of closers) await f();
  closers = [];
});

/** Calls a handler the way the dispatcher does: request and answer checked against the contract. */
async function call<C extends IntelChannel>(h: IntelHandlers, channel: C, request: IntelRequest<C>): Promise<IntelResponse<C>> {
  const spec = intelContract[channel];
  const parsed = spec.request.parse(request) as IntelRequest<C>;
  const answer = await (h[channel] as (r: IntelRequest<C>) => Promise<IntelResponse<C>>)(parsed);
  return spec.response.parse(answer) as IntelResponse<C>;
}

async function setup() {
  const dir = tempDir();
  const c = await intelCase(dir, { 'access.log': [access(BAD), access('10.0.0.3')] });
  const abuse: FakeProvider = await fakeProvider('abuseipdb', { [BAD]: { abuseConfidenceScore: 90, totalReports: 12 } }, KEY);
  closers.push(() => c.close(), () => abuse.close());
  const configDir = join(dir, 'config');
  const keyStore = createKeyStore(join(configDir, 'intel-keys.json'), fakeSafeStorage(), 'linux');
  const h = createIntelHandlers({
    getCase: () => c, configDir, keys: keyStore.keys, keyStore,
    client: { baseUrls: { abuseipdb: abuse.url }, minIntervalMs: { abuseipdb: 0 } },
  });
  return { dir, c, abuse, configDir, h };
}

describe('intel handlers', () => {
  it('settings: providers off and no databases by default; turning them on is remembered outside the case', async () => {
    const { dir, h, configDir } = await setup();
    const initial = await call(h, 'intel:get-settings', undefined);
    expect(initial.providers.every((p) => !p.enabled)).toBe(true);
    expect(initial.providers.find((p) => p.id === 'abuseipdb')).toMatchObject({ key: { required: true, saved: false }, sends: 'the address and your API key' });
    const asn = join(dir, 'GeoLite2-ASN.mmdb');
    writeMmdb(asn, { databaseType: 'GeoLite2-ASN', buildEpoch: Date.UTC(2026, 10, 20) / 1000, records: [{ network: '45.83.64.0/22', data: asnRecord(206728, 'Example Hosting') }] });
    const set = await call(h, 'intel:set-settings', { mmdb: [asn, join(dir, 'missing.mmdb')], providers: ['abuseipdb'] });
    expect(set.mmdb).toEqual([
      { path: asn, databaseType: 'GeoLite2-ASN', builtAt: Date.UTC(2026, 10, 20), problem: null },
      { path: join(dir, 'missing.mmdb'), databaseType: null, builtAt: null, problem: expect.stringMatching(/ENOENT/) },
    ]);
    expect(JSON.parse(readFileSync(join(configDir, 'intel-settings.json'), 'utf8'))).toEqual({ mmdb: [asn, join(dir, 'missing.mmdb')], providers: ['abuseipdb'] });
    expect((await call(h, 'intel:get-ip', { ip: BAD })).geo).toMatchObject({ asn: 206728 });
  });

  it('lists: import, list and remove, with the dossier slot showing the hit', async () => {
    const { dir, h } = await setup();
    writeFileSync(join(dir, 'drop.txt'), '; Last-Modified: Sun, 22 Nov 2026 11:47:24 GMT\n45.83.64.0/22 ; SBL1\n');
    const r = await call(h, 'intel:import-list', { path: join(dir, 'drop.txt'), name: 'spamhaus_drop' });
    expect(r.list).toMatchObject({ name: 'spamhaus_drop', hits: 1, describedAtFrom: 'header' });
    expect((await call(h, 'intel:list-lists', undefined)).map((l) => l.name)).toEqual(['spamhaus_drop']);
    expect((await call(h, 'intel:get-ip', { ip: BAD })).lists).toEqual([expect.objectContaining({ list: 'spamhaus_drop', note: 'SBL1' })]);
    expect(await call(h, 'intel:remove-list', { name: 'spamhaus_drop' })).toEqual({ removed: true });
    expect((await call(h, 'intel:get-ip', { ip: BAD })).lists).toEqual([]);
  });

  it('lookups: only providers turned on are asked, with the key from the store', async () => {
    const { h, abuse, configDir } = await setup();
    const off = await call(h, 'intel:lookup', { ips: [BAD], providers: ['abuseipdb'] });
    expect(off).toMatchObject({ sent: 0, errors: [{ error: 'not-enabled' }] });
    await call(h, 'intel:set-settings', { mmdb: [], providers: ['abuseipdb'] });
    const noKey = await call(h, 'intel:lookup', { ips: [BAD], providers: ['abuseipdb'] });
    expect(noKey).toMatchObject({ sent: 0, errors: [{ error: 'no-key' }] });
    const withKey = await call(h, 'intel:set-key', { provider: 'abuseipdb', key: KEY });
    expect(withKey.providers.find((p) => p.id === 'abuseipdb')?.key).toEqual({ required: true, saved: true });
    expect(readFileSync(join(configDir, 'intel-keys.json'), 'utf8')).not.toContain(KEY);
    const r = await call(h, 'intel:lookup', { ips: [BAD, '10.0.0.3'], providers: ['abuseipdb'] });
    expect(r).toMatchObject({ sent: 1, results: [expect.objectContaining({ verdict: 'malicious', cached: false })] });
    expect(abuse.requests[0]?.headers['key']).toBe(KEY);
    expect((await call(h, 'intel:get-ip', { ip: BAD })).reputation).toEqual([expect.objectContaining({ provider: 'abuseipdb', verdict: 'malicious' })]);
    expect(await call(h, 'intel:cancel-lookup', undefined)).toEqual({ cancelled: false });
  });

  it('public addresses of a filter: all of the case\'s events; a query that does not parse says where', async () => {
    const { h } = await setup();
    const none = { ips: [], total: 0, cap: 5000, cancelled: false };
    expect(await call(h, 'intel:list-public-ips', { filter: {} })).toEqual({ ...none, ips: [{ ip: BAD, events: 1 }], total: 1 });
    expect(await call(h, 'intel:list-public-ips', { filter: { query: 'class:private' } })).toEqual(none);
    expect(await call(h, 'intel:list-public-ips', { filter: { from: Date.UTC(2026, 10, 21) }, limit: 1 })).toMatchObject({ total: 1, cap: 1 });
    await expect(call(h, 'intel:list-public-ips', { filter: { query: 'status:(' } })).rejects.toThrow(/^filter: .* \(at characters \d+/);
    expect(await call(h, 'intel:cancel-public-ips', undefined)).toEqual({ cancelled: false });
    expect(intelContract['intel:list-public-ips'].request.safeParse({ filter: {}, limit: 10_001 }).success).toBe(false);
    expect(intelContract['intel:list-public-ips'].request.safeParse({ filter: { sql: '1' } }).success).toBe(false);
  });

  it('public addresses read from every event: progress, cancel, and a newer request stops an older one', async () => {
    const { c, configDir } = await setup();
    const seen: unknown[] = [];
    let onStep = (): void => {};
    const h = createIntelHandlers({ getCase: () => c, configDir, keys: noKeys, scanStep: 1, onScanProgress: (p) => {
      seen.push(p);
      onStep();
    } });
    const text = { filter: { query: 'GET' } };
    expect(await call(h, 'intel:list-public-ips', text)).toMatchObject({ ips: [{ ip: BAD, events: 1 }], cancelled: false });
    expect(seen).toEqual([{ serial: 0, scanned: 1, total: 2 }, { serial: 0, scanned: 2, total: 2 }]);
    seen.length = 0;
    await call(h, 'intel:list-public-ips', { ...text, serial: 7 });
    expect(seen).toEqual([{ serial: 7, scanned: 1, total: 2 }, { serial: 7, scanned: 2, total: 2 }]);

    onStep = () => void h['intel:cancel-public-ips'](undefined);
    expect(await call(h, 'intel:list-public-ips', text)).toMatchObject({ cancelled: true });

    let newer: Promise<unknown> | undefined;
    onStep = () => {
      onStep = () => {};
      newer = call(h, 'intel:list-public-ips', text);
    };
    expect(await call(h, 'intel:list-public-ips', text)).toMatchObject({ cancelled: true });
    expect(await newer).toMatchObject({ ips: [{ ip: BAD, events: 1 }], cancelled: false });

  });

  it('a count cancelled while the GeoIP databases are first opened reads nothing, even one the indexes answer at once', async () => {
    const { dir, c, configDir } = await setup();
    const asn = join(dir, 'GeoLite2-ASN.mmdb');
    writeMmdb(asn, { databaseType: 'GeoLite2-ASN', buildEpoch: Date.UTC(2026, 10, 20) / 1000, records: [{ network: '45.83.64.0/22', data: asnRecord(206728, 'Example Hosting') }] });
    // Chosen before these handlers exist, so their first call has the file to open.
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'intel-settings.json'), JSON.stringify({ mmdb: [asn], providers: [] }));
    const h = createIntelHandlers({ getCase: () => c, configDir, keys: noKeys });
    // No text: the address indexes answer, without looking at the signal.
    const all = { filter: {} };
    const early = call(h, 'intel:list-public-ips', all);
    // Delivered on a later turn, as the window's cancel is, while the file is still being read.
    await new Promise((r) => setImmediate(r));
    expect(await call(h, 'intel:cancel-public-ips', undefined)).toEqual({ cancelled: true });
    expect(await early).toEqual({ ips: [], total: 0, cap: 5000, cancelled: true });
    // The databases are open now: the same count answers.
    expect(await call(h, 'intel:list-public-ips', all)).toMatchObject({ ips: [{ ip: BAD, events: 1 }], total: 1, cancelled: false });
  });

  it('refuses requests outside the contract, and a key for a provider that takes none', async () => {
    const { h } = await setup();
    expect(intelContract['intel:lookup'].request.safeParse({ ips: [], providers: ['abuseipdb'] }).success).toBe(false);
    expect(intelContract['intel:set-key'].request.safeParse({ provider: 'virustotal', key: 'x' }).success).toBe(false);
    await expect(call(h, 'intel:set-key', { provider: 'shodan-internetdb', key: 'x' })).rejects.toThrow(/takes no API key/);
  });
});
