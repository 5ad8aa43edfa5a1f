/**
 * The body of a Linux audit record: `key=value` pairs (values bare, "double-quoted", or a
 * 'single-quoted' msg whose inner text holds more pairs), mixed with bare words
 * (`auditd normal halt, sending auid=?`). Values that auditd writes as hex because they hold
 * spaces, quotes or control characters are decoded here
 * (https://github.com/linux-audit/audit-documentation/wiki/SPEC-Audit-Event-Enrichment).
 */
import { hexBytes, utf8Text } from './text-decode.ts';

export interface AuditBody {
  /** In order of appearance; a key seen twice keeps its last value (`old auid=… new auid=…`). */
  fields: Map<string, string>;
  /** Keys whose value was written bare (only those may be hex-encoded). */
  bare: Set<string>;
  words: string[];
  /** The inner text of `msg='…'`. */
  msg?: string;
}

const KEY = /\(?([A-Za-z0-9_.\-[\]]+)=/y;

export function tokenizeAudit(text: string, into?: AuditBody): AuditBody {
  const body: AuditBody = into ?? { fields: new Map(), bare: new Set(), words: [] };
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    KEY.lastIndex = i;
    const m = KEY.exec(text);
    if (!m) {
      const end = nextSpace(text, i);
      body.words.push(text.slice(i, end));
      i = end;
      continue;
    }
    const key = m[1] ?? '';
    i = KEY.lastIndex;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, i + 1);
      const end = close < 0 ? text.length : close;
      const value = text.slice(i + 1, end);
      i = close < 0 ? text.length : close + 1;
      if (quote === "'" && key === 'msg') {
        body.msg = value;
        tokenizeAudit(value, body);
        continue;
      }
      set(body, key, value, false);
      continue;
    }
    if (quote === '{') {
      // Enriched SADDR={ saddr_fam=inet laddr=… } is one value with spaces inside.
      const close = text.indexOf('}', i);
      const end = close < 0 ? text.length : close + 1;
      set(body, key, text.slice(i, end), false);
      i = end;
      continue;
    }
    const end = nextSpace(text, i);
    set(body, key, trimBare(text.slice(i, end)), true);
    i = end;
  }
  return body;
}

function set(body: AuditBody, key: string, value: string, bare: boolean): void {
  body.fields.delete(key);
  body.fields.set(key, value);
  if (bare) body.bare.add(key);
  else body.bare.delete(key);
}

function nextSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Old PAM records write `(hostname=?, addr=?, terminal=cron res=success)`; some keys end in a stray `"`. */
function trimBare(value: string): string {
  let v = value.replace(/,$/, '');
  if (v.endsWith(')') && !v.includes('(')) v = v.slice(0, -1);
  if (v.endsWith('"') && v.indexOf('"') === v.length - 1) v = v.slice(0, -1);
  return v;
}

/** Keys auditd logs as "untrusted strings": quoted when printable, hex otherwise. */
const HEX_KEYS = new Set([
  'proctitle', 'cmd', 'exe', 'comm', 'ocomm', 'name', 'cwd', 'acct', 'key', 'data', 'path', 'dir', 'file',
  'cgroup', 'device', 'root_dir', 'vm', 'watch',
]);
const EXECVE_ARG = /^a\d+(\[\d+\])?$/;
const UPPER_HEX = /^(?:[0-9A-F]{2})+$/;

/** True when the bare value of `key` in a record of `type` is hex to decode. */
export function isHexField(type: string, key: string, value: string): boolean {
  if (!UPPER_HEX.test(value)) return false;
  return HEX_KEYS.has(key) || (type === 'EXECVE' && EXECVE_ARG.test(key));
}

/** Decodes one hex field: proctitle's NUL-separated argv reads as spaces, multiple rule keys split on \x01. */
export function decodeHexField(key: string, hex: string): string | string[] {
  const text = utf8Text(hexBytes(hex));
  if (key === 'proctitle') return text.replace(/\0+$/, '').replace(/\0/g, ' ');
  if (key === 'key' && text.includes('\x01')) return text.split('\x01');
  return text;
}

export interface SockAddr {
  family: string;
  addr?: string;
  port?: number;
  path?: string;
}

/** A `SOCKADDR` record's `saddr` (a raw `struct sockaddr`): inet, inet6 and unix families. */
export function decodeSockaddr(hex: string): SockAddr | undefined {
  if (!UPPER_HEX.test(hex) || hex.length < 4) return undefined;
  const b = hexBytes(hex);
  const at = (i: number): number => b[i] ?? 0;
  const family = at(0) | (at(1) << 8);
  const port = (at(2) << 8) | at(3);
  if (family === 2 && b.length >= 8) return { family: 'inet', addr: b.slice(4, 8).join('.'), port };
  if (family === 10 && b.length >= 24) return { family: 'inet6', addr: ipv6Text(b.slice(8, 24)), port };
  if (family === 1) {
    const rest = b.slice(2);
    // A leading NUL marks Linux's abstract socket namespace, shown as `@name` by ss and netstat.
    const abstract = rest[0] === 0;
    const bytes = abstract ? rest.slice(1) : rest;
    const nul = bytes.indexOf(0);
    const path = utf8Text(nul < 0 ? bytes : bytes.slice(0, nul));
    return { family: 'local', path: abstract ? `@${path}` : path };
  }
  return { family: family === 16 ? 'netlink' : String(family) };
}

/** RFC 5952 text of 16 address bytes: lower case, longest zero run as `::`, v4-mapped dotted. */
function ipv6Text(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12, 16).join('.')}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    if (j > i) i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
