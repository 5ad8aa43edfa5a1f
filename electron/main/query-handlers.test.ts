import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierDto, HistogramDto, PushEvent, StoredEventDto } from '../../shared/ipc/contract.ts';
import { openCase } from '../engine/case-db.ts';
import { runDetections } from '../detect/run.ts';
import { generateScenario, type GroundTruth } from '../gen/generate.ts';
import { importPaths } from '../ingest/import.ts';
import { APP_URL, TRUSTED } from '../test/loupe.ts';
import { createLoupe, type Loupe } from './compose.ts';
import { scriptedDialogs } from './dialogs.ts';
import { createDispatch, validatedPush } from './dispatch.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** One generated incident (web and auth logs), imported and with detections run, shared by the tests. */
let dir: string;
let casePath: string;
let truth: GroundTruth;
let loupe: Loupe;
let pushed: { event: PushEvent; payload: unknown }[];
let call: <T>(channel: string, request: unknown) => Promise<T>;
let fail: (channel: string, request: unknown) => Promise<string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-qh-'));
  const logs = join(dir, 'logs');
  await generateScenario({ scenario: 'mixed', lines: 6000, seed: 7, outDir: logs });
  truth = JSON.parse(readFileSync(join(logs, 'ground-truth.json'), 'utf8')) as GroundTruth;
  // A line that is not UTF-8, to see its bytes come back.
  writeFileSync(join(logs, 'odd.log'), Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' latin-1 line\n')]));
  casePath = join(dir, 'case.loupe');
  const c = openCase(casePath, { create: true });
  await importPaths(c, ['access.log', 'auth.log', 'syslog', 'odd.log'].map((f) => join(logs, f)));
  await runDetections(c);
  c.close();
  pushed = [];
  // As the app composes it: the engine in its worker thread, behind the validating dispatcher.
  loupe = createLoupe({
    dataDir: join(dir, 'data'),
    dialogs: scriptedDialogs(),
    push: validatedPush((event, payload) => pushed.push({ event, payload }), (m) => {
      throw new Error(m);
    }),
    log: () => {},
  });
  const dispatch = createDispatch(loupe.handlers, { isTrustedSender: (u) => u === APP_URL, log: () => {} });
  call = async <T>(channel: string, request: unknown): Promise<T> => {
    const r = await dispatch(channel, request, TRUSTED);
    if (!r.ok) throw new Error(`${channel}: ${r.error}`);
    return r.value as T;
  };
  fail = async (channel: string, request: unknown): Promise<string> => {
    const r = await dispatch(channel, request, TRUSTED);
    if (r.ok) throw new Error(`${channel} should have failed`);
    return r.error;
  };
  await call('case:open', { path: casePath });
}, 120_000);

afterAll(async () => {
  await loupe.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the grid', () => {
  it('pages through a filter-bar query in time order, and counts it', async () => {
    const query = 'status>=400 -status:404';
    const all: StoredEventDto[] = [];
    let after: { ts: number | null; id: number } | undefined;
    for (;;) {
      const page = await call<StoredEventDto[]>('events:query-page', { filter: { query }, limit: 250, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      all.push(...page);
      after = { ts: page.at(-1)!.ts, id: page.at(-1)!.id };
    }
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((e) => e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus !== 404)).toBe(true);
    for (let i = 1; i < all.length; i++) expect(all[i]!.ts! >= all[i - 1]!.ts!).toBe(true);
    expect(await call('events:count', { filter: { query } })).toEqual({ count: all.length, exact: true });
  });

  it('gives an invalid query back as a message the filter bar can show', async () => {
    expect(await fail('events:query-page', { filter: { query: 'usr:root' }, limit: 10 }))
      .toMatch(/^filter: unknown field "usr"; known fields: ip, src, dst, user.* \(at characters 1–3\)$/);
    expect(await fail('events:count', { filter: { query: 'status>=abc' } })).toBe('filter: status>= needs a number, not "abc" (at characters 9–11)');
    expect(await fail('events:get-histogram', { filter: { query: '(a' }, stackBy: 'dataset' })).toMatch(/parenthesis is not closed/);
  });

  it('counts the whole case exactly, and an IP pivot exactly from its indexes', async () => {
    const total = Object.values(truth.lines).reduce((a, b) => a + b, 0) + 1;
    expect(await call('events:count', { filter: {} })).toEqual({ count: total, exact: true });
    const busiest = [...truth.actors].filter((a) => a.ip !== null).sort((a, b) => b.lines - a.lines)[0]!;
    const count = await call<{ count: number; exact: boolean }>('events:count', { filter: { ip: busiest.ip } });
    expect(count).toEqual({ count: busiest.lines, exact: true });
    const page = await call<StoredEventDto[]>('events:query-page', { filter: { ip: busiest.ip }, limit: 1000 });
    expect(page).toHaveLength(Math.min(1000, busiest.lines));
    expect(page.every((e) => e.srcIp === busiest.ip || e.dstIp === busiest.ip)).toBe(true);
  });

  it('shows an event with its source, its alerts, and the bytes of a line that is not UTF-8', async () => {
    const [odd] = await call<StoredEventDto[]>('events:query-page', { filter: { query: 'source:odd.log' }, limit: 5 });
    const detail = await call<{ event: StoredEventDto; source: { name: string; sha256: string }; rawBytesHex: string | null; alerts: unknown[] }>(
      'events:get-detail', { id: odd!.id });
    expect(detail.event.raw).toBe('caf\uFFFD latin-1 line');
    expect(detail.rawBytesHex).toBe(Buffer.from('caf\xe9 latin-1 line', 'latin1').toString('hex'));
    expect(detail.source).toMatchObject({ name: 'odd.log' });
    expect(detail.source.sha256).toMatch(/^[0-9a-f]{64}$/);

    const [alert] = await call<{ id: number; firstEventId: number }[]>('alerts:list', {});
    const withAlert = await call<{ rawBytesHex: string | null; alerts: { id: number }[] }>('events:get-detail', { id: alert!.firstEventId });
    expect(withAlert.rawBytesHex).toBeNull();
    expect(withAlert.alerts.map((a) => a.id)).toContain(alert!.id);
    expect(await fail('events:get-detail', { id: 99_999_999 })).toBe('no event 99999999 in this case');
  });
});

describe('the timeline', () => {
  it('counts every event once, stacked by dataset or by level', async () => {
    const total = Object.values(truth.lines).reduce((a, b) => a + b, 0) + 1;
    for (const stackBy of ['dataset', 'level'] as const) {
      const h = await call<HistogramDto>('events:get-histogram', { filter: {}, stackBy, targetBuckets: 72 });
      const onBars = h.buckets.reduce((n, b) => n + b.counts.reduce((x, y) => x + y, 0), 0);
      expect(onBars + h.untimed).toBe(total);
      expect(h.total).toBe(total);
      expect(h.bucketMs).toBe(3_600_000);
      expect(h.from).toBeGreaterThanOrEqual(Date.parse(truth.start));
      expect(h.to).toBeLessThanOrEqual(Date.parse(truth.end) + 1);
    }
    const byDataset = await call<HistogramDto>('events:get-histogram', { filter: {}, stackBy: 'dataset' });
    expect(byDataset.series[0]).toBe('apache.access');
    expect(byDataset.series).toEqual(expect.arrayContaining(['sshd', 'sudo']));
    const byLevel = await call<HistogramDto>('events:get-histogram', { filter: {}, stackBy: 'level' });
    expect(byLevel.series).toEqual(expect.arrayContaining(['info', 'failure', 'error']));
  });

  it('follows a brushed range and the filter bar', async () => {
    const from = Date.parse(truth.start) + 3_600_000 + 1234;
    const to = from + 6 * 3_600_000;
    const query = 'level:info -dataset:apache.access';
    const h = await call<HistogramDto>('events:get-histogram', { filter: { from, to, query }, stackBy: 'dataset' });
    expect(h.from).toBe(from);
    expect(h.to).toBe(to);
    expect(h.untimed).toBe(0);
    expect(h.series).not.toContain('apache.access');
    expect(h.total).toBeGreaterThan(0);
    expect(h.total).toBe((await call<{ count: number }>('events:count', { filter: { from, to, query } })).count);
    const page = await call<StoredEventDto[]>('events:query-page', { filter: { from, to, query }, limit: 1000 });
    expect(page).toHaveLength(h.total);
    expect(page.every((e) => e.ts! >= from && e.ts! < to)).toBe(true);
  });
});

describe('alerts', () => {
  it('lists, details and triages alerts, and tells the window the list changed', async () => {
    const alerts = await call<{ id: number; rule: { level: string }; status: string; count: number }[]>('alerts:list', {});
    expect(alerts.length).toBeGreaterThan(3);
    const high = await call<{ rule: { level: string } }[]>('alerts:list', { level: 'high' });
    expect(high.every((a) => a.rule.level === 'high')).toBe(true);
    const one = alerts[0]!;
    const detail = await call<{ alert: { id: number }; events: StoredEventDto[] }>('alerts:get-detail', { id: one.id });
    expect(detail.alert.id).toBe(one.id);
    expect(detail.events).toHaveLength(Math.min(one.count, 1000));
    const viaQuery = await call<StoredEventDto[]>('events:query-page', { filter: { query: `alert:${one.id}` }, limit: 1000 });
    expect(viaQuery.map((e) => e.id)).toEqual(detail.events.map((e) => e.id));

    pushed.length = 0;
    const triaged = await call<{ status: string; note: string | null }>('alerts:set-status', { id: one.id, status: 'confirmed', note: 'seen by Ana' });
    expect(triaged).toMatchObject({ status: 'confirmed', note: 'seen by Ana' });
    expect(pushed).toEqual([{ event: 'alerts:list-changed', payload: { total: alerts.length } }]);
    expect((await call<unknown[]>('alerts:list', { status: 'confirmed' }))).toHaveLength(1);
    expect(await fail('alerts:set-status', { id: 424_242, status: 'open' })).toBe('no alert 424242 in this case');
    expect(await fail('alerts:get-detail', { id: 424_242 })).toBe('no alert 424242 in this case');
  });
});

/** What the ground truth says of an address: one attacker may play several actors from it. */
function truthOf(ip: string): { lines: number; first: number; last: number; files: string[] } {
  const actors = truth.actors.filter((a) => a.ip === ip);
  return {
    lines: actors.reduce((n, a) => n + a.lines, 0),
    first: Math.min(...actors.map((a) => Date.parse(a.first))),
    last: Math.max(...actors.map((a) => Date.parse(a.last))),
    files: [...new Set(actors.flatMap((a) => Object.keys(a.files)))].sort(),
  };
}

describe('the dossier', () => {
  it('describes an SSH brute-forcer: where and when, its users tried, its outcomes, its alerts', async () => {
    const actor = truth.actors.find((a) => a.category === 'ssh-bruteforce')!;
    const expected = truthOf(actor.ip!);
    const d = await call<DossierDto>('entity:get-dossier', { type: 'ip', value: actor.ip });
    expect(d.total).toBe(expected.lines);
    expect(d.firstSeen).toBe(expected.first);
    expect(d.lastSeen).toBe(expected.last);
    expect(d.perSource.map((s) => s.name).sort()).toEqual(expected.files);
    expect(d.perSource.find((s) => s.name === 'auth.log')?.count).toBe(actor.files['auth.log']);
    expect(d.byOutcome.find((o) => o.value === 'failure')?.count).toBeGreaterThan(actor.lines / 2);
    expect(d.users[0]).toEqual({ value: 'root', count: actor.files['auth.log'] });
    expect(d.byDataset.find((x) => x.value === 'sshd')?.count).toBe(actor.files['auth.log']);
    expect(d.alerts.length).toBeGreaterThan(0);
    expect(d.alerts.every((a) => a.entity.value === actor.ip)).toBe(true);
    expect(d.timeline.buckets.reduce((n, b) => n + b.count, 0)).toBe(expected.lines);
  });

  it('describes a web attacker with its URLs and user agents, over a range when asked', async () => {
    const actor = [...truth.actors].filter((a) => a.file === 'access.log' && a.kind !== 'benign' && a.userAgent).sort((a, b) => b.lines - a.lines)[0]!;
    const d = await call<DossierDto>('entity:get-dossier', { type: 'ip', value: actor.ip });
    expect(d.total).toBe(truthOf(actor.ip!).lines);
    expect(d.userAgents[0]).toEqual({ value: actor.userAgent, count: expect.any(Number) });
    expect(d.urls.length).toBeGreaterThan(0);
    expect(d.byStatus.reduce((n, s) => n + s.count, 0)).toBeLessThanOrEqual(actor.lines);
    const from = Date.parse(actor.first) + 1000;
    const narrowed = await call<DossierDto>('entity:get-dossier', { type: 'ip', value: actor.ip, from });
    expect(narrowed.total).toBe((await call<{ count: number }>('events:count', { filter: { ip: actor.ip, from } })).count);
    expect(narrowed.firstSeen).toBe(d.firstSeen);
  });

  it('describes a user and a host, with the IPs and users seen with them', async () => {
    const user = await call<DossierDto>('entity:get-dossier', { type: 'user', value: 'root' });
    expect(user.total).toBe((await call<{ count: number }>('events:count', { filter: { user: 'root' } })).count);
    expect(user.total).toBeGreaterThan(0);
    const host = await call<DossierDto>('entity:get-dossier', { type: 'host', value: truth.host });
    expect(host.total).toBe((await call<{ count: number }>('events:count', { filter: { host: truth.host } })).count);
    expect(host.users.map((u) => u.value)).toContain('root');
    expect(host.ips.length).toBeGreaterThan(0);
    const nobody = await call<DossierDto>('entity:get-dossier', { type: 'ip', value: '198.18.0.1' });
    expect(nobody).toMatchObject({ total: 0, firstSeen: null, lastSeen: null, perSource: [], timeline: { buckets: [] } });
  });
});
