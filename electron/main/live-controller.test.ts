/**
 * Live syslog through the app's handler table (the listeners in their own thread, the engine in
 * its worker thread, as in the app): real UDP and TCP clients over loopback send into a real temp
 * case, which the window's calls keep reading; counters, new events and alerts are pushed without
 * being asked; an engine that dies leaves the listeners running.
 */
import { createSocket } from 'node:dgram';
import { createServer, connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PushEvent, SyslogStatusDto } from '../../shared/ipc/contract.ts';
import { loggerLines, missingTool } from '../syslog/test-support.ts';
import { TRUSTED, useLoupe, type TestLoupe } from '../test/loupe.ts';
import { useTempDir } from '../test/temp.ts';

const tempDir = useTempDir();
const makeLoupe = useLoupe();
const noLogger = missingTool('logger', '-V');

async function call<T>(t: TestLoupe, channel: string, request?: unknown): Promise<T> {
  const r = await t.dispatch(channel, request, TRUSTED);
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 25_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A burst 10 s old: live correlations let a match through once the feed's time is 5 s past it. */
function sshFailure(n: number, ip = '203.0.113.77', ageMs = 10_000): string {
  return `<38>1 ${new Date(Date.now() - ageMs).toISOString()} web1 sshd 4242 - - Failed password for root from ${ip} port ${40000 + n} ssh2`;
}

async function sendUdp(port: number, lines: string[]): Promise<void> {
  const s = createSocket('udp4');
  for (const l of lines) await new Promise<void>((resolve, reject) => s.send(l, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  s.close();
}

async function sendTcp(port: number, lines: string[]): Promise<void> {
  const s = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
  await new Promise<void>((resolve) => s.end(lines.map((l) => `${l}\n`).join(''), resolve));
}

function pushes(t: TestLoupe, event: PushEvent): unknown[] {
  return t.pushed.filter((p) => p.event === event).map((p) => p.payload);
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('syslog handlers', () => {
  it('receives UDP and TCP into the open case, pushes counters, events and a brute-force alert, and stops leaving the case readable', async () => {
    const t = makeLoupe();
    await call(t, 'case:create', { path: join(tempDir(), 'live.loupe') });
    const started = await call<SyslogStatusDto>(t, 'syslog:start-listener', {
      listeners: [{ transport: 'udp', port: 0 }, { transport: 'tcp', port: 0 }],
    });
    expect(started.live).toBe(true);
    const [udp, tcp] = started.listeners;
    expect(udp?.url).toMatch(/^syslog\+udp:\/\/127\.0\.0\.1:\d+$/);
    expect(udp?.forwarding.rsyslog).toEqual([`*.* @127.0.0.1:${udp?.port}`]);
    expect(tcp?.forwarding.rsyslog[0]).toBe(`*.* @@127.0.0.1:${tcp?.port}`);
    expect(tcp?.forwarding.syslogNg[0]).toContain(`port(${tcp?.port})`);

    await sendUdp(udp?.port ?? 0, Array.from({ length: 8 }, (_, i) => sshFailure(i)));
    await sendTcp(tcp?.port ?? 0, [...Array.from({ length: 6 }, (_, i) => sshFailure(100 + i)), '<13>hostile \u001b[31m<script>alert(1)</script>', sshFailure(0, '198.51.100.1', 0)]);

    const status = await until('16 stored', async () => {
      const s = await call<SyslogStatusDto>(t, 'syslog:get-status');
      return s.listeners.reduce((n, l) => n + l.totals.stored, 0) === 16 ? s : undefined;
    });
    expect(status.listeners.map((l) => [l.transport, l.totals.received, l.totals.stored])).toEqual([['udp', 8, 8], ['tcp', 8, 8]]);
    expect(status.listeners[1]?.peers).toEqual([expect.objectContaining({ address: '127.0.0.1', received: 8, stored: 8, connections: 1 })]);
    // The window reads the case while it is live.
    expect(await call(t, 'events:count', { filter: { ip: '203.0.113.77' } })).toMatchObject({ count: 14 });

    // Pushes: counters, the new event count, then the alert from live detections.
    await until('a status push with every message stored', () => pushes(t, 'syslog:status-changed')
      .some((s) => (s as SyslogStatusDto).listeners.reduce((n, l) => n + l.totals.stored, 0) === 16) || undefined);
    await until('the event count pushed', () => pushes(t, 'case:summary-changed').some((s) => (s as { eventCount: number }).eventCount === 16) || undefined);
    await until('alerts pushed', () => pushes(t, 'alerts:list-changed').some((p) => (p as { total: number }).total > 0) || undefined);
    const alerts = await call<{ rule: { title: string }; entity: { value: string }; count: number }[]>(t, 'alerts:list', {});
    expect(alerts.find((a) => a.rule.title === 'SSH brute force from one address')).toMatchObject({ entity: { value: '203.0.113.77' }, count: 14 });

    const stopped = await call<SyslogStatusDto>(t, 'syslog:stop-listener', {});
    expect(stopped.live).toBe(false);
    expect(stopped.listeners.map((l) => l.state)).toEqual(['stopped', 'stopped']);
    expect(pushes(t, 'syslog:status-changed').at(-1)).toMatchObject({ live: false });
    const sources = await call<{ path: string; status: string }[]>(t, 'case:list-sources');
    expect(sources.map((s) => s.status)).toEqual(['complete', 'complete']);
    expect(await call(t, 'events:count', { filter: {} })).toMatchObject({ count: 16 });
  }, 60_000);

  it.skipIf(noLogger !== null)(`pushes the alert of a brute force whose sender falls silent within seconds, still listening${noLogger ? ` (skipped: ${noLogger})` : ''}`, async () => {
    const t = makeLoupe();
    await call(t, 'case:create', { path: join(tempDir(), 'quiet.loupe') });
    const started = await call<SyslogStatusDto>(t, 'syslog:start-listener', { listeners: [{ transport: 'udp', port: 0 }] });
    const port = started.listeners[0]?.port ?? 0;
    await loggerLines(port, ['-d', '--rfc3164', '-t', 'sshd', '-i', '-p', 'auth.info'],
      Array.from({ length: 11 }, (_, i) => `Failed password for admin from 192.0.2.200 port ${42000 + i} ssh2`));
    await until('11 stored', async () => ((await call<SyslogStatusDto>(t, 'syslog:get-status')).listeners[0]?.totals.stored === 11 ? true : undefined));
    const sent = Date.now();
    await until('alerts pushed', () => pushes(t, 'alerts:list-changed').some((p) => (p as { total: number }).total > 0) || undefined, 12_000);
    expect(Date.now() - sent).toBeLessThan(10_000);
    const alerts = await call<{ rule: { title: string }; entity: { value: string }; count: number }[]>(t, 'alerts:list', {});
    expect(alerts.find((a) => a.rule.title === 'SSH brute force from one address')).toMatchObject({ entity: { value: '192.0.2.200' }, count: 11 });
    expect(await call(t, 'syslog:get-status')).toMatchObject({ live: true, listeners: [{ state: 'listening' }] });
  }, 30_000);

  it.skipIf(noLogger !== null)(`keeps listening while the engine worker dies and restarts: nothing sent meanwhile is lost${noLogger ? ` (skipped: ${noLogger})` : ''}`, async () => {
    const t = makeLoupe();
    await call(t, 'case:create', { path: join(tempDir(), 'crash.loupe') });
    const started = await call<SyslogStatusDto>(t, 'syslog:start-listener', { listeners: [{ transport: 'udp', port: 0 }, { transport: 'tcp', port: 0 }] });
    const [udp, tcp] = started.listeners;
    const stored = async (n: number) => until(`${n} stored`, async () => {
      const s = await call<SyslogStatusDto>(t, 'syslog:get-status');
      return s.listeners.reduce((sum, l) => sum + l.totals.stored, 0) >= n ? s : undefined;
    });
    await loggerLines(udp?.port ?? 0, ['-d', '--rfc3164', '-t', 'app'], ['before the crash 1', 'before the crash 2']);
    // A TCP sender whose connection spans the crash.
    const sender = connect(tcp?.port ?? 0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => sender.once('connect', resolve).once('error', reject));
    await new Promise<void>((resolve) => sender.write('<13>Nov 28 11:00:00 h app: before the crash 3\n', () => resolve()));
    await stored(3);

    await t.loupe.engine.terminateWorker();
    expect(t.logged.join('\n')).toMatch(/engine worker stopped unexpectedly/);
    // Sent while the engine is down or restarting.
    await loggerLines(udp?.port ?? 0, ['-d', '--rfc3164', '-t', 'app'], ['after the crash 1', 'after the crash 2']);
    await new Promise<void>((resolve) => sender.write('<13>Nov 28 11:00:01 h app: after the crash 3\n', () => resolve()));
    const s = await stored(6);
    expect(s).toMatchObject({ live: true, listeners: [{ state: 'listening', totals: { received: 4, stored: 4 } }, { state: 'listening', totals: { received: 2, stored: 2, openConnections: 1 } }] });

    // The new engine reopened the case and reads what the listeners store; their sources are still live.
    expect(await call(t, 'events:count', { filter: {} })).toMatchObject({ count: 6 });
    expect((await call<{ status: string }[]>(t, 'case:list-sources')).map((x) => x.status)).toEqual(['importing', 'importing']);
    await new Promise<void>((resolve) => sender.end(resolve));
    const stopped = await call<SyslogStatusDto>(t, 'syslog:stop-listener', {});
    expect(stopped.live).toBe(false);
    expect((await call<{ status: string; lines: { total: number } }[]>(t, 'case:list-sources')).map((x) => [x.status, x.lines.total]))
      .toEqual([['complete', 4], ['complete', 2]]);
  }, 60_000);

  it.skipIf(noLogger !== null)(`alerts live on a login from an address on a blocklist the window imports while listening${noLogger ? ` (skipped: ${noLogger})` : ''}`, async () => {
    const t = makeLoupe();
    const dir = tempDir();
    await call(t, 'case:create', { path: join(dir, 'listed.loupe') });
    const started = await call<SyslogStatusDto>(t, 'syslog:start-listener', { listeners: [{ transport: 'udp', port: 0 }] });
    writeFileSync(join(dir, 'spamhaus_drop.netset'), '; Spamhaus DROP List 2026/11/28\n45.83.64.0/22 ; SBL123\n');
    await call(t, 'intel:import-list', { path: join(dir, 'spamhaus_drop.netset') });
    await loggerLines(started.listeners[0]?.port ?? 0, ['-d', '--rfc3164', '-t', 'sshd', '-i', '-p', 'auth.info'], ['Failed password for root from 45.83.64.17 port 38814 ssh2']);
    await until('alerts pushed', () => pushes(t, 'alerts:list-changed').some((p) => (p as { total: number }).total > 0) || undefined, 15_000);
    const alerts = await call<{ rule: { title: string }; entity: { value: string } }[]>(t, 'alerts:list', {});
    expect(alerts.map((a) => [a.rule.title, a.entity.value])).toEqual([['Login activity from an address on an imported blocklist', '45.83.64.17']]);
  }, 30_000);

  it('says so when the listener thread itself dies, and can listen again', async () => {
    const t = makeLoupe();
    await call(t, 'case:create', { path: join(tempDir(), 'listener-died.loupe') });
    const started = await call<SyslogStatusDto>(t, 'syslog:start-listener', { listeners: [{ transport: 'tcp', port: 0 }] });
    await sendTcp(started.listeners[0]?.port ?? 0, [sshFailure(1)]);
    await until('1 stored', async () => ((await call<SyslogStatusDto>(t, 'syslog:get-status')).listeners[0]?.totals.stored === 1 ? true : undefined));
    await t.loupe.live.terminateThread();
    const after = await until('the listener reported stopped', async () => {
      const s = await call<SyslogStatusDto>(t, 'syslog:get-status');
      return s.live ? undefined : s;
    });
    expect(after.listeners[0]).toMatchObject({ state: 'stopped', timezone: 'UTC', problem: expect.stringMatching(/thread stopped unexpectedly/) as unknown, totals: { stored: 1 } });
    expect(pushes(t, 'syslog:status-changed').at(-1)).toMatchObject({ live: false });
    expect(t.logged.join('\n')).toMatch(/syslog listener thread stopped unexpectedly/);
    // What it stored stays readable, and listening again works.
    expect(await call(t, 'events:count', { filter: {} })).toMatchObject({ count: 1 });
    const again = await call<SyslogStatusDto>(t, 'syslog:start-listener', { listeners: [{ transport: 'tcp', port: 0 }], timezone: 'Europe/Berlin' });
    // The zone its RFC 3164 times are read in goes with the listener's status, for its card.
    expect(again).toMatchObject({ live: true, listeners: [{ state: 'listening', timezone: 'Europe/Berlin' }] });
  }, 60_000);

  it('binds another interface only when asked, refuses an import while live, and stops when another case opens', async () => {
    const t = makeLoupe();
    const dir = tempDir();
    expect(await t.dispatch('syslog:start-listener', { listeners: [{ transport: 'udp', port: 0 }] }, TRUSTED))
      .toEqual({ ok: false, error: 'no case is open' });
    await call(t, 'case:create', { path: join(dir, 'a.loupe') });
    const exposed = await t.dispatch('syslog:start-listener', { listeners: [{ transport: 'udp', host: '0.0.0.0', port: 0 }] }, TRUSTED);
    expect(exposed).toMatchObject({ ok: false, error: expect.stringMatching(/0\.0\.0\.0 is not loopback/) as unknown });
    expect(await t.dispatch('syslog:start-listener', { listeners: [{ transport: 'udp', port: 70000 }] }, TRUSTED)).toMatchObject({ ok: false });

    const port = await freePort();
    await call(t, 'syslog:start-listener', { listeners: [{ transport: 'tcp', port }] });
    const again = await t.dispatch('syslog:start-listener', { listeners: [{ transport: 'tcp', port }] }, TRUSTED);
    expect(again).toMatchObject({ ok: false });
    expect(await t.dispatch('import:start', { paths: [dir] }, TRUSTED))
      .toEqual({ ok: false, error: 'syslog listeners are writing into this case; stop them (Live view) before importing files' });

    await call(t, 'case:create', { path: join(dir, 'b.loupe') });
    expect(await call(t, 'syslog:get-status')).toMatchObject({ live: false });
    // The port is free again.
    const s = connect(port, '127.0.0.1');
    await expect(new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    await call(t, 'case:open', { path: join(dir, 'a.loupe') });
    const sources = await call<{ status: string }[]>(t, 'case:list-sources');
    expect(sources.map((x) => x.status)).toEqual(['complete']);
  }, 60_000);
});
