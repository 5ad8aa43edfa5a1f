import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyStore } from '../intel/key-file.ts';
import { fakeSafeStorage } from '../test/fake-safe-storage.ts';
import { access } from '../test/intel-case.ts';
import { TRUSTED, useLoupe, type TestLoupe } from '../test/loupe.ts';
import { fakeProvider, type FakeProvider } from '../test/provider-server.ts';
import { useTempDir } from '../test/temp.ts';
import { openCase } from '../engine/case-db.ts';

const tempDir = useTempDir();
const makeLoupe = useLoupe();
const KEY = 'main-KEY-7f3a9c21de';
const BAD = '45.83.64.17';

let servers: FakeProvider[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function ok<T>(t: TestLoupe, channel: string, request?: unknown): Promise<T> {
  const r = await t.dispatch(channel, request, TRUSTED);
  if (!r.ok) throw new Error(`${channel}: ${r.error}`);
  return r.value as T;
}

async function setup(withStore = true, backend = 'gnome_libsecret') {
  const dir = tempDir();
  const abuse = await fakeProvider('abuseipdb', { [BAD]: { abuseConfidenceScore: 97, totalReports: 40 } }, KEY);
  servers.push(abuse);
  const keyStore = createKeyStore(join(dir, 'keys', 'intel-keys.json'), fakeSafeStorage(backend), 'linux');
  const t = makeLoupe({ ...(withStore ? { keyStore } : {}), providerBaseUrls: { abuseipdb: abuse.url } });
  const casePath = join(dir, 'case.loupe');
  openCase(casePath, { create: true }).close();
  const log = join(dir, 'access.log');
  writeFileSync(log, `${[access(BAD), access('10.1.2.3', 1)].join('\n')}\n`);
  await ok(t, 'case:open', { path: casePath });
  await ok(t, 'import:start', { paths: [log] });
  return { t, abuse, casePath, dir };
}

type Settings = { providers: { id: string; enabled: boolean; key: { saved: boolean } | null }[] };

describe('intel channels through the main process and the engine worker', () => {
  it('keeps API keys in the main process: saved and deleted there, asked for by the engine only for a lookup', async () => {
    const { t, abuse, casePath } = await setup();
    const initial = await ok<Settings>(t, 'intel:get-settings');
    expect(initial.providers.every((p) => !p.enabled)).toBe(true);

    const saved = await ok<Settings>(t, 'intel:set-key', { provider: 'abuseipdb', key: KEY });
    expect(saved.providers.find((p) => p.id === 'abuseipdb')?.key).toEqual({ required: true, saved: true });
    expect(JSON.stringify(saved)).not.toContain(KEY);

    // Off by default: nothing is sent, even with a key.
    const off = await ok<{ errors: { error: string }[]; sent: number }>(t, 'intel:lookup', { ips: [BAD], providers: ['abuseipdb'] });
    expect(off).toMatchObject({ sent: 0, errors: [{ error: 'not-enabled' }] });
    expect(abuse.requests).toHaveLength(0);

    await ok(t, 'intel:set-settings', { mmdb: [], providers: ['abuseipdb'] });
    const looked = await ok<{ results: { verdict: string }[]; sent: number }>(t, 'intel:lookup', { ips: [BAD, '10.1.2.3'], providers: ['abuseipdb'] });
    expect(looked.results).toMatchObject([{ verdict: 'malicious' }]);
    expect(looked.sent).toBe(1);
    expect(abuse.requests.map((r) => r.headers['key'])).toEqual([KEY]);
    expect(t.pushed.filter((p) => p.event === 'intel:lookup-progress-changed').at(-1)?.payload).toMatchObject({ done: 2, total: 2 });

    const intel = await ok<{ reputation: { provider: string; verdict: string }[]; classification: { category: string } }>(t, 'intel:get-ip', { ip: BAD });
    expect(intel).toMatchObject({ classification: { category: 'public' }, reputation: [{ provider: 'abuseipdb', verdict: 'malicious' }] });

    const deleted = await ok<Settings>(t, 'intel:delete-key', { provider: 'abuseipdb' });
    expect(deleted.providers.find((p) => p.id === 'abuseipdb')?.key).toEqual({ required: true, saved: false });
    const noKey = await ok<{ errors: { error: string }[] }>(t, 'intel:lookup', { ips: [BAD], providers: ['abuseipdb'], refresh: true });
    expect(noKey.errors).toMatchObject([{ error: 'no-key' }]);
    expect(abuse.requests).toHaveLength(1);

    await t.loupe.close();
    const dir = join(casePath, '..');
    for (const f of readdirSync(dir).filter((n) => n.startsWith('case.loupe'))) {
      expect(readFileSync(join(dir, f)).includes(KEY), f).toBe(false);
    }
    expect(JSON.stringify(t.pushed)).not.toContain(KEY);
    expect(t.logged.join('\n')).not.toContain(KEY);
  });

  it('refuses to save a key where there is no key store, saying where keys come from instead', async () => {
    const { t } = await setup(false);
    expect(await t.dispatch('intel:set-key', { provider: 'abuseipdb', key: KEY }, TRUSTED))
      .toEqual({ ok: false, error: 'API keys cannot be saved here; the command line reads them from LOUPE_*_KEY variables' });
    expect(await t.dispatch('intel:set-key', { provider: 'shodan-internetdb', key: KEY }, TRUSTED))
      .toMatchObject({ ok: false, error: 'Shodan InternetDB takes no API key' });
  });

  it('refuses to keep a key where Linux has no keyring (only the plaintext fallback), saying why, and keeps nothing', async () => {
    const { t, dir } = await setup(true, 'basic_text');
    const r = await t.dispatch('intel:set-key', { provider: 'abuseipdb', key: KEY }, TRUSTED);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^Loupe will not keep API keys here: this desktop has no secret store \(keyring\)/);
    expect(r.error).not.toContain(KEY);
    expect(t.logged.join('\n')).not.toContain(KEY);
    expect(readdirSync(dir)).not.toContain('keys');
    const settings = await ok<Settings>(t, 'intel:get-settings');
    expect(settings.providers.find((p) => p.id === 'abuseipdb')?.key).toEqual({ required: true, saved: false });
  });

  it("gives the grid each address's class, country, network owner and lists", async () => {
    const { t, dir } = await setup();
    const list = join(dir, 'bad.netset');
    writeFileSync(list, '# bad\n45.83.64.0/24\n');
    await ok(t, 'intel:import-list', { path: list, name: 'bad-hosts' });
    const rows = await ok<unknown[]>(t, 'intel:get-summaries', { ips: [BAD, '10.1.2.3', '192.0.2.99'] });
    expect(rows).toEqual(expect.arrayContaining([
      { ip: BAD, category: 'public', country: null, asn: null, asOrg: null, lists: ['bad-hosts'] },
      { ip: '10.1.2.3', category: 'private', country: null, asn: null, asOrg: null, lists: [] },
    ]));
    expect(rows).toHaveLength(2);
  });
});
