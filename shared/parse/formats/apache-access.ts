import type { ParsedEvent } from '../../event.ts';
import { matchRatio } from '../detect.ts';
import type { LineParser, LogFormat } from '../types.ts';
import { daysInMonth } from '../../time.ts';

/**
 * Apache and nginx access logs: common, combined and vhost_combined
 * (https://httpd.apache.org/docs/2.4/logs.html#accesslog), with whole-line quoting from some
 * exports and extra fields after the user agent. This is the import hot path, so it scans with
 * indexOf/charCodeAt instead of a regex and parses the date by hand.
 */

const DATASET = 'apache.access';
const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = 32;
const DASH = 45;
const LBRACKET = 91;
const RBRACKET = 93;

export const format: LogFormat = {
  id: 'apache.access',
  title: 'Apache / nginx access log',
  description: 'Apache and nginx access logs: combined, common, vhost_combined, with extra trailing fields',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: () => createAccessParser(),
};

export function createAccessParser(): LineParser {
  // Consecutive lines nearly always share a day, so its Date.UTC result is reused.
  const day = { key: -1, ms: 0 };
  return {
    parse(line) {
      if (line.charCodeAt(0) !== QUOTE) return parseLine(line, day);
      const inner = unwrapQuotedLine(line);
      return inner === null ? null : parseLine(inner, day);
    },
  };
}

interface DayCache { key: number; ms: number }

function parseLine(s: string, day: DayCache): ParsedEvent | null {
  const sp1 = s.indexOf(' ');
  if (sp1 <= 0) return null;
  const sp2 = s.indexOf(' ', sp1 + 1);
  if (sp2 <= sp1 + 1) return null;
  const sp3 = s.indexOf(' ', sp2 + 1);
  if (sp3 <= sp2 + 1) return null;

  let vhost: string | undefined;
  let hostStart = 0;
  let identStart = sp1 + 1;
  let userStart = sp2 + 1;
  let userEnd = sp3;
  if (s.charCodeAt(sp3 + 1) !== LBRACKET) {
    // vhost_combined: `%v:%p ` comes before the client.
    const sp4 = s.indexOf(' ', sp3 + 1);
    if (sp4 <= sp3 + 1 || s.charCodeAt(sp4 + 1) !== LBRACKET) return null;
    vhost = s.slice(0, sp1);
    hostStart = sp1 + 1;
    identStart = sp2 + 1;
    userStart = sp3 + 1;
    userEnd = sp4;
  }
  const t = userEnd + 1;
  const ts = parseClfTime(s, t, day);
  if (Number.isNaN(ts)) return null;
  if (s.charCodeAt(t + 28) !== SPACE || s.charCodeAt(t + 29) !== QUOTE) return null;

  const reqStart = t + 30;
  // A quote inside the request that the server did not escape ends the field too early; the real
  // end is the quote followed by ` <status> `.
  let reqEnd = findQuote(s, reqStart);
  let status = -1;
  while (reqEnd >= 0) {
    if (s.charCodeAt(reqEnd + 1) === SPACE) {
      status = statusAt(s, reqEnd + 2);
      if (status >= 0) break;
    }
    reqEnd = findQuote(s, reqEnd + 1);
  }
  if (reqEnd < 0) return null;

  const bytesStart = reqEnd + 6;
  let bytesEnd = s.indexOf(' ', bytesStart);
  if (bytesEnd < 0) bytesEnd = s.length;
  const bytes = bytesAt(s, bytesStart, bytesEnd);
  if (bytes < 0) return null;

  const event: ParsedEvent = {
    ts,
    dataset: DATASET,
    httpStatus: status,
    httpBytes: bytes,
    outcome: status >= 400 ? 'failure' : 'success',
  };
  const extra: Record<string, unknown> = {};

  const client = s.slice(hostStart, identStart - 1);
  if (isIpLiteral(client)) event.srcIp = client;
  else extra['clientHost'] = client;
  if (vhost !== undefined) extra['vhost'] = vhost;
  if (!isDash(s, identStart, userStart - 1)) extra['ident'] = s.slice(identStart, userStart - 1);
  if (!isDash(s, userStart, userEnd)) event.user = s.slice(userStart, userEnd);

  // Most lines hold no backslash at all: one search here spares one per field.
  const backslash = s.indexOf('\\', reqStart);
  const request = fieldText(s, reqStart, reqEnd, backslash);
  // The request line is kept as the message only when it is not an HTTP request (a TLS probe,
  // garbage); otherwise method, url and version hold all of it and the raw line has it verbatim.
  if (request !== '' && request !== '-' && !splitRequest(request, event)) event.message = request;

  let p = bytesEnd;
  if (p < s.length) {
    if (s.charCodeAt(p + 1) === QUOTE) {
      // Referrer ends at a quote followed by ` "` (the user agent) or the end of the line.
      let refEnd = findQuote(s, p + 2);
      while (refEnd >= 0 && !(refEnd + 1 === s.length || (s.charCodeAt(refEnd + 1) === SPACE && s.charCodeAt(refEnd + 2) === QUOTE))) {
        refEnd = findQuote(s, refEnd + 1);
      }
      if (refEnd < 0) return null;
      if (refEnd > p + 2 && !isDash(s, p + 2, refEnd)) event.referrer = fieldText(s, p + 2, refEnd, backslash);
      p = refEnd + 1;
      if (p < s.length) {
        let uaEnd = findQuote(s, p + 2);
        while (uaEnd >= 0 && !(uaEnd + 1 === s.length || (s.charCodeAt(uaEnd + 1) === SPACE && evenQuotesAfter(s, uaEnd + 1)))) {
          uaEnd = findQuote(s, uaEnd + 1);
        }
        if (uaEnd < 0) return null;
        if (uaEnd > p + 2 && !isDash(s, p + 2, uaEnd)) event.userAgent = fieldText(s, p + 2, uaEnd, backslash);
        p = uaEnd + 1;
      }
    }
    const trailing = s.slice(p).trim();
    if (trailing !== '') extra['trailing'] = trailing;
  }
  for (const _ in extra) {
    event.extra = extra;
    break;
  }
  return event;
}

/**
 * `[10/Oct/2000:13:55:36 -0700]` starting at `i` (the `[`) to UTC ms, or NaN. Fixed width: Apache
 * and nginx always zero-pad.
 */
function parseClfTime(s: string, i: number, day: DayCache): number {
  if (s.charCodeAt(i + 27) !== RBRACKET || s.charCodeAt(i + 3) !== 47 || s.charCodeAt(i + 7) !== 47) return NaN;
  const d = two(s, i + 1);
  const month = monthAt(s, i + 4);
  const y = two(s, i + 8) * 100 + two(s, i + 10);
  const hh = two(s, i + 13);
  const mm = two(s, i + 16);
  const ss = two(s, i + 19);
  const oh = two(s, i + 23);
  const om = two(s, i + 25);
  const sign = s.charCodeAt(i + 22);
  if (d < 1 || d > 31 || month < 0 || y < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60
    || oh < 0 || om < 0 || om > 59 || (sign !== 43 && sign !== DASH)
    || s.charCodeAt(i + 12) !== 58 || s.charCodeAt(i + 15) !== 58 || s.charCodeAt(i + 18) !== 58 || s.charCodeAt(i + 21) !== SPACE) {
    return NaN;
  }
  const key = (y * 12 + month) * 32 + d;
  if (key !== day.key) {
    if (d > daysInMonth(y, month)) return NaN;
    day.key = key;
    day.ms = Date.UTC(y, month, d);
  }
  const offset = (oh * 60 + om) * 60_000;
  return day.ms + ((hh * 60 + mm) * 60 + ss) * 1000 - (sign === DASH ? -offset : offset);
}

/** Two decimal digits at `k`, or -1. */
function two(s: string, k: number): number {
  const a = s.charCodeAt(k) - 48;
  const b = s.charCodeAt(k + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** 0-based month of the English abbreviation at `k` (any case), or -1. */
function monthAt(s: string, k: number): number {
  const code = ((s.charCodeAt(k) | 32) << 16) | ((s.charCodeAt(k + 1) | 32) << 8) | (s.charCodeAt(k + 2) | 32);
  switch (code) {
    case 0x6a616e: return 0; // jan
    case 0x666562: return 1; // feb
    case 0x6d6172: return 2; // mar
    case 0x617072: return 3; // apr
    case 0x6d6179: return 4; // may
    case 0x6a756e: return 5; // jun
    case 0x6a756c: return 6; // jul
    case 0x617567: return 7; // aug
    case 0x736570: return 8; // sep
    case 0x6f6374: return 9; // oct
    case 0x6e6f76: return 10; // nov
    case 0x646563: return 11; // dec
    default: return -1;
  }
}

/** Index of the next `"` at or after `from` that no backslash escapes, or -1. */
function findQuote(s: string, from: number): number {
  let q = s.indexOf('"', from);
  while (q > from && s.charCodeAt(q - 1) === BACKSLASH) {
    let b = q - 1;
    while (b >= from && s.charCodeAt(b) === BACKSLASH) b--;
    if (((q - 1 - b) & 1) === 0) break;
    q = s.indexOf('"', q + 1);
  }
  return q;
}

/**
 * True when the unescaped quotes from `from` on pair up, as the fields after a user agent do; an
 * odd count means the candidate closing quote was an unescaped one inside the value.
 */
function evenQuotesAfter(s: string, from: number): boolean {
  let odd = false;
  for (let q = findQuote(s, from); q >= 0; q = findQuote(s, q + 1)) odd = !odd;
  return !odd;
}

/** Three-digit status at `k` followed by a space, or -1. */
function statusAt(s: string, k: number): number {
  if (s.charCodeAt(k + 3) !== SPACE) return -1;
  const a = s.charCodeAt(k) - 48;
  const bc = two(s, k + 1);
  return a >= 0 && a <= 9 && bc >= 0 ? a * 100 + bc : -1;
}

/** Response size in [start, end): digits, or `-` which CLF writes for zero bytes; -1 otherwise. */
function bytesAt(s: string, start: number, end: number): number {
  if (end === start + 1 && s.charCodeAt(start) === DASH) return 0;
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function isDash(s: string, start: number, end: number): boolean {
  return end === start + 1 && s.charCodeAt(start) === DASH;
}

/** The field text in [start, end); `backslash` is the first one at or after `start`, or -1. */
function fieldText(s: string, start: number, end: number, backslash: number): string {
  return backslash < 0 || backslash >= end ? s.slice(start, end) : unescapeField(s, start, end);
}

/**
 * The field text in [start, end) with Apache's `\"` and `\\` undone. `\xhh` stays as written, so
 * control bytes a client sent (ANSI escapes) never reach the UI as real control characters.
 */
function unescapeField(s: string, start: number, end: number): string {
  const b = s.indexOf('\\', start);
  if (b < 0 || b >= end) return s.slice(start, end);
  let out = s.slice(start, b);
  let k = b;
  while (k < end) {
    const c = s.charCodeAt(k);
    if (c === BACKSLASH && k + 1 < end) {
      const next = s.charCodeAt(k + 1);
      if (next === QUOTE || next === BACKSLASH) {
        out += s[k + 1];
        k += 2;
        continue;
      }
    }
    out += s[k];
    k++;
  }
  return out;
}

/** Splits `GET /x HTTP/1.1` into method, url and version; false for garbage (TLS probes, `-`). */
function splitRequest(request: string, event: ParsedEvent): boolean {
  const sp = request.indexOf(' ');
  if (sp <= 0 || sp > 20 || sp === request.length - 1) return false;
  for (let k = 0; k < sp; k++) {
    const c = request.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || c === DASH || c === 95)) return false;
  }
  const last = request.lastIndexOf(' ');
  if (last > sp && request.startsWith('HTTP/', last + 1)) {
    if (last === sp + 1) return false;
    event.url = request.slice(sp + 1, last);
    event.httpVersion = request.slice(last + 1);
  } else {
    event.url = request.slice(sp + 1);
  }
  event.httpMethod = request.slice(0, sp);
  return true;
}

/** IPv4 dotted quad or IPv6 text; anything else in `%h` is a resolved host name. */
function isIpLiteral(text: string): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  const v6 = text.includes(':');
  let colons = 0;
  let dots = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 58) colons++;
    else if (c === 46) dots++;
    // Hex letters only once a colon shows the text is IPv6: `cafe.de` is a host name.
    else if (!((c >= 48 && c <= 57) || (v6 && ((c >= 97 && c <= 102) || (c >= 65 && c <= 70))))) return false;
  }
  return v6 ? colons >= 2 : dots === 3;
}

/**
 * Some exports quote the whole line and escape its inner quotes (`"1.2.3.4 - - [...] \"GET / ...\""`),
 * CSV ones double them. Undoes `\"` and `\\` (other backslashes stay, so Apache's own `\xhh`
 * escapes survive) or `""`. The request is always quoted, so a line without `\"` is CSV style.
 */
function unwrapQuotedLine(line: string): string | null {
  let end = line.length - 1;
  while (end > 0 && (line.charCodeAt(end) === SPACE || line.charCodeAt(end) === 9)) end--;
  if (end < 2 || line.charCodeAt(end) !== QUOTE) return null;
  if (line.includes('\\"')) return unescapeField(line, 1, end);
  return line.slice(1, end).replaceAll('""', '"');
}
