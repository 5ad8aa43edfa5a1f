/**
 * The certificate and key of the TLS listener (RFC 5425): the analyst's own, or a self-signed one
 * Loupe makes in pure Node (an EC P-256 key from node:crypto, the certificate written with der.ts).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { basename, dirname, extname, join } from 'node:path';
import { ipBytes } from './bind-address.ts';
import {
  bitString, boolean, explicit, implicit, objectId, octetString, sequence, set, smallInteger, time, unsignedInteger, utf8String,
} from './der.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** SHA-256 fingerprint, colon-separated hex, as openssl and browsers show it; senders can pin it. */
  fingerprint256: string;
  selfSigned: boolean;
  validTo: string;
}

export class TlsMaterialError extends Error {}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(objectId(OID.organization), utf8String('Loupe'))),
    set(sequence(objectId(OID.commonName), utf8String(commonName))),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectId(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** GeneralName entries: IP addresses as iPAddress, names as dNSName (RFC 5280 4.2.1.6). */
function altNames(hosts: readonly string[]): Buffer {
  const entries = hosts.map((h) => {
    const ip = ipBytes(h);
    return ip === null ? implicit(2, Buffer.from(h, 'ascii')) : implicit(7, ip);
  });
  return sequence(...entries);
}

/**
 * A self-signed certificate for `hosts` (the first is its common name). It is its own CA
 * (basicConstraints CA:TRUE), so a sender can trust it by naming the file as its CA file.
 */
export function makeSelfSigned(hosts: readonly string[], days = 825, now = new Date()): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = sequence(objectId(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f; // positive, as RFC 5280 4.1.2.2 wants
  const subject = name(hosts[0] ?? 'localhost');
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    subject,
    sequence(time(new Date(now.getTime() - 3_600_000)), time(new Date(now.getTime() + days * 86_400_000))),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      // digitalSignature (bit 0) and keyCertSign (bit 5): 10000100, the last 2 bits unused.
      extension(OID.keyUsage, true, bitString(Buffer.from([0x84]), 2)),
      extension(OID.extKeyUsage, false, sequence(objectId(OID.serverAuth))),
      extension(OID.subjectAltName, false, altNames(hosts)),
    )),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Reads and checks a certificate and key: both parse, the key is the certificate's, it has not expired. */
export function loadTlsMaterial(certPath: string, keyPath: string, selfSigned = false): TlsMaterial {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(certPath, 'utf8');
  } catch (err) {
    throw new TlsMaterialError(`${certPath}: cannot read the certificate (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    key = readFileSync(keyPath, 'utf8');
  } catch (err) {
    throw new TlsMaterialError(`${keyPath}: cannot read the key (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let x509: X509Certificate;
  let keyObject: KeyObject;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new TlsMaterialError(`${certPath}: not a PEM certificate (${(err as Error).message})`);
  }
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    throw new TlsMaterialError(`${keyPath}: not a PEM private key, or one with a passphrase (${(err as Error).message})`);
  }
  if (!x509.checkPrivateKey(keyObject)) throw new TlsMaterialError(`${keyPath} is not the key of the certificate ${certPath}`);
  if (Date.parse(x509.validTo) < Date.now()) throw new TlsMaterialError(`${certPath}: the certificate expired on ${x509.validTo}`);
  return { cert, key, certPath, keyPath, fingerprint256: x509.fingerprint256, selfSigned, validTo: x509.validTo };
}

/** Where a case's self-signed TLS pair is kept and reused: beside the case, in `CASE-tls/`. */
export function selfSignedDir(casePath: string): string {
  return join(dirname(casePath), `${basename(casePath, extname(casePath))}-tls`);
}

/**
 * The self-signed certificate kept in `dir` (made on first use, then reused so that senders that
 * trust it keep trusting it). A new one is made when it expires within a day or does not name a host.
 */
export function ensureSelfSigned(dir: string, hosts: readonly string[]): TlsMaterial {
  const certPath = join(dir, 'loupe-syslog-cert.pem');
  const keyPath = join(dir, 'loupe-syslog-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    try {
      const found = loadTlsMaterial(certPath, keyPath, true);
      const x509 = new X509Certificate(found.cert);
      const covers = hosts.every((h) => (isIP(h) ? x509.checkIP(h) : x509.checkHost(h)) !== undefined);
      if (covers && Date.parse(found.validTo) > Date.now() + 86_400_000) return found;
    } catch {
      // Unreadable or not a pair any more: make a new one below.
    }
  }
  mkdirSync(dir, { recursive: true });
  const made = makeSelfSigned(hosts);
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  writeFileSync(certPath, made.cert);
  return loadTlsMaterial(certPath, keyPath, true);
}
