import { EventFlag, type ParsedEvent } from '../../event.ts';
import { parseIsoTimestamp } from '../../time.ts';
import { matchRatio } from '../detect.ts';
import { applyProgram, createProgramState, type ProgramState } from '../programs/index.ts';
import { decodePri, parseRfc5424, type Rfc5424Header } from '../syslog-header.ts';
import type { LineParser, LogFormat, ParseContext } from '../types.ts';

/** RFC 5424 messages, one a line (rsyslog's RSYSLOG_SyslogProtocol23Format, syslog-ng's syslog()). */
export const format: LogFormat = {
  id: 'syslog.rfc5424',
  title: 'syslog (RFC 5424)',
  description: 'Syslog with structured data (RFC 5424)',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: createRfc5424Parser,
};

function createRfc5424Parser(ctx: ParseContext): LineParser {
  const state = createProgramState();
  return {
    parse(line) {
      const h = parseRfc5424(line);
      return h === null ? null : rfc5424Event(h, ctx.timezone, state);
    },
  };
}

/**
 * The event of a parsed RFC 5424 message, its program's message read too; null when its time is
 * not a real time. Shared with the live listener.
 */
export function rfc5424Event(h: Rfc5424Header, timezone: string, state: ProgramState): ParsedEvent | null {
  let ts: number | null = null;
  let flags = 0;
  if (h.timestamp !== null) {
    const t = parseIsoTimestamp(h.timestamp, timezone);
    if (t === null) return null;
    ts = t.ts;
    // RFC 5424 requires an offset; a sender that leaves it out gets the source's zone.
    if (t.zoneAssumed) flags = EventFlag.zoneAssumed;
  }
  // rsyslog's RSYSLOG_SyslogProtocol23Format writes %msg%, which keeps the space that followed the
  // tag in the original RFC 3164 line; without it the message reads as a file import reads it.
  const message = h.message.charCodeAt(0) === 32 ? h.message.slice(1) : h.message;
  const event: ParsedEvent = { ts, dataset: 'syslog', message };
  if (flags !== 0) event.flags = flags;
  if (h.host !== null) event.host = h.host;
  if (h.appName !== null) event.program = h.appName;
  const extra: Record<string, unknown> = {};
  if (h.procId !== null) {
    if (/^\d{1,10}$/.test(h.procId)) event.pid = Number(h.procId);
    else extra.procid = h.procId;
  }
  if (h.msgId !== null) extra.msgid = h.msgId;
  if (h.sd !== null) extra.sd = h.sd;
  if (h.sdInvalid) extra.sdInvalid = true;
  const pri = decodePri(h.pri);
  if (pri) Object.assign(extra, pri);
  if (h.version !== 1) extra.version = h.version;
  event.extra = extra;
  applyProgram(event, h.appName, message, state);
  return event;
}
