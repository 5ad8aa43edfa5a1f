/**
 * Offline by default: with every provider off, a whole session — import with detections, a
 * blocklist, detections again, alerts, IP dossiers with GeoIP — opens no network connection and
 * asks no DNS question. The positive controls show the watcher does see a lookup when one is made.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateScenario, minimumLines } from '../gen/generate.ts';
import { openCase } from '../engine/case-db.ts';
import { runCli as run } from '../test/cli.ts';
import { watchEgress, type EgressWatch } from '../test/egress-watch.ts';
import { asnRecord, writeMmdb } from '../test/mmdb-writer.ts';
import { fakeProvider } from '../test/provider-server.ts';
import { useTempDir } from '../test/temp.ts';
import { createEngineHandlers } from '../main/handlers.ts';
import { closeSession, createSession } from '../main/session.ts';
import { refreshCaseIps } from './case-ips.ts';
import { ipIntel } from './ip-intel.ts';
import { envKeys } from './keys.ts';
import { ReputationClient } from './reputation-client.ts';
import { lookupReputation } from './reputation.ts';

const tempDir = useTempDir();
let watch: EgressWatch | undefined;
afterEach(() => {
  watch?.stop();
  watch = undefined;
});

describe('no egress unless a provider is enabled', () => {
  it('a full import → detect → lists → dossier session opens no connection', async () => {
    const dir = tempDir();
    const saved = process.env['LOUPE_CONFIG_DIR'];
    process.env['LOUPE_CONFIG_DIR'] = join(dir, 'config');
    // Keys in the environment change nothing: without --lookup no provider is asked.
    const savedKey = process.env['LOUPE_ABUSEIPDB_KEY'];
    process.env['LOUPE_ABUSEIPDB_KEY'] = 'present-but-unused-key';
    try {
      const truth = await generateScenario({ scenario: 'mixed', lines: minimumLines('mixed') + 500, seed: 11, outDir: join(dir, 'logs') });
      const attackers = truth.actors.filter((a) => a.kind === 'attacker' && a.ip !== null).map((a) => a.ip as string);
      expect(attackers.length).toBeGreaterThan(2);
      writeFileSync(join(dir, 'block.netset'), `# Date: 2026-11-20\n${attackers.slice(0, 2).join('\n')}\n`);
      const asnDb = join(dir, 'asn.mmdb');
      writeMmdb(asnDb, { databaseType: 'GeoLite2-ASN', buildEpoch: 1_795_000_000, records: [{ network: `${attackers[0]}/32`, data: asnRecord(64500, 'Test AS') }] });
      const casePath = join(dir, 'case.loupe');

      watch = watchEgress();
      expect((await run('import', casePath, join(dir, 'logs'))).code).toBe(0);
      expect((await run('lists', casePath, '--add', join(dir, 'block.netset'))).code).toBe(0);
      const detected = await run('detect', casePath, '--json');
      expect(detected.code).toBe(0);
      expect((JSON.parse(detected.out) as { alerts: { rule: { title: string } }[] }).alerts.some((a) => a.rule.title.includes('blocklist'))).toBe(true);
      expect((await run('alerts', casePath)).code).toBe(0);
      const dossier = await run('ip', casePath, ...attackers, '10.0.0.1', '--mmdb', asnDb, '--json');
      expect(dossier.code).toBe(0);
      expect((JSON.parse(dossier.out) as { ips: { lists: unknown[] }[] }).ips[0]?.lists).toHaveLength(1);
      // The engine's API, as the window calls it.
      const c = openCase(casePath);
      refreshCaseIps(c);
      for (const ip of attackers) ipIntel(c.db, ip);
      c.close();
      expect(watch.attempts).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env['LOUPE_CONFIG_DIR'];
      else process.env['LOUPE_CONFIG_DIR'] = saved;
      if (savedKey === undefined) delete process.env['LOUPE_ABUSEIPDB_KEY'];
      else process.env['LOUPE_ABUSEIPDB_KEY'] = savedKey;
    }
  });

  it("the window's session — import, detections, a list, grid filters and columns, alerts, dossier, enrichment, a lookup asked — opens no connection with every provider off", async () => {
    const dir = tempDir();
    const truth = await generateScenario({ scenario: 'mixed', lines: minimumLines('mixed') + 500, seed: 12, outDir: join(dir, 'logs') });
    const attackers = truth.actors.filter((a) => a.kind === 'attacker' && a.ip !== null).map((a) => a.ip as string);
    writeFileSync(join(dir, 'block.netset'), `# Date: 2026-11-20\n${attackers.slice(0, 2).join('\n')}\n`);
    const casePath = join(dir, 'case.loupe');
    openCase(casePath, { create: true }).close();
    // The engine's handlers as its worker runs them, here in this thread so the watcher sees them;
    // a key provider that would hand out a key, to show that it is not asked either.
    const session = createSession();
    let keysAsked = 0;
    const h = createEngineHandlers(session, {
      dataDir: join(dir, 'app-data'),
      keys: () => {
        keysAsked++;
        return 'window-key-123456';
      },
      savedKeys: async () => ['abuseipdb'],
    });
    watch = watchEgress();
    try {
      await h['case:open']({ path: casePath });
      const imported = await h['import:start']({ paths: [join(dir, 'logs')] });
      expect(imported.cancelled).toBe(false);
      expect((await h['intel:import-list']({ path: join(dir, 'block.netset') })).list.hits).toBeGreaterThan(0);
      const alerts = await h['alerts:list']({});
      expect(alerts.some((a) => a.rule.title.includes('blocklist'))).toBe(true);
      const listed = await h['events:query-page']({ filter: { query: 'list:* or src_class:private' }, limit: 100 });
      expect(listed.length).toBeGreaterThan(0);
      await h['events:count']({ filter: { query: 'src_class:public' } });
      await h['intel:get-summaries']({ ips: listed.flatMap((e) => (e.srcIp ? [e.srcIp] : [])) });
      for (const ip of attackers) {
        await h['entity:get-dossier']({ type: 'ip', value: ip });
        const intel = await h['intel:get-ip']({ ip });
        expect(intel.lists.map((l) => l.list)).toEqual(attackers.indexOf(ip) < 2 ? ['block'] : []);
      }
      const settings = await h['intel:get-settings'](undefined);
      expect(settings.providers.every((p) => !p.enabled)).toBe(true);
      const asked = await h['intel:lookup']({ ips: [...attackers, '45.83.64.17'], providers: ['abuseipdb', 'greynoise', 'ipinfo', 'shodan-internetdb'] });
      expect(asked.sent).toBe(0);
      expect(new Set(asked.errors.map((e) => e.error))).toEqual(new Set(['not-enabled']));
      expect(keysAsked).toBe(0);
      expect(watch.attempts).toEqual([]);
    } finally {
      closeSession(session);
    }
  });

  it('a client with no provider enabled sends nothing, whatever it is asked', async () => {
    const dir = tempDir();
    const c = openCase(join(dir, 'case.loupe'), { create: true });
    watch = watchEgress();
    const client = new ReputationClient({ enabled: [], keys: envKeys({ LOUPE_ABUSEIPDB_KEY: 'k-123456' }) });
    const r = await lookupReputation(c, client, ['45.83.64.17', '8.8.8.8'], ['abuseipdb', 'shodan-internetdb', 'greynoise', 'ipinfo']);
    await client.close();
    c.close();
    expect(r.sent).toBe(0);
    expect(r.errors.map((e) => e.error)).toEqual(Array(8).fill('not-enabled'));
    expect(watch.attempts).toEqual([]);
  });

  it('positive control: the watcher sees a lookup of an enabled provider, and a fetch', async () => {
    const shodan = await fakeProvider('shodan-internetdb', { '45.83.64.17': { ports: [22] } });
    const port = new URL(shodan.url).port;
    const client = new ReputationClient({ enabled: ['shodan-internetdb'], keys: () => undefined, baseUrls: { 'shodan-internetdb': shodan.url } });
    watch = watchEgress();
    try {
      expect((await client.lookup('shodan-internetdb', '45.83.64.17')).ok).toBe(true);
      await (await fetch(`${shodan.url}/8.8.8.8`)).text();
    } finally {
      await client.close();
      await shodan.close();
    }
    expect(watch.attempts).toEqual(expect.arrayContaining([`tcp connect 127.0.0.1:${port}`, `undici connect 127.0.0.1:${port}`, `fetch ${shodan.url}/8.8.8.8`]));
  });
});
