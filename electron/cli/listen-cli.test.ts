/**
 * `loupe listen` as a user runs it: a process that says where it listens (JSON lines), stores what
 * logger sends, and on Ctrl-C stores everything, prints a summary and exits 0; killed outright, it
 * leaves a case whose live source says it was cut short. Wrong command lines exit 2.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { runCli } from '../test/cli.ts';
import { missingTool } from '../syslog/test-support.ts';

const run = promisify(execFile);
const tempDir = useTempDir();
const BIN = new URL('../../bin/loupe.mjs', import.meta.url).pathname;
const noLogger = missingTool('logger', '-V');

interface Line {
  event: string;
  listeners: { id: string; port: number; transport: string; totals: { received: number; stored: number } }[];
  alerts?: number;
}

/** Starts `loupe listen`; `next(predicate)` resolves with the first JSON line that satisfies it. */
function listen(args: string[]): { child: ChildProcess; next(p: (l: Line) => boolean): Promise<Line>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'listen', ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: Line[] = [];
  const waiting: { p: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    seen.push(line);
    for (const w of [...waiting]) {
      if (w.p(line)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child, exit,
    next: (p) => {
      const found = seen.find(p);
      return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ p, resolve }));
    },
  };
}

describe.skipIf(noLogger !== null)(`loupe listen${noLogger ? ` (skipped: ${noLogger})` : ''}`, () => {
  it('stores what arrives and, on Ctrl-C, stores everything, prints a summary and exits 0', async () => {
    const dir = tempDir();
    const casePath = join(dir, 'live.loupe');
    const l = listen([casePath, '--udp', '127.0.0.1:0', '--tcp', '0', '--no-detect']);
    const ready = await l.next((x) => x.event === 'listening');
    const [udp, tcp] = ready.listeners;
    expect(udp?.id).toMatch(/^syslog\+udp:\/\/127\.0\.0\.1:\d+$/);
    expect(tcp?.id).toMatch(/^syslog\+tcp:\/\/127\.0\.0\.1:\d+$/);
    for (let i = 0; i < 5; i++) {
      await run('logger', ['-n', '127.0.0.1', '-P', String(udp?.port), '-d', '-t', 'app', `udp ${i}`]);
      await run('logger', ['-n', '127.0.0.1', '-P', String(tcp?.port), '-T', '--octet-count', '-t', 'app', `tcp ${i}`]);
    }
    await l.next((x) => x.event === 'status' && x.listeners.every((s) => s.totals.stored === 5));
    l.child.kill('SIGINT');
    const stopped = await l.next((x) => x.event === 'stopped');
    expect(await l.exit).toBe(0);
    expect(stopped.listeners.map((s) => s.totals)).toEqual([
      expect.objectContaining({ received: 5, stored: 5 }), expect.objectContaining({ received: 5, stored: 5 }),
    ]);
    const info = await runCli('info', casePath);
    expect(info.out).toMatch(/syslog over UDP on 127\.0\.0\.1:\d+ — complete/);
    expect(info.out).toMatch(/lines {5}5 total, 5 parsed, 0 unparsed/);
    const events = JSON.parse((await runCli('events', casePath, '--text', 'tcp', '--json')).out) as { message: string }[];
    expect(events.map((e) => e.message).sort()).toEqual(['tcp 0', 'tcp 1', 'tcp 2', 'tcp 3', 'tcp 4']);
  }, 60_000);

  it('killed outright, leaves a case whose live source says it stopped without closing', async () => {
    const dir = tempDir();
    const casePath = join(dir, 'killed.loupe');
    const l = listen([casePath, '--tcp', '127.0.0.1:0', '--no-detect']);
    const ready = await l.next((x) => x.event === 'listening');
    await run('logger', ['-n', '127.0.0.1', '-P', String(ready.listeners[0]?.port), '-T', '-t', 'app', 'before the kill']);
    await l.next((x) => x.event === 'status' && x.listeners[0]?.totals.stored === 1);
    l.child.kill('SIGKILL');
    await l.exit;
    const info = await runCli('info', casePath);
    expect(info.code).toBe(0);
    const again = await runCli('events', casePath, '--json');
    expect((JSON.parse(again.out) as { message: string }[]).map((e) => e.message)).toEqual(['before the kill']);
    // A writable open (as the window's) recovers the source: incomplete, with its count and the reason.
    const detect = await runCli('detect', casePath, '--json');
    expect(detect.code).toBe(0);
    const after = await runCli('info', casePath);
    expect(after.out).toMatch(/— incomplete/);
    expect(after.out).toMatch(/problem {3}the listener stopped without closing/);
  }, 60_000);
});

describe('loupe listen command line', () => {
  it('refuses what it cannot do, with exit 1 or 2 and the reason', async () => {
    const dir = tempDir();
    const casePath = join(dir, 'c.loupe');
    expect(await runCli('listen')).toMatchObject({ code: 2 });
    expect((await runCli('listen', casePath, '--udp', 'example.com:514')).err).toMatch(/--udp "example\.com:514": the host must be an IP address/);
    expect((await runCli('listen', casePath, '--cert', 'c.pem', '--key', 'k.pem')).err).toMatch(/--cert and --key are for a --tls listener/);
    expect((await runCli('listen', casePath, '--tls', '0', '--cert', 'c.pem')).code).toBe(2);
    writeFileSync(join(dir, 'notes.txt'), 'not a case');
    const notCase = await runCli('listen', join(dir, 'notes.txt'));
    expect(notCase.code).toBe(1);
    expect(notCase.err).toMatch(/notes\.txt: (this file is empty|not a Loupe case)/);
    const missing = await runCli('listen', casePath, '--tls', '127.0.0.1:0', '--cert', join(dir, 'none.pem'), '--key', join(dir, 'none.key'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/none\.pem: cannot read the certificate \(ENOENT\)/);
  });
});
