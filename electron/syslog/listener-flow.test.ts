/**
 * Flow control with a writer that falls behind (another connection holds the case's write lock):
 * TCP stops reading, so the sender waits and memory stays bounded, and nothing is lost once the
 * writer catches up; UDP cannot be slowed, so what the kernel or the queue limit drops is counted.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../engine/case-db.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveSession } from './live-session.ts';
import { listener, octetFrame, storedAtLeast, storedEvents, tcpClient, tempCase } from './test-support.ts';

const tempDir = useTempDir();
let cleanup: (() => Promise<void>) | null = null;

afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

function setup(options: ConstructorParameters<typeof LiveSession>[1]): { c: CaseDb; session: LiveSession; dir: string } {
  const dir = tempDir();
  const c = tempCase(dir);
  const session = new LiveSession(c, { detect: false, ...options });
  cleanup = async () => {
    await session.close();
    c.close();
  };
  return { c, session, dir };
}

/** Takes the case's write lock from a second connection, as another program writing to it would. */
function lockCase(dir: string): { release(): void } {
  const other = new Database(join(dir, 'case.loupe'));
  other.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      other.exec('COMMIT');
      other.close();
    },
  };
}

describe('flow control', () => {
  it('pauses TCP reading while the writer is behind, then stores every message in order', async () => {
    const { c, session, dir } = setup({ highWater: 2000 });
    c.db.pragma('busy_timeout = 20');
    const l = await session.start({ transport: 'tcp', port: 0 });
    const lock = lockCase(dir);
    const total = 150_000;
    const padding = 'p'.repeat(200);
    const frames: Buffer[] = [];
    for (let i = 0; i < total; i++) frames.push(octetFrame(`<13>1 2026-11-28T10:00:00Z h bench - - - seq=${i} ${padding}`));
    const client = await tcpClient(l.port);
    const sent = client.write(Buffer.concat(frames));
    // The listener stopped reading: the sender's data waits in its own buffer, not in Loupe's memory.
    const paused = await session.waitFor((s) => s.backpressure && client.socket.writableLength > 0, 30_000);
    expect(listener(paused, l.id).totals.queued).toBeLessThan(2000 + 2000);
    expect(listener(paused, l.id).totals.stored).toBe(0);
    expect(client.socket.writableLength).toBeGreaterThan(1 << 20);
    lock.release();
    await sent;
    await client.end();
    const done = await storedAtLeast(session, l.id, total, 60_000);
    expect(listener(done, l.id).totals).toMatchObject({ received: total, stored: total, malformed: 0 });
    expect(done.backpressure).toBe(false);
    const seqs = storedEvents(c, l.sourceId).map((e) => Number(/seq=(\d+)/.exec(e.message ?? '')?.[1]));
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i));
  }, 120_000);

  it('counts the datagrams the kernel dropped while the listener could not read (received + dropped = sent)', async (ctx) => {
    if (!existsSync('/proc/net/udp')) {
      ctx.skip('the kernel drop count comes from /proc/net/udp (Linux); not available here');
      return;
    }
    const { session, dir } = setup({});
    // A small buffer overflows quickly: the kernel keeps what fits and drops the rest.
    const l = await session.start({ transport: 'udp', port: 0, recvBufferBytes: 32 * 1024 });
    const sent = 3000;
    const marker = join(dir, 'sent');
    const child = spawn(process.execPath, ['-e', `
      const s = require('node:dgram').createSocket('udp4');
      const msg = Buffer.from('<13>Nov 28 10:00:00 h flood: ' + 'z'.repeat(200));
      let i = 0;
      const next = () => i++ < ${sent} ? s.send(msg, ${l.port}, '127.0.0.1', next) : (require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'done'), s.close());
      next();
    `], { stdio: 'ignore' });
    // Hold this thread, as a long write or a busy machine would, until the sender is done.
    const deadline = Date.now() + 30_000;
    while (!existsSync(marker) && Date.now() < deadline) { /* the listener cannot read meanwhile */ }
    await new Promise((resolve) => child.once('exit', resolve));
    const status = await session.waitFor((s) => {
      const t = listener(s, l.id).totals;
      return t.kernelDrops !== null && t.stored + t.kernelDrops >= sent;
    }, 20_000);
    const t = listener(status, l.id).totals;
    expect(t.kernelDrops).toBeGreaterThan(0);
    expect(t.received + (t.kernelDrops ?? 0)).toBe(sent);
    expect(listener(status, l.id).udp?.recvBufferGranted).toBeGreaterThanOrEqual(32 * 1024);
    const final = await session.close();
    expect(listener(final, l.id).totals.kernelDrops).toBe(t.kernelDrops);
  }, 60_000);

  it('drops and counts UDP datagrams past the queue limit while the writer is stuck, and stores the rest', async () => {
    const { session, dir, c } = setup({ udpQueueLimit: 500 });
    c.db.pragma('busy_timeout = 20');
    const l = await session.start({ transport: 'udp', port: 0 });
    const lock = lockCase(dir);
    const socket = createSocket('udp4');
    for (let i = 0; i < 1000; i++) {
      await new Promise<void>((resolve, reject) => socket.send(`<13>Nov 28 10:00:00 h app: n=${i}`, l.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    }
    socket.close();
    const full = await session.waitFor((s) => {
      const t = listener(s, l.id).totals;
      return t.received + t.queueDrops === 1000;
    });
    expect(listener(full, l.id).totals).toMatchObject({ received: 500, queueDrops: 500, stored: 0 });
    lock.release();
    const done = await storedAtLeast(session, l.id, 500);
    expect(listener(done, l.id).totals).toMatchObject({ received: 500, stored: 500, queueDrops: 500 });
    await session.close();
    expect(c.db.prepare('SELECT queue_drops FROM syslog_listeners WHERE source_id = ?').pluck().get(l.sourceId)).toBe(500);
  }, 60_000);

  it('stops a listener whose messages the case refuses as lossy, and never writes them into its finished source later', async () => {
    const { session, c } = setup({ highWater: 40 });
    const refused = await session.start({ transport: 'udp', port: 0 });
    const other = await session.start({ transport: 'tcp', port: 0 });
    // The case refuses this listener's rows (as a full disk would) but can still record its end.
    c.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.source_id = ${refused.sourceId} BEGIN SELECT RAISE(ABORT, 'the disk is full'); END`);
    const socket = createSocket('udp4');
    for (let i = 0; i < 30; i++) {
      await new Promise<void>((resolve, reject) => socket.send(`<13>Nov 28 10:00:00 h app: n=${i}`, refused.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    }
    socket.close();
    await session.waitFor((s) => listener(s, refused.id).totals.received === 30);
    const stopped = await session.stop(refused.id);
    expect(stopped.totals).toMatchObject({ received: 30, stored: 0 });
    const source = c.db.prepare('SELECT status, problem FROM sources WHERE id = ?').get(refused.sourceId) as { status: string; problem: string };
    expect(source.status).toBe('incomplete');
    expect(source.problem).toMatch(/^30 received message\(s\) could not be stored: cannot store messages: the disk is full/);

    // The case takes rows again: the other listener stores on, unpaused by messages that are gone,
    // and the lost ones stay out of the finished source, after the retry timer has had its turn.
    c.db.exec('DROP TRIGGER refuse');
    const client = await tcpClient(other.port);
    await client.write(Array.from({ length: 100 }, (_, i) => `<13>Nov 28 10:00:01 h app: m=${i}\n`).join(''));
    await client.end();
    const done = await storedAtLeast(session, other.id, 100);
    expect(done.backpressure).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(storedEvents(c, refused.sourceId)).toHaveLength(0);
    expect(listener(session.status(), refused.id).totals.stored).toBe(0);
  }, 60_000);
});
