/** Helpers for the listener tests: real clients (logger, raw sockets), and what the case stored. */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import type { LiveStatus, ListenerStatus } from './listener-types.ts';
import { afterEach } from 'vitest';
import { LiveSession, type LiveSessionOptions } from './live-session.ts';

const run = promisify(execFile);

/** Why a tool cannot be used here, or null when it can. */
export function missingTool(command: string, versionArg = '--version'): string | null {
  const r = spawnSync(command, [versionArg], { encoding: 'utf8' });
  return r.error ? `${command} is not installed (Debian: apt-get install ${command === 'rsyslogd' ? 'rsyslog' : command === 'logger' ? 'bsdutils' : command})` : null;
}

/** Sends one message with util-linux logger to 127.0.0.1:port. */
export async function logger(port: number, args: readonly string[], message: string): Promise<void> {
  await run('logger', ['-n', '127.0.0.1', '-P', String(port), ...args, '--', message]);
}

/**
 * Sends each line as one message with one logger process (it reads them from its standard input).
 * `tz`: the zone logger stamps RFC 3164 local time in (the process's TZ), as a host set to it would.
 */
export function loggerLines(port: number, args: readonly string[], lines: readonly string[], tz?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('logger', ['-n', '127.0.0.1', '-P', String(port), ...args], {
      stdio: ['pipe', 'ignore', 'pipe'], ...(tz !== undefined ? { env: { ...process.env, TZ: tz } } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`logger exited with ${code}: ${stderr}`))));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

export function tempCase(dir: string): CaseDb {
  return openCase(join(dir, 'case.loupe'), { create: true });
}

/**
 * Live sessions for a test file: the returned function opens a case in `dir` (a new temporary
 * folder by default) with a session on it, and both are closed after the test.
 */
export function useLiveSessions(tempDir: () => string): (options?: LiveSessionOptions, dir?: string) => { c: CaseDb; session: LiveSession } {
  let open: { c: CaseDb; session: LiveSession } | null = null;
  afterEach(async () => {
    await open?.session.close();
    open?.c.close();
    open = null;
  });
  return (options = { detect: false }, dir = tempDir()) => {
    const c = tempCase(dir);
    open = { c, session: new LiveSession(c, options) };
    return open;
  };
}

export interface StoredRow {
  id: number;
  ts: number | null;
  line_no: number;
  dataset: string;
  host: string | null;
  program: string | null;
  pid: number | null;
  src_ip: string | null;
  src_port: number | null;
  user: string | null;
  action: string | null;
  outcome: string | null;
  message: string | null;
  raw: string;
  flags: number;
  extra: Record<string, unknown>;
}

export function storedEvents(c: CaseDb, sourceId: number): StoredRow[] {
  return (c.db.prepare('SELECT * FROM events WHERE source_id = ? ORDER BY id').all(sourceId) as (Omit<StoredRow, 'extra'> & { extra: string | null })[])
    .map((r) => ({ ...r, extra: r.extra === null ? {} : JSON.parse(r.extra) as Record<string, unknown> }));
}

export function listener(status: LiveStatus, id: string): ListenerStatus {
  const l = status.listeners.find((x) => x.id === id);
  if (!l) throw new Error(`no listener ${id}`);
  return l;
}

/** Waits until the listener has stored `n` messages. */
export function storedAtLeast(session: LiveSession, id: string, n: number, timeoutMs = 20_000): Promise<LiveStatus> {
  return session.waitFor((s) => listener(s, id).totals.stored >= n, timeoutMs);
}

/** A raw TCP client (from `localAddress`, another loopback address such as 127.0.0.2, for a second sender): connects, writes, and resolves when the bytes are flushed to the kernel. */
export async function tcpClient(port: number, localAddress?: string): Promise<{ socket: Socket; write(data: string | Buffer): Promise<void>; end(): Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port, ...(localAddress !== undefined ? { localAddress } : {}) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    write: (data) => new Promise((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve()))),
    end: () => new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
    }),
  };
}

/** RFC 6587 octet counting. */
export function octetFrame(message: string | Buffer): Buffer {
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return Buffer.concat([Buffer.from(`${bytes.length} `), bytes]);
}
