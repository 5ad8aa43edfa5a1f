import type { ParsedEvent } from '../../event.ts';
import { EventFlag } from '../../event.ts';
import { matchRatio } from '../detect.ts';
import type { LineParser, LogFormat, ParseContext } from '../types.ts';
import { daysInMonth, monthIndex, parseIsoTimestamp, zonedToUtc } from '../../time.ts';

/**
 * Apache httpd error log, 2.2 and 2.4 default layouts
 * (https://httpd.apache.org/docs/2.4/mod/core.html#errorlogformat):
 *   2.2  `[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] message`
 *   2.4  `[Thu Jun 27 06:59:03.123456 2019] [core:error] [pid 1:tid 2] (13)Denied: [client 10.0.0.1:5123] AH00126: message, referer: x`
 * Timestamps carry no offset, so the source's zone applies.
 */

const DATASET = 'apache.error';

// [time] [module:level] [pid P:tid T] file.c(123): (errno)text: [client a:p] [remote a:p] message
const LINE = new RegExp(
  String.raw`^\[([^\]]{19,40})\] \[(?:([\w.-]*):)?(emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\]`
  + String.raw`(?: \[pid (\d+)(?::tid (\d+))?\])?`
  + String.raw`(?: ([\w.-]+\.c\(\d+\)):)?`
  + String.raw`(?: (\(-?\d+\)[^:\[]*):)?`
  + String.raw`((?: \[(?:client|remote) [^\]\s]+\])*)`
  + String.raw`(?: (.*))?$`,
);
const CTIME = /^[A-Z][a-z]{2} ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})$/;
const PEER = / \[(client|remote) ([^\]\s]+)\]/g;
const CODE = /^(AH\d{5}): /;
// Startup messages written before logging is set up have no timestamp (`AH00558: apache2: Could not…`).
const BARE_CODE = /^AH\d{5}: \S/;
const REFERER = ', referer: ';

export const format: LogFormat = {
  id: 'apache.error',
  title: 'Apache error log',
  description: 'Apache 2.2 and 2.4 error logs',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: (ctx) => createApacheErrorParser(ctx),
};

export function createApacheErrorParser(ctx: ParseContext): LineParser {
  let zoneAssumed = false;
  return {
    parse(line) {
      const m = LINE.exec(line);
      if (m === null) return BARE_CODE.test(line) ? bareCodeEvent(line) : null;
      const [, time = '', module, level = '', pid, tid, sourceFile, osError, peers = '', rest = ''] = m;
      const ts = parseErrorTime(time, ctx.timezone);
      if (ts === null) return null;
      zoneAssumed = true;

      const event: ParsedEvent = { ts, dataset: DATASET, flags: EventFlag.zoneAssumed };
      const extra: Record<string, unknown> = { level };
      if (module) extra['module'] = module;
      if (pid !== undefined) event.pid = Number(pid);
      if (tid !== undefined) extra['tid'] = Number(tid);
      if (sourceFile !== undefined) extra['sourceFile'] = sourceFile;
      if (osError !== undefined) extra['osError'] = osError;

      // 2.4 appends the port after the last colon; 2.2 logs the bare address.
      const withPort = module !== undefined || pid !== undefined;
      for (const [, kind, address = ''] of peers.matchAll(PEER)) {
        const peer = splitPeer(address, withPort);
        if (kind === 'client') {
          event.srcIp = peer.ip;
          if (peer.port !== undefined) event.srcPort = peer.port;
        } else {
          extra['remote'] = address;
        }
      }

      let message = rest;
      const ref = message.lastIndexOf(REFERER);
      if (ref >= 0) {
        const referrer = message.slice(ref + REFERER.length);
        if (referrer !== '' && referrer !== '-') event.referrer = referrer;
        message = message.slice(0, ref);
      }
      const code = CODE.exec(message);
      if (code?.[1] !== undefined) extra['code'] = code[1];
      if (message !== '') event.message = message;
      event.extra = extra;
      return event;
    },
    assumptions() {
      return zoneAssumed ? [`timestamps carry no UTC offset; read as ${ctx.timezone}`] : [];
    },
  };
}

function bareCodeEvent(line: string): ParsedEvent {
  return { ts: null, dataset: DATASET, message: line, extra: { code: line.slice(0, 7) } };
}

/** `Wed Oct 11 14:32:52 2000`, with optional microseconds, or ISO (`%{cu}t`), read in `zone`. */
function parseErrorTime(text: string, zone: string): number | null {
  const m = CTIME.exec(text);
  if (m === null) {
    const iso = parseIsoTimestamp(text, zone);
    return iso !== null && iso.zoneAssumed ? iso.ts : null;
  }
  const [, mon = '', d, hh, mm, ss, frac, y] = m;
  const month0 = monthIndex(mon);
  const day = Number(d);
  if (month0 < 0 || day < 1 || day > daysInMonth(Number(y), month0)
    || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return null;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  return zonedToUtc(zone, Number(y), month0, day, Number(hh), Number(mm), Number(ss), ms);
}

function splitPeer(address: string, withPort: boolean): { ip: string; port?: number } {
  // `[2001:db8::1]:443` is not what httpd writes, but proxies and rewriters do.
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(address);
  if (bracketed?.[1] !== undefined) return { ip: bracketed[1], port: Number(bracketed[2]) };
  const colon = address.lastIndexOf(':');
  if (colon < 0 || !/^\d{1,5}$/.test(address.slice(colon + 1))) return { ip: address };
  // One colon is IPv4 with a port; more is IPv6, where only the 2.4 layout says a port follows.
  if (!withPort && address.indexOf(':') !== colon) return { ip: address };
  return { ip: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}
