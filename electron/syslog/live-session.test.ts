/**
 * The live session as the window and the CLI use it: a listener is a source of the case (importing
 * while it listens, complete after, counts right, audited), binds loopback unless told otherwise,
 * says why it cannot bind, and runs the detection rules on what arrives: an SSH brute force sent
 * over TCP is alerted while the listener runs, and at the end the case holds the alerts a full
 * `loupe detect` finds.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../engine/audit.ts';
import { rollupIsFresh } from '../engine/rollup.ts';
import { getAlert, listAlerts } from '../engine/alerts.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { runDetections } from '../detect/run.ts';
import { useTempDir } from '../test/temp.ts';
import { ListenerConfigError } from './listener-types.ts';
import { LiveSession } from './live-session.ts';
import { listener, storedAtLeast, storedEvents, tcpClient, useLiveSessions } from './test-support.ts';

const tempDir = useTempDir();
const liveSession = useLiveSessions(tempDir);

function setup(options: ConstructorParameters<typeof LiveSession>[1] = { detect: false }): { c: CaseDb; session: LiveSession } {
  return liveSession(options);
}

describe('live session', () => {
  it('keeps a listener as a source: importing while it listens, complete with its counts after, audited', async () => {
    const { c, session } = setup();
    const l = await session.start({ transport: 'tcp', port: 0, timezone: 'Europe/Berlin' });
    expect(l).toMatchObject({ host: '127.0.0.1', url: `syslog+tcp://127.0.0.1:${l.port}`, state: 'listening' });
    expect(l.forwarding.rsyslog[0]).toBe(`*.* @@127.0.0.1:${l.port}`);
    expect(l.forwarding.syslogNg[0]).toBe(`destination d_loupe { syslog("127.0.0.1" port(${l.port}) transport("tcp")); };`);
    const source = () => c.db.prepare('SELECT path, name, status, format, timezone, lines_total, lines_parsed, lines_unparsed, assumptions FROM sources WHERE id = ?').get(l.sourceId) as Record<string, unknown>;
    expect(source()).toMatchObject({ path: l.url, status: 'importing', format: 'syslog.network', timezone: 'Europe/Berlin', lines_total: 0 });
    const client = await tcpClient(l.port);
    await client.write('<13>Nov 28 11:00:00 h app: one\n<13>Nov 28 11:00:01 h app: two\nno header at all\n');
    await storedAtLeast(session, l.id, 3);
    expect(source()).toMatchObject({ status: 'importing', lines_total: 3, lines_parsed: 2, lines_unparsed: 1 });
    // The timeline's per-minute counts follow the live rows, written in the same transactions.
    expect(c.db.prepare('SELECT sum(n) FROM event_rollup WHERE span = 60000 AND source_id = ?').pluck().get(l.sourceId)).toBe(3);
    expect(rollupIsFresh(c.db)).toBe(true);
    // Berlin is an hour ahead of UTC in November.
    expect(storedEvents(c, l.sourceId)[0]?.ts).toBe(Date.UTC(new Date().getUTCFullYear() - (Date.now() < Date.UTC(new Date().getUTCFullYear(), 10, 28, 10) ? 1 : 0), 10, 28, 10, 0, 0));
    await client.end();
    const stopped = await session.stop(l.id);
    expect(stopped).toMatchObject({ state: 'stopped', totals: { received: 3, stored: 3, connections: 1, openConnections: 0 } });
    const done = source();
    expect(done).toMatchObject({ status: 'complete', lines_total: 3 });
    expect(JSON.parse(done.assumptions as string)).toEqual([expect.stringMatching(/times without an offset are read in Europe\/Berlin/), expect.stringMatching(/year of RFC 3164 times inferred/)]);
    const actions = readAudit(c.db).map((e) => e.action);
    expect(actions).toContain('listener-started');
    expect(actions).toContain('listener-stopped');
    expect(readAudit(c.db).find((e) => e.action === 'listener-stopped')?.detail).toMatchObject({ sourceId: l.sourceId, totals: { received: 3, stored: 3 } });
    // Listening again is a new source; the case is free for other writers once nothing listens.
    const again = await session.start({ transport: 'tcp', port: 0 });
    expect(again.sourceId).not.toBe(l.sourceId);
    await session.stop(again.id);
    expect(c.db.prepare("SELECT value FROM case_meta WHERE key = 'import_owner'").get()).toBeUndefined();
  });

  it('says why it cannot listen: a port in use, a bad time zone, TLS without a certificate', async () => {
    const { session } = setup();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      await expect(session.start({ transport: 'tcp', port })).rejects.toThrow(`127.0.0.1:${port}/tcp is already in use by another program`);
    } finally {
      busy.close();
    }
    await expect(session.start({ transport: 'udp', port: 0, timezone: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone "Mars\/Olympus"/);
    await expect(session.start({ transport: 'tls', port: 0 })).rejects.toThrow(ListenerConfigError);
    await expect(session.start({ transport: 'udp', host: '192.0.2.1', port: 0 })).rejects.toThrow(/no interface with address 192\.0\.2\.1/);
    expect(session.status().listeners).toEqual([]);
  });

  it('alerts on an SSH brute force while listening, and ends with the alerts a full run finds', async () => {
    const { c, session } = setup({ detect: true, latenessMs: 0 });
    const l = await session.start({ transport: 'tcp', port: 0 });
    const client = await tcpClient(l.port);
    const now = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const ts = new Date(now - 60_000 + i * 1000).toISOString();
      lines.push(`<38>1 ${ts} web01 sshd ${900 + i} - - Failed password for root from 198.51.100.23 port ${40000 + i} ssh2`);
    }
    lines.push(`<38>1 ${new Date(now - 40_000).toISOString()} web01 sshd 990 - - Accepted password for root from 198.51.100.23 port 41000 ssh2`);
    await client.write(lines.map((x) => `${Buffer.byteLength(x)} ${x}`).join(''));
    await storedAtLeast(session, l.id, 13);
    await session.detectionsIdle();
    const bruteForce = await session.waitFor(() => listAlerts(c.db).some((a) => a.rule.kind === 'correlation' && a.entity.value === '198.51.100.23'), 20_000);
    expect(bruteForce.detections).toMatchObject({ enabled: true });
    const live = listAlerts(c.db);
    expect(live.map((a) => a.rule.title)).toEqual(expect.arrayContaining([expect.stringMatching(/brute/i)]));
    await client.end();
    await session.close();
    const snapshot = () => listAlerts(c.db).map(({ createdAt: _c, updatedAt: _u, ...a }) => ({ ...a, eventIds: getAlert(c.db, a.id)?.eventIds }));
    const before = snapshot();
    expect(before.find((a) => /after repeated failures/i.test(a.rule.title))).toBeDefined();
    const full = await runDetections(c);
    expect({ added: full.stored.added, removed: full.stored.removed }).toEqual({ added: 0, removed: 0 });
    expect(snapshot()).toEqual(before);
  });

  it('reports each peer separately', async () => {
    const { session } = setup();
    const l = await session.start({ transport: 'tcp', host: '0.0.0.0', port: 0 });
    expect(l.forwarding.target).not.toBe('0.0.0.0');
    const local = await tcpClient(l.port);
    await local.write('<13>Nov 28 11:00:00 h app: from loopback\n');
    await local.end();
    const s = await storedAtLeast(session, l.id, 1);
    expect(listener(s, l.id).peers).toEqual([expect.objectContaining({ address: '127.0.0.1', received: 1, stored: 1, connections: 1 })]);
  });
});
