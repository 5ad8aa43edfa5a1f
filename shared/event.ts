/**
 * Loupe's event model: what every parser produces and every case stores.
 * Field names here are camelCase; `ECS_FIELDS` maps them to the Elastic Common Schema names the
 * API and exports use (https://www.elastic.co/guide/en/ecs/current/ecs-field-reference.html).
 */

/** What a parser returns for one line it understood. */
export interface ParsedEvent {
  /** UTC epoch milliseconds, or null when the line carries no usable time. */
  ts: number | null;
  /** e.g. `apache.access`, `sshd`, `sudo`, `auditd`, `syslog`, `zeek.conn`. */
  dataset: string;
  host?: string;
  program?: string;
  pid?: number;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  user?: string;
  /** What happened, lower-case and stable: `login`, `logout`, `invalid-user`, `sudo`, `useradd`… */
  action?: string;
  outcome?: Outcome;
  httpMethod?: string;
  url?: string;
  /** `HTTP/1.1`, `HTTP/2.0`… as the log writes it. */
  httpVersion?: string;
  httpStatus?: number;
  httpBytes?: number;
  referrer?: string;
  userAgent?: string;
  message?: string;
  /** Format-specific fields, stored as JSON. Keys are the format's own names. */
  extra?: Record<string, unknown>;
  /** `EventFlag` bits the parser knows of (`yearInferred`, `zoneAssumed`). */
  flags?: number;
}

export type Outcome = 'success' | 'failure' | 'unknown';

/** Dataset of a line no parser understood; it is kept with its raw text. */
export const UNPARSED = 'unparsed';

/** Bit flags stored on every event. */
export const EventFlag = {
  /** The line was longer than the size cap and was cut; `raw` holds its start. */
  truncated: 1,
  /** The line was not valid UTF-8; `raw` has U+FFFD where bytes were invalid, the bytes are kept too. */
  invalidUtf8: 2,
  /** The timestamp's year was not in the line and was inferred. */
  yearInferred: 4,
  /** The timestamp had no offset and the source's timezone was applied. */
  zoneAssumed: 8,
  /** The message carried no usable time of its own (live syslog); `ts` is when Loupe received it. */
  timeReceived: 16,
} as const;

/** A stored event as the engine returns it. */
export interface StoredEvent extends ParsedEvent {
  id: number;
  sourceId: number;
  lineNo: number;
  /** Byte offset of the line's start in the (decompressed) input. */
  offset: number;
  raw: string;
  flags: number;
}

export const ECS_FIELDS = {
  ts: '@timestamp',
  dataset: 'event.dataset',
  host: 'host.name',
  program: 'process.name',
  pid: 'process.pid',
  srcIp: 'source.ip',
  srcPort: 'source.port',
  dstIp: 'destination.ip',
  dstPort: 'destination.port',
  user: 'user.name',
  action: 'event.action',
  outcome: 'event.outcome',
  httpMethod: 'http.request.method',
  url: 'url.original',
  httpVersion: 'http.version',
  httpStatus: 'http.response.status_code',
  httpBytes: 'http.response.body.bytes',
  referrer: 'http.request.referrer',
  userAgent: 'user_agent.original',
  message: 'message',
} as const satisfies Partial<Record<keyof StoredEvent, string>>;
