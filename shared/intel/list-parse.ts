/**
 * Reads blocklists and IoC lists: plain address/network lists, FireHOL and Spamhaus netsets
 * (`#` comments, `; remark` after an entry), CSV with an indicator column, and JSON lines such as
 * Spamhaus DROP's `drop_v4.json` (https://www.spamhaus.org/blocklists/do-not-route-or-peer/).
 * The date a list describes is read from its header when it states one.
 */
import { guessDelimiter, splitCsvLine } from '../parse/csv-line.ts';
import { networkText, parseIp, parseNetwork, v4RangeNetworks, type Network } from './ip.ts';

export const LIST_FORMATS = ['plain', 'netset', 'csv', 'jsonl'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export interface ListEntry {
  network: Network;
  /** 1-based line of the file. */
  line: number;
  /** What the list says about the entry (a `; SBL123` remark, the other CSV cells), capped. */
  note: string | null;
}

export interface ListParseResult {
  format: ListFormat;
  entries: ListEntry[];
  /** Lines that held something that is not an address or network (comments and blank lines excluded). */
  rejected: number;
  /** The first few rejected lines, for the import report. */
  rejectedSamples: { line: number; text: string }[];
  /** The date the header states (UTC epoch ms) and the header line it came from. */
  headerDate: { ms: number; text: string } | null;
  /** The CSV column the indicators came from. */
  column: string | null;
}

export interface ListParseOptions {
  /** Force a format instead of recognising it. */
  format?: ListFormat;
  /** CSV: the header name (or 1-based number) of the indicator column. */
  column?: string;
}

export class ListParseError extends Error {}

const MAX_NOTE = 200;
const MAX_SAMPLES = 5;
const INDICATOR_HEADERS = /^(ip|ips|ip_?address(es)?|ipaddress|addr|address|indicator|ioc|value|observable|src_?ip|source_?ip|dst_?ip|cidr|network|netblock|net|prefix|subnet|range)$/i;
const JSON_KEYS = ['cidr', 'ip', 'ip_address', 'ipAddress', 'indicator', 'ioc', 'value', 'network', 'prefix'];

const clip = (s: string): string | null => {
  const t = s.trim();
  return t === '' ? null : t.length > MAX_NOTE ? `${t.slice(0, MAX_NOTE)}…` : t;
};

/**
 * The networks an indicator names: an address, a CIDR network, an `a-b` IPv4 range, or an IPv4
 * address with a port (`192.0.2.1:8080`, as IoC feeds write C2 endpoints). Empty when none.
 */
export function indicatorNetworks(text: string): Network[] {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (t === '') return [];
  const net = parseNetwork(t);
  if (net) return [net];
  const dash = t.indexOf('-');
  if (dash > 0) {
    const a = parseIp(t.slice(0, dash).trim());
    const b = parseIp(t.slice(dash + 1).trim());
    if (a?.family === 4 && b?.family === 4 && a.n <= b.n) return v4RangeNetworks(a.n, b.n);
    return [];
  }
  const port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(t);
  if (port) {
    const ip = parseNetwork(port[1] as string);
    return ip ? [ip] : [];
  }
  return [];
}

/** Header keys that date a list, best first. */
const DATE_KEYS = ['this file date', 'last-modified', 'last modified', 'generated', 'generated on', 'generated at', 'last updated',
  'updated', 'date', 'source file date', 'timestamp'];
const HEADER_DATE = /^[#;/\s]*([A-Za-z][A-Za-z -]*?)\s*[:=]\s*(.+?)[\s#;]*$/;

/** A header's date text as UTC epoch ms; text without a time zone is read as UTC. */
export function parseHeaderDate(text: string): number | undefined {
  const t = text.trim();
  if (/^\d{10}$/.test(t)) return Number(t) * 1000;
  if (/^\d{13}$/.test(t)) return Number(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = iso;
    const z = /^(utc|gmt)$/i.test(zone) ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${z.toUpperCase()}`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const slashed = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(t);
  if (slashed) return Date.UTC(Number(slashed[1]), Number(slashed[2]) - 1, Number(slashed[3]));
  if (!/[a-z]{3}/i.test(t) || !/\d{4}/.test(t)) return undefined;
  // Date.parse reads a text without a zone in the machine's zone; Loupe's results must not depend on it.
  const zoned = /\b(UTC|GMT|Z)\b|[+-]\d{2}:?\d{2}\b/.test(t) ? t : `${t} UTC`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

function headerDateOf(lines: readonly string[]): { ms: number; text: string } | null {
  let best: { rank: number; ms: number; text: string } | null = null;
  for (const raw of lines) {
    const m = HEADER_DATE.exec(raw);
    if (!m) continue;
    const rank = DATE_KEYS.indexOf((m[1] as string).toLowerCase());
    if (rank < 0 || (best && best.rank <= rank)) continue;
    const ms = parseHeaderDate(m[2] as string);
    if (ms !== undefined) best = { rank, ms, text: raw.trim().slice(0, MAX_NOTE) };
  }
  return best && { ms: best.ms, text: best.text };
}

function isComment(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 35 /* # */ || c === 59 /* ; */ || line.startsWith('//');
}

function recognise(lines: readonly string[], opts: ListParseOptions): ListFormat {
  if (opts.format) return opts.format;
  const content = lines.find((l) => l.trim() !== '' && !isComment(l.trim()));
  if (content === undefined) return 'plain';
  const first = content.trim();
  if (first.startsWith('{')) return 'jsonl';
  const delimiter = guessDelimiter(first);
  const cells = splitCsvLine(first, delimiter);
  // A first line of several cells, one of them an indicator header or none of them an address.
  if (cells && cells.length > 1) {
    if (opts.column !== undefined || cells.some((c) => INDICATOR_HEADERS.test(c.trim()))) return 'csv';
    // `;` separates Spamhaus remarks; a row whose first cell is the entry reads as a plain list.
    const addresses = cells.map((c) => indicatorNetworks(c).length > 0);
    if (delimiter !== ';' && !addresses[0]) return 'csv';
  }
  return lines.some((l) => isComment(l.trim())) ? 'netset' : 'plain';
}

class Collector {
  entries: ListEntry[] = [];
  rejected = 0;
  samples: { line: number; text: string }[] = [];

  /** `shown`: the line as the report quotes it when it is rejected. */
  add(text: string, line: number, note: string | null, shown = text): void {
    const nets = indicatorNetworks(text);
    if (nets.length === 0) {
      this.rejected++;
      if (this.samples.length < MAX_SAMPLES) this.samples.push({ line, text: shown.slice(0, MAX_NOTE) });
      return;
    }
    for (const network of nets) this.entries.push({ network, line, note });
  }
}

function parseLines(lines: readonly string[], c: Collector): void {
  lines.forEach((raw, i) => {
    let line = raw.trim();
    if (line === '' || isComment(line)) return;
    let note: string | null = null;
    const remark = line.search(/\s[;#]/);
    if (remark >= 0) {
      note = clip(line.slice(remark + 2));
      line = line.slice(0, remark).trim();
    }
    // `1.2.3.0/24 SBL123` or `1.2.3.4\tscanner`: the first field is the entry, the rest its note.
    const space = line.search(/[\s,]/);
    if (space >= 0) {
      note = clip([line.slice(space + 1), note ?? ''].join(' '));
      line = line.slice(0, space);
    }
    c.add(line, i + 1, note);
  });
}

function parseCsv(lines: readonly string[], c: Collector, column: string | undefined): string {
  const firstAt = lines.findIndex((l) => l.trim() !== '' && !isComment(l.trim()));
  if (firstAt < 0) return '';
  const first = (lines[firstAt] as string).trim();
  const delimiter = guessDelimiter(first);
  const cells = (splitCsvLine(first, delimiter) ?? []).map((h) => h.trim());
  // A first row with an address in it is data (feeds whose header is a comment, or that have none).
  const headed = !cells.some((cell) => indicatorNetworks(cell).length > 0);
  const names = headed ? cells : cells.map((_, k) => `column ${k + 1}`);
  let index: number;
  if (column !== undefined) {
    index = /^\d+$/.test(column) ? Number(column) - 1 : names.findIndex((n) => n.toLowerCase() === column.toLowerCase());
    if (index < 0 || index >= names.length) {
      throw new ListParseError(`no column "${column}" in the CSV (columns: ${names.join(', ')})`);
    }
  } else {
    index = headed ? names.findIndex((n) => INDICATOR_HEADERS.test(n)) : cells.findIndex((cell) => indicatorNetworks(cell).length > 0);
    if (index < 0) {
      throw new ListParseError(`no indicator column found in the CSV header (columns: ${names.join(', ')}); name the column`);
    }
  }
  for (let i = headed ? firstAt + 1 : firstAt; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '' || isComment(raw)) continue;
    const row = splitCsvLine(raw, delimiter);
    if (!row) {
      c.add(raw, i + 1, null);
      continue;
    }
    const note = clip(row.filter((_, k) => k !== index).map((v) => v.trim()).filter(Boolean).join(' | '));
    c.add(row[index] ?? '', i + 1, note, raw);
  }
  return names[index] as string;
}

function parseJsonLines(lines: readonly string[], c: Collector): { ms: number; text: string } | null {
  let date: { ms: number; text: string } | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || isComment(line)) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      c.add(line, i + 1, null);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      c.add(line, i + 1, null);
      return;
    }
    const obj = value as Record<string, unknown>;
    // Spamhaus ends its JSON files with {"type":"metadata","timestamp":…}.
    if (obj['type'] === 'metadata') {
      const ts = obj['timestamp'];
      if (typeof ts === 'number' && Number.isFinite(ts)) date = { ms: ts < 1e12 ? ts * 1000 : ts, text: line.slice(0, MAX_NOTE) };
      return;
    }
    const key = JSON_KEYS.find((k) => typeof obj[k] === 'string');
    const rest = Object.entries(obj).filter(([k]) => k !== key).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    c.add(key === undefined ? line : (obj[key] as string), i + 1, clip(rest.join(' ')));
  });
  return date;
}

/** Parses a list file's text. Throws ListParseError when a CSV has no usable indicator column. */
export function parseList(text: string, opts: ListParseOptions = {}): ListParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const format = recognise(lines, opts);
  const c = new Collector();
  let column: string | null = null;
  let headerDate: { ms: number; text: string } | null = null;
  switch (format) {
    case 'plain':
    case 'netset':
      parseLines(lines, c);
      break;
    case 'csv':
      column = parseCsv(lines, c, opts.column);
      break;
    case 'jsonl':
      headerDate = parseJsonLines(lines, c);
      break;
    default:
      return format satisfies never;
  }
  // The header is the comment block before the first entry.
  const firstEntry = c.entries[0]?.line ?? lines.length;
  headerDate ??= headerDateOf(lines.slice(0, firstEntry).filter((l) => isComment(l.trim())));
  return { format, entries: c.entries, rejected: c.rejected, rejectedSamples: c.samples, headerDate, column };
}

/** An entry's network as the list is shown (`192.0.2.0/24`). */
export function entryText(e: ListEntry): string {
  return networkText(e.network);
}
