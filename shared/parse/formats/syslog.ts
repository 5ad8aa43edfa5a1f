import { EventFlag, type ParsedEvent } from '../../event.ts';
import { parseIsoTimestamp } from '../../time.ts';
import { matchRatio } from '../detect.ts';
import { applyProgram, createProgramState, type ProgramState } from '../programs/index.ts';
import { decodePri, parseBsdHeader, type BsdHeader } from '../syslog-header.ts';
import { YearInference } from '../syslog-year.ts';
import type { LineParser, LogFormat, ParseContext } from '../types.ts';

/**
 * Lines as syslog daemons write them to files: BSD (`Nov 28 08:22:48 host sshd[42]: …`, RFC 3164)
 * and rsyslog's RFC 3339 variant (`2026-11-28T08:22:48.123456+01:00 host sshd[42]: …`).
 */
export const format: LogFormat = {
  id: 'syslog',
  title: 'syslog (RFC 3164 / BSD, rsyslog file format)',
  description: 'BSD and high-precision syslog files, with the auth.log family: sshd, sudo, su, account changes, cron, logind, PAM',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: createSyslogParser,
};

function createSyslogParser(ctx: ParseContext): LineParser {
  const years = new YearInference(ctx.referenceTime, ctx.timezone);
  const state = createProgramState();
  return {
    parse(line) {
      const h = parseBsdHeader(line);
      return h === null ? null : bsdEvent(h, ctx.timezone, years, state);
    },
    assumptions: () => years.describe(),
  };
}

/**
 * The event of a parsed RFC 3164 header, its program's message read too; null when its RFC 3339
 * time is not a real time. Shared with the live listener, so a received line gets the fields a
 * file line gets.
 */
export function bsdEvent(h: BsdHeader, timezone: string, years: YearInference, state: ProgramState): ParsedEvent | null {
  let ts: number;
  let flags: number = EventFlag.zoneAssumed;
  if (h.iso !== null) {
    const t = parseIsoTimestamp(h.iso, timezone);
    if (t === null) return null;
    ts = t.ts;
    if (!t.zoneAssumed) flags = 0;
  } else if (h.year !== null) {
    ts = years.at(h.year, h);
  } else {
    ts = years.resolve(h);
    flags |= EventFlag.yearInferred;
  }
  const event: ParsedEvent = { ts, dataset: 'syslog', message: h.message };
  if (flags !== 0) event.flags = flags;
  if (h.host !== null) event.host = h.host;
  if (h.program !== null) event.program = h.program;
  if (h.pid !== null) event.pid = h.pid;
  if (h.pri !== null) {
    const pri = decodePri(h.pri);
    if (pri) event.extra = { facility: pri.facility, severity: pri.severity };
  }
  applyProgram(event, h.program, h.message, state);
  return event;
}
