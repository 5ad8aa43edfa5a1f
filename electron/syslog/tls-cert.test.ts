import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { ensureSelfSigned, loadTlsMaterial, makeSelfSigned, TlsMaterialError } from './tls-cert.ts';

const tempDir = useTempDir();
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('self-signed certificate', () => {
  it('names the hosts it is for and is its own issuer, as Node reads it', () => {
    const { cert } = makeSelfSigned(['localhost', '127.0.0.1', '::1']);
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toContain('CN=localhost');
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    expect(x509.checkIP('10.0.0.1')).toBeUndefined();
    expect(x509.ca).toBe(true);
  });

  it('verifies with openssl as its own CA', (ctx) => {
    if (!hasOpenssl) {
      ctx.skip('openssl is not installed');
      return;
    }
    const dir = tempDir();
    const { cert } = makeSelfSigned(['localhost', '127.0.0.1']);
    writeFileSync(join(dir, 'c.pem'), cert);
    const r = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'c.pem'), '-purpose', 'sslserver', join(dir, 'c.pem')], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`${join(dir, 'c.pem')}: OK`);
  });

  it('is made once per folder and reused, the key readable by its owner only', () => {
    const dir = tempDir();
    const first = ensureSelfSigned(dir, ['127.0.0.1']);
    const again = ensureSelfSigned(dir, ['127.0.0.1']);
    expect(again.fingerprint256).toBe(first.fingerprint256);
    expect(first.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(statSync(first.keyPath).mode & 0o077).toBe(0);
    // A host it does not cover makes a new one.
    expect(ensureSelfSigned(dir, ['127.0.0.1', '192.0.2.10']).fingerprint256).not.toBe(first.fingerprint256);
  });

  it('refuses a key that is not the certificate\'s, and unreadable files, naming them', () => {
    const dir = tempDir();
    const a = makeSelfSigned(['localhost']);
    const b = makeSelfSigned(['localhost']);
    writeFileSync(join(dir, 'a.pem'), a.cert);
    writeFileSync(join(dir, 'b-key.pem'), b.key);
    expect(() => loadTlsMaterial(join(dir, 'a.pem'), join(dir, 'b-key.pem'))).toThrow(/b-key\.pem is not the key of the certificate .*a\.pem/);
    expect(() => loadTlsMaterial(join(dir, 'none.pem'), join(dir, 'b-key.pem'))).toThrow(TlsMaterialError);
    writeFileSync(join(dir, 'junk.pem'), 'hello');
    expect(() => loadTlsMaterial(join(dir, 'junk.pem'), join(dir, 'b-key.pem'))).toThrow(/junk\.pem: not a PEM certificate/);
    expect(readFileSync(join(dir, 'a.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });
});
