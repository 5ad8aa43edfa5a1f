/**
 * Converters from loosely typed field values (JSON values, CSV cells, Zeek fields) to the event
 * model's types. Each returns undefined when the value does not fit, so the caller keeps it in
 * `extra` instead of storing something wrong.
 */
import type { Outcome } from '../event.ts';
import { monthIndex, parseIsoTimestamp, parseOffset } from '../time.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 or an IPv6 address (with an optional `%zone`). */
export function isIp(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!text.includes(':') || text.length > 64) return false;
  const bare = text.replace(/%[\w.-]+$/, '');
  let groups = bare.split(':');
  const last = groups.at(-1) ?? '';
  let width = 8;
  if (last.includes('.')) {
    if (!IPV4.test(last)) return false;
    groups = groups.slice(0, -1);
    width = 6;
  }
  const compressed = bare.indexOf('::');
  if (compressed !== bare.lastIndexOf('::')) return false;
  if (compressed >= 0) {
    const parts = groups.filter((g) => g !== '');
    return parts.length < width && parts.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
  }
  return groups.length === width && groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
}

/** An IP address from a string, or undefined. */
export function toIp(value: unknown): string | undefined {
  return typeof value === 'string' && isIp(value) ? value : undefined;
}

/** A non-negative integer from a number or a digits-only string, at most `max`. */
export function toInt(value: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d{1,16}$/.test(value.trim())) n = Number(value.trim());
  else return undefined;
  return Number.isSafeInteger(n) && n >= 0 && n <= max ? n : undefined;
}

export function toPort(value: unknown): number | undefined {
  return toInt(value, 65_535);
}

/** A non-empty string (numbers are written out, everything else is refused). */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const SUCCESS = new Set(['success', 'succeeded', 'successful', 'ok', 'true', 'yes', 'allow', 'allowed', 'accept', 'accepted', 'pass', 'passed', 'granted']);
const FAILURE = new Set(['failure', 'failed', 'fail', 'false', 'no', 'deny', 'denied', 'reject', 'rejected', 'block', 'blocked', 'drop', 'dropped', 'error']);

/** `success`/`failure`/`unknown` from the words logs use for them; undefined when unrecognised. */
export function toOutcome(value: unknown): Outcome | undefined {
  if (typeof value === 'boolean') return value ? 'success' : 'failure';
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (SUCCESS.has(word)) return 'success';
  if (FAILURE.has(word)) return 'failure';
  return word === 'unknown' ? 'unknown' : undefined;
}

/**
 * Epoch ms from a number of seconds, ms, µs or ns since 1970 (told apart by magnitude: anything
 * from 1973 on in seconds is below 1e11, ms below 1e14, µs below 1e17).
 */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 1e8) return undefined;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  if (n < 1e17) return Math.round(n / 1e3);
  if (n < 1e20) return Math.round(n / 1e6);
  return undefined;
}

export interface TimeValue {
  ts: number;
  zoneAssumed: boolean;
}

/** A timestamp from ISO 8601 text (no offset: `zone` applies) or epoch seconds/ms/µs/ns. */
export function toTimestamp(value: unknown, zone: string): TimeValue | undefined {
  if (typeof value === 'number') {
    const ts = epochToMs(value);
    return ts === undefined ? undefined : { ts, zoneAssumed: false };
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{9,20}(\.\d+)?$/.test(text)) return toTimestamp(Number(text), zone);
  return parseIsoTimestamp(text, zone) ?? parseCommonLogTime(text);
}

/** The Common Log Format time many web servers log: `16/Jun/2026:10:06:00 +0000`. */
function parseCommonLogTime(text: string): TimeValue | undefined {
  const m = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-]\d{4})$/.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, h, mi, s, frac, off] = m;
  const month0 = monthIndex(mon ?? '');
  const offset = parseOffset(off ?? '');
  if (month0 < 0 || offset === null) return undefined;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  return { ts: Date.UTC(Number(y), month0, Number(d), Number(h), Number(mi), Number(s), ms) - offset, zoneAssumed: false };
}
