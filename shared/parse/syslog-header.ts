/**
 * Syslog headers as pure functions, shared by the file formats and the live listener:
 * RFC 3164 / BSD lines as daemons write them to files (https://www.rfc-editor.org/rfc/rfc3164),
 * with rsyslog's RFC 3339 variant, and RFC 5424 messages (https://www.rfc-editor.org/rfc/rfc5424).
 */
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7',
] as const;
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** Facility and severity names of a PRI value (0..191), or null when out of range. */
export function decodePri(pri: number): { facility: string; severity: string } | null {
  if (!Number.isInteger(pri) || pri < 0) return null;
  const facility = FACILITIES[pri >> 3];
  const severity = SEVERITIES[pri & 7];
  return facility === undefined || severity === undefined ? null : { facility, severity };
}

/** A line in the RFC 3164 family. Exactly one of `iso` and the wall-clock fields describes the time. */
export interface BsdHeader {
  pri: number | null;
  /** RFC 3339 timestamp text (rsyslog's high-precision file format); null for a BSD timestamp. */
  iso: string | null;
  /** BSD timestamp fields (`Nov 28 08:22:48`); `year` is null when the line omits it, as usual. */
  year: number | null;
  month0: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  host: string | null;
  program: string | null;
  pid: number | null;
  message: string;
}

const ISO_TOKEN_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:[Zz]|[+-]\d\d(?::?\d\d)?)?$/;

/**
 * Parses an RFC 3164 style line (optional `<PRI>`, BSD or RFC 3339 time, host, `tag[pid]: `), or
 * null. Scanned by hand rather than with one regex: this runs on every line of every syslog file.
 */
export function parseBsdHeader(line: string): BsdHeader | null {
  const h: BsdHeader = {
    pri: null, iso: null, year: null, month0: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0,
    host: null, program: null, pid: null, message: '',
  };
  let i = 0;
  if (line.charCodeAt(0) === 60 /* < */) {
    const close = line.indexOf('>');
    if (close < 2 || close > 4) return null;
    const pri = digits(line, 1, close - 1);
    if (pri < 0 || pri > 191) return null;
    h.pri = pri;
    i = close + 1;
  }
  i = isDigit(line.charCodeAt(i)) ? readIsoTime(line, i, h) : readBsdTime(line, i, h);
  if (i < 0) return null;
  if (i < line.length) {
    if (line.charCodeAt(i) !== 32) return null;
    while (line.charCodeAt(i) === 32) i++;
    if (i < line.length) readHostTag(line, i, h);
  }
  return h;
}

function readIsoTime(line: string, i: number, h: BsdHeader): number {
  const sp = line.indexOf(' ', i);
  const end = sp < 0 ? line.length : sp;
  const token = line.slice(i, end);
  if (!ISO_TOKEN_RE.test(token)) return -1;
  h.iso = token;
  return end;
}

/** `Nov 28 08:22:48`, `Nov  3 08:22:48.123456`, `Nov 28 2026 08:22:48`; returns the index after it, or -1. */
function readBsdTime(line: string, i: number, h: BsdHeader): number {
  const month = MONTHS.get(((line.charCodeAt(i) | 32) << 16) | ((line.charCodeAt(i + 1) | 32) << 8) | (line.charCodeAt(i + 2) | 32));
  if (month === undefined || line.charCodeAt(i + 3) !== 32) return -1;
  h.month0 = month;
  i += line.charCodeAt(i + 4) === 32 ? 5 : 4;
  const dayLen = isDigit(line.charCodeAt(i + 1)) ? 2 : 1;
  h.day = digits(line, i, dayLen);
  i += dayLen;
  if (line.charCodeAt(i) !== 32) return -1;
  i++;
  if (line.charCodeAt(i + 4) === 32 && line.charCodeAt(i + 2) !== 58) {
    h.year = digits(line, i, 4);
    if (h.year < 0) return -1;
    i += 5;
  }
  h.hour = digits(line, i, 2);
  h.minute = line.charCodeAt(i + 2) === 58 ? digits(line, i + 3, 2) : -1;
  h.second = line.charCodeAt(i + 5) === 58 ? digits(line, i + 6, 2) : -1;
  if (h.day < 1 || h.day > 31 || h.hour < 0 || h.hour > 23 || h.minute < 0 || h.minute > 59 || h.second < 0 || h.second > 60) return -1;
  i += 8;
  const sep = line.charCodeAt(i);
  if ((sep === 46 /* . */ || sep === 44 /* , */) && isDigit(line.charCodeAt(i + 1))) {
    let end = i + 1;
    while (isDigit(line.charCodeAt(end))) end++;
    if (end - i - 1 > 9) return -1;
    const n = Math.min(3, end - i - 1);
    h.ms = digits(line, i + 1, n) * (n === 1 ? 100 : n === 2 ? 10 : 1);
    i = end;
  }
  return i;
}

/** `host program[pid]: message`; a first token ending in ':' is a tag, the daemon wrote no host. */
function readHostTag(line: string, i: number, h: BsdHeader): void {
  const len = line.length;
  const sp = line.indexOf(' ', i);
  const hostEnd = sp < 0 ? len : sp;
  if (line.charCodeAt(hostEnd - 1) !== 58 /* : */) {
    h.host = line.slice(i, hostEnd);
    i = sp < 0 ? len : sp + 1;
  }
  let j = i;
  for (; j < len; j++) {
    const c = line.charCodeAt(j);
    if (c <= 32 || c === 58 || c === 91 || c === 93) break;
  }
  let k = j;
  let pid: number | null = null;
  if (j > i && line.charCodeAt(k) === 91 /* [ */) {
    let end = k + 1;
    while (isDigit(line.charCodeAt(end))) end++;
    if (end > k + 1 && end - k - 1 <= 10 && line.charCodeAt(end) === 93 /* ] */) {
      pid = digits(line, k + 1, end - k - 1);
      k = end + 1;
    } else {
      k = -1;
    }
  }
  // rsyslog always writes a space after the tag's colon.
  if (j > i && k > 0 && line.charCodeAt(k) === 58 && (k + 1 === len || line.charCodeAt(k + 1) === 32)) {
    h.program = line.slice(i, j);
    h.pid = pid;
    h.message = k + 2 <= len ? line.slice(k + 2) : '';
  } else {
    h.message = line.slice(i);
  }
}

const MONTHS = new Map<number, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
    .map((m, index) => [(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), index]),
);

/** The decimal number in `count` characters from `i`, or -1 when one is not a digit. */
function digits(line: string, i: number, count: number): number {
  let n = 0;
  for (let k = i; k < i + count; k++) {
    const c = line.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** RFC 5424 structured data: SD-ID → param → value (an array when a param is repeated, as 6.3.3 allows). */
export type StructuredData = Record<string, Record<string, string | string[]>>;

export interface Rfc5424Header {
  pri: number;
  version: number;
  /** RFC 3339 text, or null for the nil value. */
  timestamp: string | null;
  host: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  sd: StructuredData | null;
  /** True when the structured data was malformed; the message then holds the rest of the line. */
  sdInvalid: boolean;
  message: string;
}

const HEAD_5424_RE = /^<(\d{1,3})>([1-9]\d{0,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Parses an RFC 5424 message (section 6), or null when the header does not fit. */
export function parseRfc5424(line: string): Rfc5424Header | null {
  const m = HEAD_5424_RE.exec(line);
  if (!m) return null;
  const pri = Number(m[1]);
  if (pri > 191) return null;
  const h: Rfc5424Header = {
    pri, version: Number(m[2]),
    timestamp: nil(m[3]), host: nil(m[4]), appName: nil(m[5]), procId: nil(m[6]), msgId: nil(m[7]),
    sd: null, sdInvalid: false, message: '',
  };
  let i = m[0].length;
  if (line.charCodeAt(i) === 45 /* - */ && (i + 1 === line.length || line.charCodeAt(i + 1) === 32)) {
    i += 2;
  } else {
    const sd: StructuredData = {};
    const end = line.charCodeAt(i) === 91 /* [ */ ? readStructuredData(line, i, sd) : -1;
    if (end >= 0 && (end === line.length || line.charCodeAt(end) === 32)) {
      h.sd = sd;
      i = end + 1;
    } else {
      h.sdInvalid = true;
    }
  }
  let message = i < line.length ? line.slice(i) : '';
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  h.message = message;
  return h;
}

function nil(token: string | undefined): string | null {
  return token === undefined || token === '-' ? null : token;
}

/** Reads SD-ELEMENTs from `i` into `out`; returns the index after the last `]`, or -1 if malformed. */
function readStructuredData(line: string, i: number, out: StructuredData): number {
  while (line.charCodeAt(i) === 91 /* [ */) {
    const idEnd = scanName(line, i + 1);
    if (idEnd === i + 1) return -1;
    const params = (out[line.slice(i + 1, idEnd)] ??= {});
    i = idEnd;
    while (line.charCodeAt(i) === 32) {
      const nameEnd = scanName(line, i + 1);
      if (nameEnd === i + 1 || line.charCodeAt(nameEnd) !== 61 /* = */ || line.charCodeAt(nameEnd + 1) !== 34 /* " */) return -1;
      const name = line.slice(i + 1, nameEnd);
      let value = '';
      let j = nameEnd + 2;
      for (;;) {
        if (j >= line.length) return -1;
        const c = line.charCodeAt(j);
        if (c === 34) break;
        // Only `\"`, `\\` and `\]` are escapes; any other backslash is literal (6.3.3).
        if (c === 92 && j + 1 < line.length) {
          const n = line.charCodeAt(j + 1);
          if (n === 34 || n === 92 || n === 93) {
            value += line[j + 1];
            j += 2;
            continue;
          }
        }
        value += line[j];
        j++;
      }
      const prev = params[name];
      params[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      i = j + 1;
    }
    if (line.charCodeAt(i) !== 93 /* ] */) return -1;
    i++;
  }
  return i;
}

/** End of an SD-NAME starting at `i`: printable ASCII except `=`, space, `]`, `"`. */
function scanName(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i;
}
