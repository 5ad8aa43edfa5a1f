/** Where a listener binds: `HOST:PORT`, `[V6]:PORT`, or a port alone (on 127.0.0.1). */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Transport } from './live-source.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5514;
/** RFC 5425 section 4.1 assigns 6514 to syslog over TLS. */
export const DEFAULT_TLS_PORT = 6514;

export interface BindAddress {
  host: string;
  port: number;
}

export class BindAddressError extends Error {}

/** Parses a bind address; the host must be an IP address (a name could resolve to any interface). */
export function parseBindAddress(text: string, defaultPort: number = DEFAULT_PORT): BindAddress {
  let host = DEFAULT_HOST;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(text);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2];
  } else if (/^\d+$/.test(text)) {
    portText = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon > 0 && text.indexOf(':') === colon) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    } else {
      host = text;
    }
  }
  if (host === 'localhost') host = DEFAULT_HOST;
  if (isIP(host) === 0) {
    throw new BindAddressError(`"${text}": the host must be an IP address such as 127.0.0.1, 0.0.0.0 or [::1]`);
  }
  const port = portText === undefined || portText === '' ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BindAddressError(`"${text}": ${portText} is not a port (0–65535)`);
  return { host, port };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === '::1' || /^127\./.test(host);
}

/** `127.0.0.1:5514`, `[::1]:5514`. */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The sender's address as counters and events show it: IPv4-mapped IPv6 written as IPv4. */
export function peerAddress(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** The bytes of an IP address (4 or 16), or null for anything else. */
export function ipBytes(host: string): Buffer | null {
  const family = isIP(host);
  if (family === 4) return Buffer.from(host.split('.').map(Number));
  if (family !== 6) return null;
  const [head = '', tail] = host.split('::');
  const words = (s: string): number[] => {
    if (s === '') return [];
    const parts = s.split(':');
    const last = parts.at(-1) ?? '';
    // An IPv4 tail (`::ffff:1.2.3.4`) is two words.
    if (isIP(last) === 4) {
      const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
      return [...parts.slice(0, -1).map((w) => parseInt(w, 16)), (a << 8) | b, (c << 8) | d];
    }
    return parts.map((w) => parseInt(w, 16));
  };
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}

/** The names a self-signed certificate must carry for senders to reach `host` (every interface's address for a wildcard). */
export function certificateHosts(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  if (host === '0.0.0.0' || host === '::') {
    for (const list of Object.values(networkInterfaces())) {
      for (const i of list ?? []) if (!i.internal && (host === '::' || i.family === 'IPv4')) names.push(i.address.replace(/%.*$/, ''));
    }
  } else names.push(host);
  return [...new Set(names)];
}

export function bindProblem(transport: Transport, host: string, port: number, err: NodeJS.ErrnoException): string {
  const where = `${formatHostPort(host, port)}/${transport}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `${where} is already in use by another program (another syslog daemon?); choose another port`;
    case 'EACCES':
      return `${where}: permission denied; ports below 1024 need administrator rights, use one above (5514) and forward to it`;
    case 'EADDRNOTAVAIL':
      return `${where}: this machine has no interface with address ${host}`;
    default:
      return `${where}: cannot listen (${err.message})`;
  }
}
