/**
 * Syslog over TLS (RFC 5425) with `openssl s_client` as the sender: the self-signed certificate
 * Loupe makes is verified by the client against itself as CA, octet-counted frames arrive and are
 * stored; an analyst's own certificate and key work too; a client that does not speak TLS is
 * counted as a failed handshake, and nothing from it is stored.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { listener, octetFrame, storedAtLeast, storedEvents, tcpClient, useLiveSessions } from './test-support.ts';
import { makeSelfSigned } from './tls-cert.ts';

const tempDir = useTempDir();
const noOpenssl = spawnSync('openssl', ['version']).error ? 'openssl is not installed (Debian: apt-get install openssl)' : null;
const liveSession = useLiveSessions(tempDir);

/**
 * Sends `input` through `openssl s_client`, verifying the server against `caFile`; resolves with
 * what openssl said about the verification once it has sent everything and closed.
 */
function sClient(port: number, caFile: string, input: Buffer): Promise<string> {
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', caFile, '-verify_return_error', '-verify_ip', '127.0.0.1', '-quiet', '-no_ign_eof'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(err));
  });
}

describe.skipIf(noOpenssl !== null)(`live syslog over TLS${noOpenssl ? ` (skipped: ${noOpenssl})` : ''}`, () => {
  it('receives octet-counted frames from openssl s_client, which verifies the self-signed certificate', async () => {
    const dir = tempDir();
    const { c, session } = liveSession(undefined, dir);
    const l = await session.start({ transport: 'tls', port: 0, tls: { selfSignedDir: join(dir, 'tls') } });
    expect(l.tls).toMatchObject({ selfSigned: true, certPath: join(dir, 'tls', 'loupe-syslog-cert.pem') });
    expect(l.forwarding.rsyslog.join('\n')).toContain(`DefaultNetstreamDriverCAFile="${l.tls?.certPath}"`);
    const messages = Array.from({ length: 5 }, (_, i) => `<38>1 2026-11-28T11:00:0${i}Z web01 sshd 77 - - Failed password for root from 192.0.2.${i} port 22 ssh2`);
    const said = await sClient(l.port, l.tls?.certPath as string, Buffer.concat(messages.map(octetFrame)));
    expect(said).toMatch(/verify return:1/);
    expect(said).not.toMatch(/verify error/);
    const status = await storedAtLeast(session, l.id, 5);
    expect(storedEvents(c, l.sourceId).map((e) => [e.dataset, e.src_ip])).toEqual(messages.map((_, i) => ['sshd', `192.0.2.${i}`]));
    expect(listener(status, l.id).totals).toMatchObject({ received: 5, stored: 5, tlsFailures: 0, connections: 1 });
    await session.stop(l.id);
    expect(c.db.prepare('SELECT tls_fingerprint, tls_self_signed FROM syslog_listeners WHERE source_id = ?').get(l.sourceId))
      .toEqual({ tls_fingerprint: l.tls?.fingerprint256, tls_self_signed: 1 });
  });

  it('uses the analyst\'s certificate and key, and counts a client that does not speak TLS', async () => {
    const dir = tempDir();
    const { cert, key } = makeSelfSigned(['127.0.0.1']);
    writeFileSync(join(dir, 'mine.pem'), cert);
    writeFileSync(join(dir, 'mine.key'), key);
    const { c, session } = liveSession(undefined, dir);
    const l = await session.start({ transport: 'tls', port: 0, tls: { certPath: join(dir, 'mine.pem'), keyPath: join(dir, 'mine.key') } });
    expect(l.tls).toMatchObject({ selfSigned: false });
    const plain = await tcpClient(l.port);
    await plain.write('<13>Nov 28 11:00:00 h app: this is not TLS\n');
    const failed = await session.waitFor((s) => listener(s, l.id).totals.tlsFailures === 1);
    expect(listener(failed, l.id).totals.received).toBe(0);
    plain.socket.destroy();
    const said = await sClient(l.port, join(dir, 'mine.pem'), Buffer.from('<13>1 2026-11-28T11:00:00Z h app - - - over tls\n'));
    expect(said).not.toMatch(/verify error/);
    await storedAtLeast(session, l.id, 1);
    expect(storedEvents(c, l.sourceId).map((e) => e.message)).toEqual(['over tls']);
    await session.stop(l.id);
    expect(c.db.prepare('SELECT tls_failures FROM syslog_peers WHERE source_id = ?').pluck().get(l.sourceId)).toBe(1);
  });
});
