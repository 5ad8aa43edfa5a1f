/**
 * util-linux `logger` sending to the listener over loopback: RFC 3164 and RFC 5424, UDP and TCP,
 * octet-counted and newline-framed. Every message must be stored once, with the fields a file
 * import would give the same line (sshd read as sshd), the receive time and the sender's address.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../shared/event.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveSession } from './live-session.ts';
import { logger, missingTool, storedAtLeast, storedEvents, useLiveSessions } from './test-support.ts';

const tempDir = useTempDir();
const noLogger = missingTool('logger', '-V');
const liveSession = useLiveSessions(tempDir);

async function listen(): Promise<{ c: CaseDb; session: LiveSession; udp: number; tcp: number; ids: { udp: string; tcp: string } }> {
  const { c, session } = liveSession();
  const udp = await session.start({ transport: 'udp', port: 0 });
  const tcp = await session.start({ transport: 'tcp', port: 0 });
  return { c, session, udp: udp.port, tcp: tcp.port, ids: { udp: udp.id, tcp: tcp.id } };
}

const VARIANTS = [
  { name: 'RFC 3164 over UDP', transport: 'udp', args: ['-d', '--rfc3164'] },
  { name: 'RFC 5424 over UDP', transport: 'udp', args: ['-d', '--rfc5424'] },
  { name: 'RFC 3164 over TCP, newline framing', transport: 'tcp', args: ['-T', '--rfc3164'] },
  { name: 'RFC 5424 over TCP, newline framing', transport: 'tcp', args: ['-T', '--rfc5424'] },
  { name: 'RFC 3164 over TCP, octet counting', transport: 'tcp', args: ['-T', '--octet-count', '--rfc3164'] },
  { name: 'RFC 5424 over TCP, octet counting', transport: 'tcp', args: ['-T', '--octet-count', '--rfc5424'] },
] as const;

describe.skipIf(noLogger !== null)(`live syslog from logger${noLogger ? ` (skipped: ${noLogger})` : ''}`, () => {
  for (const v of VARIANTS) {
    it(`stores an sshd failure with the fields a file import gives (${v.name})`, async () => {
      const l = await listen();
      const before = Date.now();
      await logger(v.transport === 'udp' ? l.udp : l.tcp, [...v.args, '-t', 'sshd', '-i', '-p', 'auth.info'],
        'Failed password for invalid user admin from 203.0.113.50 port 40022 ssh2');
      const id = l.ids[v.transport];
      await storedAtLeast(l.session, id, 1);
      const after = Date.now();
      const sourceId = l.session.status().listeners.find((x) => x.id === id)?.sourceId as number;
      const [e, ...rest] = storedEvents(l.c, sourceId);
      expect(rest).toEqual([]);
      expect(e).toMatchObject({
        dataset: 'sshd', host: hostname(), program: 'sshd', src_ip: '203.0.113.50', src_port: 40022, user: 'admin',
        action: 'login', outcome: 'failure', message: 'Failed password for invalid user admin from 203.0.113.50 port 40022 ssh2',
        extra: { facility: 'auth', severity: 'info' },
      });
      expect(e?.pid).toBeGreaterThan(0);
      const received = e?.extra['loupe.received_at'] as number;
      expect(received).toBeGreaterThanOrEqual(before);
      expect(received).toBeLessThanOrEqual(after);
      expect(e?.extra['loupe.peer']).toMatch(/^127\.0\.0\.1:\d+$/);
      // The message's own time is kept as its time (RFC 3164's has whole seconds, in UTC here).
      expect(Math.abs((e?.ts as number) - received)).toBeLessThan(2000);
      expect(((e?.flags ?? 0) & EventFlag.timeReceived)).toBe(0);
    });
  }

  it('stores every message of a run of senders on both transports, each once', async () => {
    const l = await listen();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const v = VARIANTS[i % VARIANTS.length] as (typeof VARIANTS)[number];
      sends.push(logger(v.transport === 'udp' ? l.udp : l.tcp, [...v.args, '-t', 'app'], `message ${i} via ${v.name}`));
    }
    await Promise.all(sends);
    const perTransport = { udp: 0, tcp: 0 };
    for (let i = 0; i < 40; i++) perTransport[(VARIANTS[i % VARIANTS.length] as (typeof VARIANTS)[number]).transport]++;
    await storedAtLeast(l.session, l.ids.udp, perTransport.udp);
    await storedAtLeast(l.session, l.ids.tcp, perTransport.tcp);
    const status = await l.session.close();
    const messages = status.listeners.flatMap((s) => storedEvents(l.c, s.sourceId).map((e) => e.message)).sort();
    expect(messages).toEqual(Array.from({ length: 40 }, (_, i) => `message ${i} via ${(VARIANTS[i % VARIANTS.length] as (typeof VARIANTS)[number]).name}`).sort());
    for (const s of status.listeners) {
      expect(s.totals).toMatchObject({ received: perTransport[s.transport as 'udp' | 'tcp'], stored: perTransport[s.transport as 'udp' | 'tcp'], malformed: 0, truncated: 0 });
      const row = l.c.db.prepare('SELECT status, lines_total, lines_parsed FROM sources WHERE id = ?').get(s.sourceId);
      expect(row).toEqual({ status: 'complete', lines_total: perTransport[s.transport as 'udp' | 'tcp'], lines_parsed: perTransport[s.transport as 'udp' | 'tcp'] });
    }
    // Each logger run is one TCP connection.
    expect(status.listeners.find((s) => s.transport === 'tcp')?.totals.connections).toBe(perTransport.tcp);
  });
});
