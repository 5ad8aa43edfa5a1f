/**
 * A real rsyslogd forwarding to the listener, as an analyst would point a host at Loupe: run
 * unprivileged-style with its own configuration, pid file, work directory and input socket in a
 * temp folder; `logger` writes to that socket; rsyslog forwards over UDP (`@`), TCP (`@@`, LF
 * framing), TCP with octet counting and RFC 5424, and TLS (gtls driver, trusting Loupe's
 * self-signed certificate). Every message must arrive once on each path, read as file import
 * reads it.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, watch, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDb } from '../engine/case-db.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveSession } from './live-session.ts';
import { listener, missingTool, storedAtLeast, storedEvents, tempCase } from './test-support.ts';

const run = promisify(execFile);
const tempDir = useTempDir();
const noRsyslog = missingTool('rsyslogd', '-v') ?? missingTool('logger', '-V');
const GTLS = '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';
const noGtls = spawnSync('sh', ['-c', 'ls /usr/lib/*/rsyslog/lmnsd_gtls.so']).status === 0 ? null : `rsyslog's gtls driver is not installed (Debian: apt-get install rsyslog-gnutls; looked for ${GTLS})`;
let cleanup: (() => Promise<void>) | null = null;

afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** Starts rsyslogd with `config` in `dir`; resolves once its input socket exists. */
async function startRsyslog(dir: string, actions: string[], global = ''): Promise<{ socket: string; stop(): Promise<void> }> {
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const socket = join(dir, 'log.sock');
  const config = join(dir, 'rsyslog.conf');
  writeFileSync(config, [
    `global(workDirectory="${work}"${global})`,
    'module(load="imuxsock" SysSock.Use="off")',
    `input(type="imuxsock" Socket="${socket}" CreatePath="on")`,
    ...actions,
    '',
  ].join('\n'));
  const check = spawnSync('rsyslogd', ['-N1', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`rsyslogd refused the configuration:\n${check.stderr}`);
  const child: ChildProcess = spawn('rsyslogd', ['-n', '-f', config, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const watcher = watch(dir, () => {
      if (existsSync(socket)) done();
    });
    const done = (): void => {
      watcher.close();
      resolve();
    };
    child.once('exit', (code) => {
      watcher.close();
      reject(new Error(`rsyslogd exited (${code}) before it was ready: ${stderr}`));
    });
    if (existsSync(socket)) done();
  });
  return {
    socket,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe.skipIf(noRsyslog !== null)(`rsyslogd forwarding to the listener${noRsyslog ? ` (skipped: ${noRsyslog})` : ''}`, () => {
  it('receives every message forwarded over UDP, TCP (newline and octet-counted RFC 5424) and TLS', async (ctx) => {
    const dir = tempDir();
    const c: CaseDb = tempCase(dir);
    const session = new LiveSession(c, { detect: false });
    let rsyslog: Awaited<ReturnType<typeof startRsyslog>> | null = null;
    cleanup = async () => {
      await rsyslog?.stop();
      await session.close();
      c.close();
    };
    const udp = await session.start({ transport: 'udp', port: 0 });
    const tcp = await session.start({ transport: 'tcp', port: 0 });
    const tls = noGtls === null ? await session.start({ transport: 'tls', port: 0, tls: { selfSignedDir: join(dir, 'tls') } }) : null;
    const actions = [
      `*.* action(type="omfwd" target="127.0.0.1" port="${udp.port}" protocol="udp")`,
      `*.* action(type="omfwd" target="127.0.0.1" port="${tcp.port}" protocol="tcp")`,
      `*.* action(type="omfwd" target="127.0.0.1" port="${tcp.port}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
    ];
    if (tls) {
      actions.push(`*.* action(type="omfwd" target="127.0.0.1" port="${tls.port}" protocol="tcp" StreamDriver="gtls" StreamDriverMode="1" ` +
        'StreamDriverAuthMode="x509/certvalid" template="RSYSLOG_SyslogProtocol23Format")');
    }
    rsyslog = await startRsyslog(dir, actions, tls ? ` DefaultNetstreamDriverCAFile="${tls.tls?.certPath}"` : '');
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      const text = `Failed password for invalid user probe${i} from 198.51.100.${i + 1} port ${50000 + i} ssh2`;
      sent.push(text);
      await run('logger', ['-u', rsyslog.socket, '-t', 'sshd', '-i', '-p', 'authpriv.warning', '--', text]);
    }
    await storedAtLeast(session, udp.id, 10);
    await storedAtLeast(session, tcp.id, 20);
    if (tls) await storedAtLeast(session, tls.id, 10);
    await rsyslog.stop();
    rsyslog = null;
    const status = await session.close();

    const check = (sourceId: number, copies: number): void => {
      const events = storedEvents(c, sourceId).filter((e) => e.program === 'sshd');
      expect(events.map((e) => e.message).sort()).toEqual(sent.flatMap((s) => Array<string>(copies).fill(s)).sort());
      for (const e of events) {
        expect(e).toMatchObject({ dataset: 'sshd', host: hostname().split('.')[0], action: 'login', outcome: 'failure', extra: { facility: 'authpriv', severity: 'warning' } });
        expect(e.src_ip).toMatch(/^198\.51\.100\.\d+$/);
        expect(e.user).toMatch(/^probe\d$/);
      }
    };
    check(udp.sourceId, 1);
    check(tcp.sourceId, 2);
    // One connection per forwarding action: newline framing on one, octet counting on the other.
    expect(listener(status, tcp.id).totals).toMatchObject({ connections: 2, malformed: 0 });
    expect(listener(status, udp.id).totals.kernelDrops).toBe(0);
    if (tls) {
      check(tls.sourceId, 1);
      expect(listener(status, tls.id).totals).toMatchObject({ tlsFailures: 0, malformed: 0 });
    } else {
      ctx.annotate(`TLS part skipped: ${noGtls}`);
    }
  }, 60_000);
});
