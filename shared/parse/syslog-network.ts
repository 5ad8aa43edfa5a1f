/**
 * Syslog messages as they arrive over the network, one datagram or one TCP frame each. Senders are
 * less tidy than files: RFC 5424 (https://www.rfc-editor.org/rfc/rfc5424); RFC 3164 with or
 * without a hostname (https://www.rfc-editor.org/rfc/rfc3164); Cisco IOS and ASA headers with a
 * sequence number, a `*` or `.` time-sync marker and a colon after the time; a PRI and nothing
 * else; no header at all. Following RFC 3164 4.3.2–4.3.3 (what a relay does), a message without a
 * usable time is given the time it was received, flagged so.
 */
import { EventFlag, UNPARSED, type ParsedEvent } from '../event.ts';
import { bsdEvent } from './formats/syslog.ts';
import { rfc5424Event } from './formats/syslog-5424.ts';
import { applyProgram, createProgramState, type ProgramState } from './programs/index.ts';
import { decodePri, parseBsdHeader, parseRfc5424 } from './syslog-header.ts';
import { YearInference } from './syslog-year.ts';

const HOUR = 3_600_000;

/**
 * `[seq: ][host: ][*|.]Mmm dd[ yyyy] hh:mm:ss[.fff][ ZONE]: message` after the PRI: IOS with
 * `service sequence-numbers` and `logging origin-id`, and the ASA's `Jan 05 2024 10:20:30: %ASA-…`.
 */
const CISCO_RE = /^(?:(\d{1,10}): )?(?:([A-Za-z0-9][\w.-]{0,62}): )?([*.])?((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) {1,2}\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d{1,6})?)(?: ([A-Za-z]{2,5}))?: ([\s\S]*)$/i;
const MNEMONIC_RE = /^%([A-Z0-9_]+-\d-[A-Z0-9_]+): /;
/** A tag without a time before it: `sshd[42]: …`, `kernel: …`. */
const TAG_RE = /^([^\s:[\]]{1,64})(?:\[(\d{1,10})\])?: /;
const UTC_NAMES: ReadonlySet<string> = new Set(['UTC', 'GMT', 'Z', 'UT']);

/**
 * Parses the messages of one live source. Keeps what a file parser keeps between lines (the
 * programs' state, the years inferred), the year of BSD timestamps following the receive time.
 */
export class NetworkSyslogParser {
  readonly timezone: string;
  private readonly state: ProgramState = createProgramState();
  private years: YearInference;
  private readonly yearsUsed = new Set<number>();

  constructor(timezone: string, now: number) {
    this.timezone = timezone;
    this.years = new YearInference(now, timezone);
  }

  /** The event of one message: never null, since every received message is kept. */
  parse(text: string, receivedAt: number): ParsedEvent {
    // The year of a BSD time is the one that does not put it more than a day after its arrival.
    if (receivedAt - this.years.referenceTime > HOUR || receivedAt < this.years.referenceTime - HOUR) {
      this.years = new YearInference(receivedAt, this.timezone);
    }
    const event = this.parseHeader(text);
    if (event === null) return { ts: receivedAt, dataset: UNPARSED, flags: EventFlag.timeReceived };
    if (event.ts === null) {
      event.ts = receivedAt;
      event.flags = (event.flags ?? 0) | EventFlag.timeReceived;
    }
    if (event.flags !== undefined && (event.flags & EventFlag.yearInferred) !== 0) {
      this.yearsUsed.add(new Date(event.ts).getUTCFullYear());
    }
    return event;
  }

  /** In words, for the source record. */
  assumptions(): string[] {
    const out = [`times without an offset are read in ${this.timezone}; messages without a time of their own are dated when they were received`];
    if (this.yearsUsed.size > 0) {
      out.push(`year of RFC 3164 times inferred from the time each message was received: ${[...this.yearsUsed].sort().join(', ')}`);
    }
    return out;
  }

  private parseHeader(text: string): ParsedEvent | null {
    let pri: number | null = null;
    let rest = text;
    if (text.charCodeAt(0) === 60 /* < */) {
      const close = text.indexOf('>');
      const value = close >= 2 && close <= 4 ? Number(text.slice(1, close)) : Number.NaN;
      // An invalid PRI makes the whole text the message (RFC 3164 4.3.3).
      if (Number.isInteger(value) && value >= 0 && value <= 191 && /^\d+$/.test(text.slice(1, close))) {
        pri = value;
        rest = text.slice(close + 1);
      }
    }
    if (pri !== null && /^[1-9]\d{0,2} /.test(rest)) {
      const h = parseRfc5424(text);
      const event = h && rfc5424Event(h, this.timezone, this.state);
      if (event) return event;
    }
    const bsd = parseBsdHeader(pri === null ? rest : `<${pri}>${rest}`);
    if (bsd !== null) {
      const event = bsdEvent(bsd, this.timezone, this.years, this.state);
      if (event) return event;
    }
    return this.cisco(pri, rest) ?? (pri === null ? null : this.priOnly(pri, rest));
  }

  private cisco(pri: number | null, rest: string): ParsedEvent | null {
    const m = CISCO_RE.exec(rest);
    if (!m) return null;
    const [, seq, host, sync, time = '', zoneName, message = ''] = m;
    const h = parseBsdHeader(time);
    if (h === null) return null;
    const utc = zoneName !== undefined && UTC_NAMES.has(zoneName.toUpperCase());
    const years = utc ? new YearInference(this.years.referenceTime, 'UTC') : this.years;
    let flags = utc ? 0 : EventFlag.zoneAssumed;
    let ts: number;
    if (h.year !== null) ts = years.at(h.year, h);
    else {
      ts = years.resolve(h);
      flags |= EventFlag.yearInferred;
    }
    const event: ParsedEvent = { ts, dataset: 'syslog', message };
    if (flags !== 0) event.flags = flags;
    if (host !== undefined) event.host = host;
    const extra: Record<string, unknown> = {};
    if (pri !== null) Object.assign(extra, decodePri(pri));
    if (seq !== undefined) extra.sequence = Number(seq);
    // IOS marks a time it does not trust: `*` never synchronised, `.` synchronisation lost.
    if (sync !== undefined) extra.time_sync = sync === '*' ? 'not synchronised' : 'synchronisation lost';
    if (zoneName !== undefined) extra.time_zone_name = zoneName;
    const mnemonic = MNEMONIC_RE.exec(message);
    if (mnemonic) extra.mnemonic = mnemonic[1];
    event.extra = extra;
    return event;
  }

  private priOnly(pri: number, rest: string): ParsedEvent {
    const event: ParsedEvent = { ts: null, dataset: 'syslog', message: rest };
    const decoded = decodePri(pri);
    if (decoded) event.extra = { ...decoded };
    const tag = TAG_RE.exec(rest);
    let program: string | null = null;
    let message = rest;
    if (tag) {
      program = tag[1] ?? null;
      if (program !== null) event.program = program;
      if (tag[2] !== undefined) event.pid = Number(tag[2]);
      message = rest.slice(tag[0].length);
      event.message = message;
    }
    applyProgram(event, program, message, this.state);
    return event;
  }
}
