import type { ParsedEvent } from '../../event.ts';
import { EventFlag } from '../../event.ts';
import { matchRatio } from '../detect.ts';
import type { LineParser, LogFormat, ParseContext } from '../types.ts';
import { daysInMonth, zonedToUtc } from '../../time.ts';

/**
 * nginx error log (https://nginx.org/en/docs/ngx_core_module.html#error_log):
 *   `2024/01/15 10:23:45 [error] 1234#5678: *99 message, client: 203.0.113.5, server: x, request: "GET / HTTP/1.1", host: "x"`
 * nginx appends the request context as `, key: value` pairs after the message. Timestamps are
 * local time without an offset, so the source's zone applies.
 */

const DATASET = 'nginx.error';

const LINE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[(debug|info|notice|warn|error|crit|alert|emerg)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/;
const CLIENT = ', client: ';
// Context pairs in the order nginx writes them (http, mail and stream modules):
// `, key: "quoted"` (nginx does not escape quotes inside) or `, key: bare`.
const CONTEXT_KEYS = ['client', 'server', 'login', 'request', 'subrequest', 'upstream', 'host', 'referrer'];
const PAIR_KEY = /^, ([a-z]+): /;
const HTTP_VERSION_END = / HTTP\/\d(?:\.\d)?$/;

export const format: LogFormat = {
  id: 'nginx.error',
  title: 'nginx error log',
  description: 'nginx error logs, with their client and request context',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: (ctx) => createNginxErrorParser(ctx),
};

export function createNginxErrorParser(ctx: ParseContext): LineParser {
  let zoneAssumed = false;
  return {
    parse(line) {
      const m = LINE.exec(line);
      if (m === null) return null;
      const [, y, mo, d, hh, mi, ss, level = '', pid, tid, connection, rest = ''] = m;
      const month0 = Number(mo) - 1;
      const day = Number(d);
      if (month0 < 0 || month0 > 11 || day < 1 || day > daysInMonth(Number(y), month0)
        || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 60) return null;
      zoneAssumed = true;

      const event: ParsedEvent = {
        ts: zonedToUtc(ctx.timezone, Number(y), month0, day, Number(hh), Number(mi), Number(ss)),
        dataset: DATASET,
        pid: Number(pid),
        flags: EventFlag.zoneAssumed,
      };
      const extra: Record<string, unknown> = { level, tid: Number(tid) };
      if (connection !== undefined) extra['connection'] = Number(connection);

      const split = splitContext(rest);
      if (split.message !== '') event.message = split.message;
      for (const [key, value] of split.context) applyContext(key, value, event, extra);
      event.extra = extra;
      return event;
    },
    assumptions() {
      return zoneAssumed ? [`timestamps carry no UTC offset; read as ${ctx.timezone}`] : [];
    },
  };
}

function applyContext(key: string, value: string, event: ParsedEvent, extra: Record<string, unknown>): void {
  switch (key) {
    case 'client':
      if (isIpText(value)) event.srcIp = value;
      else extra['client'] = value;
      return;
    case 'request': {
      const m = /^([A-Z][A-Z_-]{0,19}) (\S.*?)(?: (HTTP\/[\d.]+))?$/.exec(value);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        event.httpMethod = m[1];
        event.url = m[2];
        if (m[3] !== undefined) event.httpVersion = m[3];
      } else {
        extra['request'] = value;
      }
      return;
    }
    case 'referrer':
      event.referrer = value;
      return;
    default:
      extra[key] = value;
  }
}

interface Split { message: string; context: [string, string][] }

/**
 * Separates the message from nginx's trailing context. The message can quote client-chosen text
 * (`open() "/var/www/<path>" failed`), so a `, client: ` inside an open quote is passed over, and
 * the one taken is the first whose tail reads as context pairs. Quotes inside the message are not
 * escaped (FastCGI stderr), so when no balanced candidate fits, the first that fits at all is used.
 * A crafted request can still make this ambiguous; the raw line is always kept.
 */
function splitContext(text: string): Split {
  let fallback: Split | null = null;
  for (let at = text.indexOf(CLIENT); at >= 0; at = text.indexOf(CLIENT, at + 1)) {
    const context = parseContextTail(text, at);
    if (context === null) continue;
    const split = { message: text.slice(0, at), context };
    if (evenQuotes(text, at)) return split;
    fallback ??= split;
  }
  return fallback ?? { message: text, context: [] };
}

function evenQuotes(text: string, end: number): boolean {
  let n = 0;
  for (let k = text.indexOf('"'); k >= 0 && k < end; k = text.indexOf('"', k + 1)) n++;
  return n % 2 === 0;
}

/** The `, key: ` at `p` when `key` may follow the key at `rank` in nginx's order, else -1. */
function keyAt(text: string, p: number, rank: number): { rank: number; length: number } | null {
  const m = PAIR_KEY.exec(text.slice(p, p + 16));
  if (m?.[1] === undefined) return null;
  const next = CONTEXT_KEYS.indexOf(m[1]);
  return next > rank ? { rank: next, length: m[0].length } : null;
}

/**
 * The quote that closes a value: one that ends the line or starts a later pair. A request line
 * holds raw client text, so there the first such quote right after ` HTTP/x.y` is preferred.
 */
function closingQuote(text: string, from: number, rank: number): number | null {
  let first: number | null = null;
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) {
    if (q !== text.length - 1 && keyAt(text, q + 1, rank) === null) continue;
    if (CONTEXT_KEYS[rank] !== 'request' || HTTP_VERSION_END.test(text.slice(Math.max(from, q - 9), q))) return q;
    first ??= q;
  }
  return first;
}

function parseContextTail(text: string, start: number): [string, string][] | null {
  const pairs: [string, string][] = [];
  let p = start;
  let rank = -1;
  while (p < text.length) {
    const key = keyAt(text, p, rank);
    if (key === null || (rank === -1 && key.rank !== 0)) return null;
    rank = key.rank;
    const name = CONTEXT_KEYS[rank] ?? '';
    const valueStart = p + key.length;
    if (text.charCodeAt(valueStart) === 34) {
      // nginx cuts error lines at 2048 bytes, which can leave the last value unterminated.
      const end = closingQuote(text, valueStart + 1, rank) ?? text.length;
      pairs.push([name, text.slice(valueStart + 1, end)]);
      p = end + 1;
    } else {
      let end = text.indexOf(', ', valueStart);
      while (end >= 0 && keyAt(text, end, rank) === null) end = text.indexOf(', ', end + 1);
      if (end < 0) end = text.length;
      pairs.push([name, text.slice(valueStart, end)]);
      p = end;
    }
  }
  return pairs[0] !== undefined && pairs[0][1] !== '' ? pairs : null;
}

function isIpText(text: string): boolean {
  return /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/.test(text);
}
