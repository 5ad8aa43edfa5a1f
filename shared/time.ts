/** Time helpers shared by the parsers. Everything returns UTC epoch milliseconds. */

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** 0-based month of an English abbreviation (`Jan`, `jan`, `JAN`), or -1. */
export function monthIndex(name: string): number {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? -1;
}

/** True when `zone` is an IANA time zone name this runtime knows (or `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Cache of zone offsets per (zone, hour of local wall time): parsing millions of lines asks often. */
const offsetCache = new Map<string, number>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at the UTC instant `utcMs`, in ms (positive east of Greenwich). */
export function zoneOffsetAt(zone: string, utcMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Converts a wall-clock time in `zone` to UTC ms. For times that do not exist (spring forward) or
 * exist twice (fall back), the offset in force just before the change is used, as most tools do.
 */
export function zonedToUtc(
  zone: string, year: number, month0: number, day: number,
  hour: number, minute: number, second: number, ms = 0,
): number {
  const wall = Date.UTC(year, month0, day, hour, minute, second, ms);
  if (zone === 'UTC' || zone === 'Etc/UTC') return wall;
  const key = `${zone}|${Math.floor(wall / 3_600_000)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    // The offset is one of those in force within half a day of the wall time (zones never change
    // twice in a day); a candidate is right when the instant it gives has that very offset.
    const candidates = [...new Set([-43_200_000, 0, 43_200_000].map((d) => zoneOffsetAt(zone, wall + d)))];
    const valid = candidates.filter((o) => zoneOffsetAt(zone, wall - o) === o);
    // Twice (fall back): the first, earlier instant. Never (spring forward): the offset before the change.
    offset = valid.length > 0 ? Math.max(...valid) : Math.min(...candidates);
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return wall - offset;
}

/** Parses `+0200`, `-07:00`, `Z`, `+02` into ms east of UTC, or null. */
export function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}

/**
 * Parses an ISO 8601 / RFC 3339 timestamp (`2026-11-28T08:22:48.123456+01:00`, a space instead of
 * `T`, or no offset, in which case `zone` applies). Fractions beyond ms are dropped. Returns null
 * when the text is not such a timestamp.
 */
export function parseIsoTimestamp(text: string, zone = 'UTC'): { ts: number; zoneAssumed: boolean } | null {
  const fast = isoWithOffset(text);
  if (fast !== undefined) return fast === null ? null : { ts: fast, zoneAssumed: false };
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const month0 = Number(mo) - 1;
  if (month0 > 11 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  if (off) {
    const offset = parseOffset(off);
    if (offset === null) return null;
    return { ts: Date.UTC(Number(y), month0, Number(d), Number(h), Number(mi), Number(s), ms) - offset, zoneAssumed: false };
  }
  return { ts: zonedToUtc(zone, Number(y), month0, Number(d), Number(h), Number(mi), Number(s), ms), zoneAssumed: true };
}

const digit = (text: string, i: number): number => text.charCodeAt(i) - 48;
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const OFFSET_DIGITS = [1, 2, 4, 5];
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

/**
 * The commonest shape, `2026-11-28T08:22:48[.fraction](Z|±hh:mm)` (RFC 5424 and JSON logs), read
 * by character codes: the regular expression and its substrings cost a live listener about a
 * microsecond per message. The same checks as the general path; undefined for any other shape.
 */
function isoWithOffset(text: string): number | null | undefined {
  const n = text.length;
  if (n < 20 || n > 40) return undefined;
  for (const i of DATE_DIGITS) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const t = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (t !== 84 && t !== 32) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  let i = 19;
  let ms = 0;
  const sep = text.charCodeAt(i);
  if (sep === 46 || sep === 44) {
    let digits = 0;
    for (i++; i < n; i++, digits++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (digits < 3) ms += (c - 48) * (digits === 0 ? 100 : digits === 1 ? 10 : 1);
    }
    if (digits === 0) return undefined;
  }
  let offset: number;
  const z = text.charCodeAt(i);
  if ((z === 90 || z === 122) && i === n - 1) offset = 0;
  else if ((z === 43 || z === 45) && i === n - 6 && text.charCodeAt(i + 3) === 58) {
    for (const k of OFFSET_DIGITS) {
      const c = text.charCodeAt(i + k);
      if (c < 48 || c > 57) return undefined;
    }
    offset = (z === 45 ? -1 : 1) * (two(text, i + 1) * 60 + two(text, i + 4)) * 60_000;
  } else return undefined;
  const month0 = two(text, 5) - 1;
  const d = two(text, 8);
  const h = two(text, 11);
  const mi = two(text, 14);
  const sec = two(text, 17);
  if (month0 > 11 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  return Date.UTC(two(text, 0) * 100 + two(text, 2), month0, d, h, mi, sec, ms) - offset;
}

/** ISO text of a UTC ms timestamp, or '' for null. */
export function isoUtc(ts: number | null): string {
  return ts === null ? '' : new Date(ts).toISOString();
}

/** Days in a month (0-based), leap years included: parsers use it to refuse `31/Feb`. */
export function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}
