/**
 * One table from field names found in structured logs (ECS names, dotted, and common aliases) to
 * the event model, used by the JSON and CSV parsers. Lookup is case-insensitive, and spaces and
 * dashes read as `_` (a CSV column `Source IP` is `source_ip`). Within a field, earlier names win;
 * every value that is not used (unknown name, lost to a better name, or of the wrong type) goes
 * to `extra` under its own name, so nothing is dropped.
 */
import { EventFlag, type Outcome, type ParsedEvent } from '../event.ts';
import { toInt, toIp, toOutcome, toPort, toText, toTimestamp } from './field-values.ts';
import type { ParseContext } from './types.ts';

type Mapped = Omit<ParsedEvent, 'extra' | 'flags'>;
type Target = Exclude<keyof Mapped, 'dataset'> | 'dataset' | 'level';

const ALIASES: Record<Target, readonly string[]> = {
  ts: ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'date_time', 'event_time', 'eventtime', 'time_generated', 'date'],
  dataset: ['event.dataset'],
  host: ['host.name', 'host.hostname', 'hostname', 'host', 'computer', 'computer_name', 'computername'],
  program: ['process.name', 'program', 'process', 'app', 'appname', 'app_name', 'application', 'service.name', 'service'],
  pid: ['process.pid', 'pid'],
  srcIp: ['source.ip', 'client.ip', 'source.address', 'client.address', 'src_ip', 'srcip', 'source_ip', 'sourceip', 'client_ip', 'clientip', 'remote_addr', 'remote_ip', 'remoteip', 'c_ip', 'ip', 'src'],
  srcPort: ['source.port', 'client.port', 'src_port', 'srcport', 'source_port', 'sport', 'client_port', 'remote_port'],
  dstIp: ['destination.ip', 'server.ip', 'destination.address', 'server.address', 'dst_ip', 'dstip', 'dest_ip', 'destination_ip', 'destinationip', 'server_ip', 's_ip', 'dst'],
  dstPort: ['destination.port', 'server.port', 'dst_port', 'dstport', 'dest_port', 'destination_port', 'dport', 'server_port', 's_port'],
  user: ['user.name', 'user', 'username', 'user_name', 'userid', 'user_id', 'account', 'account_name', 'login', 'cs_username'],
  action: ['event.action', 'action', 'event_type', 'eventtype'],
  outcome: ['event.outcome', 'outcome', 'result'],
  httpMethod: ['http.request.method', 'method', 'http_method', 'request_method', 'verb', 'cs_method'],
  url: ['url.original', 'url.full', 'url.path', 'url', 'uri', 'request_uri', 'request_url', 'path_info', 'cs_uri_stem'],
  httpVersion: ['http.version', 'http_version', 'server_protocol'],
  httpStatus: ['http.response.status_code', 'status_code', 'http_status', 'status', 'response_code', 'sc_status'],
  httpBytes: ['http.response.body.bytes', 'http.response.bytes', 'bytes', 'body_bytes_sent', 'bytes_sent', 'response_bytes', 'response_size', 'size', 'sc_bytes'],
  referrer: ['http.request.referrer', 'referrer', 'referer', 'http_referer', 'http_referrer', 'cs_referer'],
  userAgent: ['user_agent.original', 'user_agent', 'useragent', 'http_user_agent', 'agent', 'ua', 'cs_user_agent'],
  message: ['message', 'msg', 'log', 'text', 'description'],
  // No column of its own: normalised to `extra['log.level']` so searches find it under one name.
  level: ['log.level', 'level', 'loglevel', 'log_level', 'severity'],
};

const LOOKUP = new Map<string, { target: Target; rank: number }>();
for (const [target, names] of Object.entries(ALIASES) as [Target, readonly string[]][]) {
  names.forEach((name, rank) => LOOKUP.set(name, { target, rank }));
}

/** The alias-table key of a field name: lower case, spaces and dashes as `_`. */
export function aliasKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

type Converted = { ok: true; apply: (e: Mapped) => void; flags?: number } | { ok: false };

function convert(target: Target, value: unknown, ctx: ParseContext): Converted {
  const set = <K extends keyof Mapped>(key: K, v: Mapped[K] | undefined): Converted =>
    v === undefined ? { ok: false } : { ok: true, apply: (e) => { e[key] = v; } };
  switch (target) {
    case 'ts': {
      const t = toTimestamp(value, ctx.timezone);
      if (!t) return { ok: false };
      return { ok: true, apply: (e) => { e.ts = t.ts; }, ...(t.zoneAssumed ? { flags: EventFlag.zoneAssumed } : {}) };
    }
    case 'dataset': return set('dataset', typeof value === 'string' && DATASET.test(value) ? value : undefined);
    case 'pid': return set('pid', toInt(value));
    case 'srcIp': return set('srcIp', toIp(value));
    case 'dstIp': return set('dstIp', toIp(value));
    case 'srcPort': return set('srcPort', toPort(value));
    case 'dstPort': return set('dstPort', toPort(value));
    case 'httpStatus': {
      const status = toInt(value, 999);
      return set('httpStatus', status !== undefined && status >= 100 ? status : undefined);
    }
    case 'httpBytes': return set('httpBytes', toInt(value));
    case 'outcome': return set('outcome', toOutcome(value) satisfies Outcome | undefined);
    case 'level': return { ok: false };
    case 'host': case 'program': case 'user': case 'action': case 'httpMethod': case 'url': case 'httpVersion':
    case 'referrer': case 'userAgent': case 'message':
      return set(target, toText(value));
    default: return assertNever(target);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled field ${String(x)}`);
}

export interface MappedRecord {
  event: Mapped;
  extra: Record<string, unknown>;
  flags: number;
}

/**
 * Maps `entries` (name, value) onto the event model. `defaultDataset` is used unless an
 * `event.dataset` entry names a plausible one (and `datasetFromRecord` is not false). Empty
 * values (null, '') are kept in extra only.
 */
export function mapFields(
  entries: Iterable<readonly [string, unknown]>, ctx: ParseContext, defaultDataset: string,
  options: { datasetFromRecord?: boolean } = {},
): MappedRecord {
  const candidates = new Map<Target, { rank: number; name: string; value: unknown }[]>();
  const extra: [string, unknown][] = [];
  for (const [name, value] of entries) {
    const alias = LOOKUP.get(aliasKey(name));
    const skip = alias?.target === 'dataset' && options.datasetFromRecord === false;
    // `-` is how web and Zeek logs write "none"; it is kept, but never as a field's value.
    if (!alias || skip || value === null || value === '' || value === '-') {
      extra.push([name, value]);
      continue;
    }
    let list = candidates.get(alias.target);
    if (!list) candidates.set(alias.target, (list = []));
    list.push({ rank: alias.rank, name, value });
  }

  const event: Mapped = { ts: null, dataset: defaultDataset };
  let flags = 0;
  for (const [target, list] of candidates) {
    list.sort((a, b) => a.rank - b.rank);
    let done = false;
    for (const c of list) {
      if (!done && target === 'level' && (typeof c.value === 'string' || typeof c.value === 'number')) {
        extra.push(['log.level', c.value]);
        done = true;
        continue;
      }
      const converted = done ? { ok: false as const } : convert(target, c.value, ctx);
      if (converted.ok) {
        converted.apply(event);
        flags |= converted.flags ?? 0;
        done = true;
      } else {
        extra.push([c.name, c.value]);
      }
    }
  }
  // fromEntries defines own properties, so a hostile `__proto__` key stays a plain key.
  return { event, extra: Object.fromEntries(extra), flags };
}

/** Assembles the ParsedEvent, leaving out `extra` and `flags` when they are empty. */
export function toParsedEvent(m: MappedRecord): ParsedEvent {
  const e: ParsedEvent = { ...m.event };
  if (Object.keys(m.extra).length > 0) e.extra = m.extra;
  if (m.flags !== 0) e.flags = m.flags;
  return e;
}
