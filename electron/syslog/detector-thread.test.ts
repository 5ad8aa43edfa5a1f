/**
 * Live detections in their own worker thread (as `loupe listen` runs them): an SSH brute force sent
 * over TCP is alerted while the listener runs, the detector's progress is reported, and at the end
 * the case holds exactly the alerts a full `loupe detect` finds.
 */
import { describe, expect, it } from 'vitest';
import { getAlert, listAlerts } from '../engine/alerts.ts';
import { runDetections } from '../detect/run.ts';
import { useTempDir } from '../test/temp.ts';
import { storedAtLeast, tcpClient, useLiveSessions } from './test-support.ts';

const tempDir = useTempDir();
const liveSession = useLiveSessions(tempDir);

describe('live detections in a worker thread', () => {
  it('alert on a brute force while listening, and end with the alerts a full run finds', async () => {
    const { c, session } = liveSession({ detect: true, detectInWorker: true, latenessMs: 0 });
    const l = await session.start({ transport: 'tcp', port: 0 });
    const client = await tcpClient(l.port);
    const now = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      lines.push(`<38>1 ${new Date(now - 60_000 + i * 1000).toISOString()} web01 sshd ${900 + i} - - Failed password for root from 198.51.100.23 port ${40000 + i} ssh2`);
    }
    lines.push(`<38>1 ${new Date(now - 40_000).toISOString()} web01 sshd 990 - - Accepted password for root from 198.51.100.23 port 41000 ssh2`);
    await client.write(lines.map((x) => `${Buffer.byteLength(x)} ${x}`).join(''));
    await storedAtLeast(session, l.id, 13);
    await session.detectionsIdle();
    const maxId = c.db.prepare('SELECT max(id) FROM events').pluck().get() as number;
    expect(session.status().detections).toMatchObject({ enabled: true, scannedId: maxId });
    await session.waitFor(() => listAlerts(c.db).some((a) => a.rule.kind === 'correlation' && a.entity.value === '198.51.100.23'), 20_000);
    await client.end();
    const final = await session.close();
    expect(final.alerts).toBeGreaterThan(0);
    const snapshot = () => listAlerts(c.db).map(({ createdAt: _c, updatedAt: _u, ...a }) => ({ ...a, eventIds: getAlert(c.db, a.id)?.eventIds }));
    const before = snapshot();
    expect(before.find((a) => /after repeated failures/i.test(a.rule.title))).toBeDefined();
    const full = await runDetections(c);
    expect({ added: full.stored.added, removed: full.stored.removed }).toEqual({ added: 0, removed: 0 });
    expect(snapshot()).toEqual(before);
  });
});

describe('live detections whose thread fails', () => {
  it('say so in the status while the listener stores on', async () => {
    const { c, session } = liveSession({ detect: true, detectInWorker: { workerUrl: new URL('./no-such-worker.ts', import.meta.url) } });
    const l = await session.start({ transport: 'tcp', port: 0 });
    const client = await tcpClient(l.port);
    await client.write('<13>Nov 28 11:00:00 web01 app: still stored\n');
    await client.end();
    await storedAtLeast(session, l.id, 1);
    const s = await session.waitFor((x) => x.detections.enabled && x.detections.problem !== undefined, 10_000);
    expect(s.detections).toMatchObject({ enabled: true, problem: expect.stringMatching(/no-such-worker/) });
    expect((await session.close()).listeners[0]?.totals.stored).toBe(1);
  });
});
