/**
 * Senders whose messages are stamped ahead of the time they arrive (a fast clock, or local time
 * east of UTC read as UTC): the listener counts them per listener and per sender, with the largest
 * lead, so the analyst learns why their correlation alerts wait; messages on time do not count.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AHEAD_THRESHOLD_MS } from '../../shared/clock-lead.ts';
import { listenCommand } from '../cli/listen-command.ts';
import { readAudit } from '../engine/audit.ts';
import { openCase } from '../engine/case-db.ts';
import { useTempDir } from '../test/temp.ts';
import { listener, loggerLines, missingTool, octetFrame, storedAtLeast, tcpClient, useLiveSessions } from './test-support.ts';

const tempDir = useTempDir();
const noLogger = missingTool('logger', '-V');
const liveSession = useLiveSessions(tempDir);
const HOUR = 3_600_000;

/** An RFC 5424 sshd failure stamped `leadMs` after now, in UTC with milliseconds. */
function stamped(leadMs: number, port: number): string {
  const ts = new Date(Date.now() + leadMs).toISOString();
  return `<38>1 ${ts} fasthost sshd 4242 - - Failed password for root from 203.0.113.9 port ${port} ssh2`;
}

describe.skipIf(noLogger !== null)(`messages stamped ahead of the clock${noLogger ? ` (skipped: ${noLogger})` : ''}`, () => {
  it('counts, per listener and per sender, the messages stamped over two minutes ahead, with the largest lead; on-time ones do not count', async () => {
    const { c, session } = liveSession();
    const tcp = await session.start({ transport: 'tcp', port: 0 });
    const udp = await session.start({ transport: 'udp', port: 0 });

    // 127.0.0.2 has a clock an hour fast: three lines an hour ahead, one a minute ahead (drift, not counted), one on time.
    const fast = await tcpClient(tcp.port, '127.0.0.2');
    for (const lead of [HOUR, HOUR, 60_000, 0, HOUR]) await fast.write(octetFrame(stamped(lead, 40_000 + lead / 1000)));
    await fast.end();
    // 127.0.0.1 sends RFC 3164 from a host on UTC: on time.
    await loggerLines(tcp.port, ['-T', '--rfc3164', '-t', 'sshd'], ['on time one', 'on time two'], 'UTC');
    // Over UDP, a host set to UTC+2 sends RFC 3164 local time, read as UTC by the listener: two hours ahead.
    const before = Date.now();
    await loggerLines(udp.port, ['-d', '--rfc3164', '-t', 'sshd'], ['local time one', 'local time two'], 'EET-2');
    await storedAtLeast(session, tcp.id, 7);
    const status = await storedAtLeast(session, udp.id, 2);

    const t = listener(status, tcp.id);
    expect(t.totals).toMatchObject({ received: 7, stored: 7, ahead: 3 });
    expect(t.totals.maxLeadMs).toBeGreaterThan(HOUR - 5_000);
    expect(t.totals.maxLeadMs).toBeLessThanOrEqual(HOUR);
    const peers = Object.fromEntries(t.peers.map((p) => [p.address, { received: p.received, ahead: p.ahead, maxLeadMs: p.maxLeadMs }]));
    expect(peers['127.0.0.1']).toEqual({ received: 2, ahead: 0, maxLeadMs: 0 });
    expect(peers['127.0.0.2']).toMatchObject({ received: 5, ahead: 3 });
    expect(peers['127.0.0.2']?.maxLeadMs).toBe(t.totals.maxLeadMs);

    const u = listener(status, udp.id);
    expect(u.totals).toMatchObject({ stored: 2, ahead: 2 });
    // RFC 3164 has whole seconds: the lead is at most two hours, less the time since the stamp.
    expect(u.totals.maxLeadMs).toBeGreaterThan(2 * HOUR - 1_000 - (Date.now() - before));
    expect(u.totals.maxLeadMs).toBeLessThanOrEqual(2 * HOUR);
    expect(u.totals.maxLeadMs).toBeGreaterThan(AHEAD_THRESHOLD_MS);

    // The stop's audit entry keeps the count.
    await session.stop(tcp.id);
    const stopped = readAudit(c.db).find((e) => e.action === 'listener-stopped' && e.detail['sourceId'] === t.sourceId);
    expect(stopped?.detail).toMatchObject({ totals: { stored: 7, ahead: 3, maxLeadMs: t.totals.maxLeadMs } });
  });

  it('loupe listen says so in its summary, with the sender, when messages came stamped ahead', async () => {
    const casePath = join(tempDir(), 'live.loupe');
    let out = '';
    const signals = new EventEmitter();
    let exit: Promise<number> = Promise.resolve(-1);
    const listening = new Promise<number>((resolve) => {
      const io = {
        out: (text: string) => {
          out += `${text}\n`;
          const m = /listening on syslog\+tcp:\/\/127\.0\.0\.1:(\d+)/.exec(text);
          if (m) resolve(Number(m[1]));
        },
        err: () => {},
      };
      exit = listenCommand([casePath, '--tcp', '127.0.0.1:0', '--no-detect'], io, signals);
    });
    const port = await listening;
    const fast = await tcpClient(port, '127.0.0.2');
    await fast.write(Buffer.concat([octetFrame(stamped(HOUR, 40_001)), octetFrame(stamped(0, 40_002))]));
    await fast.end();
    await loggerLines(port, ['-T', '--rfc3164', '-t', 'app'], ['on time'], 'UTC');
    // Stored once the case holds all three (read on a connection of its own, as another program would).
    const reader = openCase(casePath, { readonly: true });
    try {
      await expect.poll(() => reader.db.prepare('SELECT count(*) FROM events').pluck().get(), { timeout: 20_000 }).toBe(3);
    } finally {
      reader.close();
    }
    signals.emit('SIGINT');
    expect(await exit).toBe(0);
    expect(out).toMatch(/127\.0\.0\.2 +2 received, 0 truncated, 0 malformed, 1 stamped ahead of the clock/);
    expect(out).toMatch(/127\.0\.0\.1 +1 received, 0 truncated, 0 malformed\n/);
    expect(out).toContain("warning: 1 message is stamped up to 1 h ahead of this machine's clock: check the sender's clock or the listener's time zone; its correlations wait until the clock reaches it");
  });
});
