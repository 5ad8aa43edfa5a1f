/**
 * Live detections as an analyst sees them, with util-linux `logger` sending over loopback: a brute
 * force whose sender then falls silent is alerted a few seconds later (the lateness delay, by the
 * wall clock) while the listener keeps running; a blocklist imported while listening applies to
 * what arrives next.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAlerts } from '../engine/alerts.ts';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import { importList } from '../intel/lists.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveSession } from './live-session.ts';
import { listener, logger, loggerLines, missingTool, storedAtLeast, tempCase } from './test-support.ts';

const tempDir = useTempDir();
const noLogger = missingTool('logger', '-V');
const closing: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const f of closing.splice(0).reverse()) await f();
});

function live(dir: string, options: ConstructorParameters<typeof LiveSession>[1] = {}): { c: CaseDb; session: LiveSession } {
  const c = tempCase(dir);
  const session = new LiveSession(c, options);
  closing.push(() => c.close(), () => session.close().then(() => {}));
  return { c, session };
}

const BLOCKLIST_LOGIN = 'Login activity from an address on an imported blocklist';

describe.skipIf(noLogger !== null)(`live detections with logger${noLogger ? ` (skipped: ${noLogger})` : ''}`, () => {
  it('alerts on a brute force within seconds of its last line though nothing follows it', async () => {
    let alertsChanged = 0;
    const { c, session } = live(tempDir(), { onAlerts: () => alertsChanged++ });
    const l = await session.start({ transport: 'tcp', port: 0 });
    const burst = Array.from({ length: 12 }, (_, i) => `Failed password for root from 203.0.113.66 port ${41000 + i} ssh2`);
    await loggerLines(l.port, ['-T', '--octet-count', '--rfc5424', '-t', 'sshd', '-i', '-p', 'auth.info'], burst);
    await storedAtLeast(session, l.id, 12);
    const lastStored = Date.now();
    const s = await session.waitFor(() => listAlerts(c.db).some((a) => a.rule.title === 'SSH brute force from one address'), 12_000);
    // Alerted by the default 5 s lateness delay (plus a status tick and a store), the listener still running.
    expect(Date.now() - lastStored).toBeLessThan(10_000);
    expect(listener(s, l.id)).toMatchObject({ state: 'listening', totals: { received: 12, stored: 12 } });
    expect(listAlerts(c.db).find((a) => a.rule.title === 'SSH brute force from one address')).toMatchObject({ entity: { value: '203.0.113.66' }, count: 12 });
    expect(alertsChanged).toBeGreaterThan(0);
  }, 30_000);

  it('alerts on a login attempt from an address on a blocklist imported while listening', async () => {
    const dir = tempDir();
    const { c, session } = live(dir);
    const l = await session.start({ transport: 'udp', port: 0 });
    const send = (ip: string) => logger(l.port, ['-d', '--rfc3164', '-t', 'sshd', '-i', '-p', 'auth.info'], `Failed password for root from ${ip} port 38814 ssh2`);
    await send('45.83.64.17');
    await storedAtLeast(session, l.id, 1);
    await session.detectionsIdle();
    expect(listAlerts(c.db).filter((a) => a.rule.title === BLOCKLIST_LOGIN)).toEqual([]);

    // The window (or `loupe lists`) imports through its own connection to the case.
    writeFileSync(join(dir, 'spamhaus_drop.netset'), '; Spamhaus DROP List 2026/11/28\n45.83.64.0/22 ; SBL123\n');
    const other = openCase(join(dir, 'case.loupe'));
    importList(other, join(dir, 'spamhaus_drop.netset'));
    other.close();

    await send('45.83.65.200');
    await send('198.51.100.23');
    await storedAtLeast(session, l.id, 3);
    const s = await session.waitFor(() => listAlerts(c.db).some((a) => a.rule.title === BLOCKLIST_LOGIN), 10_000);
    expect(listener(s, l.id).state).toBe('listening');
    await session.detectionsIdle();
    const listed = listAlerts(c.db).filter((a) => a.rule.title === BLOCKLIST_LOGIN);
    // What came before the import is for the next full run; what came after is alerted live.
    expect(listed.map((a) => a.entity.value)).toEqual(['45.83.65.200']);
    expect(listed[0]?.why).toMatchObject({ matches: [{ values: ['45.83.65.200 (on spamhaus_drop)'] }] });
  }, 30_000);
});
