/**
 * Zeek field mapping shared by the TSV and JSON readers: which log a record comes from, and how
 * its fields land on the event model (https://docs.zeek.org/en/master/logs/index.html).
 * Fields whose value moves unchanged to a column (`id.orig_h`, http `method`, …) leave `extra`;
 * fields a column is only derived from (`host` and `uri` for the url, `auth_success` for the
 * outcome, weird `name` for the action) stay there under their Zeek names, which rules use.
 */
import type { ParsedEvent } from '../event.ts';
import { toInt, toIp, toPort, toText } from './field-values.ts';

export type ZeekRecord = ReadonlyMap<string, unknown>;

const has = (r: ZeekRecord, ...keys: string[]): boolean => keys.every((k) => r.has(k));
const any = (r: ZeekRecord, ...keys: string[]): boolean => keys.some((k) => r.has(k));

/** Ordered: the first test that fits names the log. Specific shapes come before loose ones. */
const LOG_SHAPES: readonly [string, (r: ZeekRecord) => boolean][] = [
  ['conn', (r) => has(r, 'proto') && any(r, 'conn_state', 'history', 'orig_ip_bytes', 'resp_ip_bytes')],
  ['dns', (r) => has(r, 'query') && any(r, 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'trans_id')],
  // smtp and sip records carry trans_depth too, so they are told apart before http.
  ['smtp', (r) => any(r, 'mailfrom', 'rcptto', 'helo')],
  ['sip', (r) => has(r, 'call_id') && any(r, 'method', 'request_from', 'uri')],
  ['http', (r) => has(r, 'trans_depth') || (any(r, 'method', 'uri') && any(r, 'host', 'status_code', 'user_agent', 'uri'))],
  ['ssh', (r) => any(r, 'auth_success', 'auth_attempts') || (has(r, 'client', 'server') && any(r, 'kex_alg', 'host_key_alg', 'cipher_alg'))],
  ['ssl', (r) => any(r, 'cipher', 'curve', 'server_name', 'ja3') && any(r, 'version', 'established', 'resumed')],
  ['x509', (r) => [...r.keys()].some((k) => k.startsWith('certificate.'))],
  ['files', (r) => has(r, 'fuid') && any(r, 'mime_type', 'seen_bytes', 'total_bytes', 'analyzers', 'source', 'md5', 'sha1')],
  ['tunnel', (r) => has(r, 'tunnel_type')],
  ['notice', (r) => has(r, 'note')],
  ['weird', (r) => has(r, 'name') && any(r, 'addl', 'notice', 'peer', 'source')],
  ['dhcp', (r) => any(r, 'assigned_addr', 'lease_time', 'client_fqdn') || (has(r, 'mac') && any(r, 'host_name', 'requested_addr'))],
  ['ftp', (r) => has(r, 'command') && any(r, 'reply_code', 'reply_msg')],
  ['kerberos', (r) => has(r, 'request_type') && any(r, 'client', 'service')],
  ['rdp', (r) => any(r, 'cookie', 'security_protocol', 'keyboard_layout')],
  ['smb_files', (r) => has(r, 'action', 'path') && any(r, 'name', 'size')],
  ['dce_rpc', (r) => has(r, 'endpoint', 'operation')],
  ['ntlm', (r) => any(r, 'domainname', 'server_nb_computer_name')],
  ['software', (r) => has(r, 'software_type')],
  ['intel', (r) => any(r, 'seen.indicator', 'matched')],
  ['dpd', (r) => has(r, 'analyzer', 'failure_reason')],
];

/** The Zeek log a record without a `#path` comes from (`conn`, `dns`, …), or undefined. */
export function inferZeekLog(record: ZeekRecord): string | undefined {
  return LOG_SHAPES.find(([, fits]) => fits(record))?.[0];
}

const LOG_NAME = /^[a-z0-9_]{1,40}$/;

/** `zeek.<log>` for a plausible log name, else `zeek`. */
export function zeekDataset(log: string | undefined): string {
  return log !== undefined && LOG_NAME.test(log) ? `zeek.${log}` : 'zeek';
}

/** Fields that move to a column as they are, per log (`*` for every log). */
export const ZEEK_MOVED_FIELDS: Record<string, Partial<Record<keyof ParsedEvent, string>>> = {
  '*': { srcIp: 'id.orig_h', srcPort: 'id.orig_p', dstIp: 'id.resp_h', dstPort: 'id.resp_p' },
  http: { httpMethod: 'method', httpVersion: 'version', httpStatus: 'status_code', userAgent: 'user_agent', referrer: 'referrer', httpBytes: 'response_body_len', user: 'username' },
  ftp: { user: 'user' },
  ntlm: { user: 'username' },
  socks: { user: 'user' },
  radius: { user: 'username' },
  dhcp: { srcIp: 'client_addr', dstIp: 'server_addr' },
};

/** Builds the event for a record whose time is already known (`ts` is not in `record`). */
export function zeekEvent(record: ZeekRecord, log: string | undefined, ts: number | null, dataset: string): ParsedEvent {
  const event: ParsedEvent = { ts, dataset };
  const moved = new Set<string>();
  const rules = { ...ZEEK_MOVED_FIELDS['*'], ...(log ? ZEEK_MOVED_FIELDS[log] : undefined) };
  for (const [field, name] of Object.entries(rules) as [keyof ParsedEvent, string][]) {
    const value = record.get(name);
    if (value === undefined) continue;
    if (assign(event, field, value)) moved.add(name);
  }

  if (log === 'http') {
    const url = httpUrl(record);
    if (url !== undefined) event.url = url;
  }
  const action = zeekAction(record, log);
  if (action !== undefined) event.action = action;
  const auth = record.get('auth_success');
  if (log === 'ssh' && typeof auth === 'boolean') event.outcome = auth ? 'success' : 'failure';
  const message = summary(record, log);
  if (message !== undefined && message !== '') event.message = message;

  const extra: [string, unknown][] = [];
  for (const [name, value] of record) if (!moved.has(name)) extra.push([name, value]);
  if (extra.length > 0) event.extra = Object.fromEntries(extra);
  return event;
}

function assign(event: ParsedEvent, field: keyof ParsedEvent, value: unknown): boolean {
  switch (field) {
    case 'srcIp': case 'dstIp': {
      const ip = toIp(value);
      if (ip !== undefined) event[field] = ip;
      return ip !== undefined;
    }
    case 'srcPort': case 'dstPort': {
      const port = toPort(value);
      if (port !== undefined) event[field] = port;
      return port !== undefined;
    }
    case 'httpStatus': {
      // Zeek logs 0 when no reply was seen; that is not a status.
      const n = toInt(value, 999);
      const ok = n !== undefined && n >= 100;
      if (ok) event.httpStatus = n;
      return ok;
    }
    case 'httpBytes': {
      const n = toInt(value);
      if (n !== undefined) event.httpBytes = n;
      return n !== undefined;
    }
    case 'httpMethod': case 'httpVersion': case 'userAgent': case 'referrer': case 'user': {
      const text = toText(value);
      if (text !== undefined) event[field] = text;
      return text !== undefined;
    }
    default:
      return false;
  }
}

/** `host` + `uri` when the uri is a path; an absolute (proxy) uri stands alone. */
function httpUrl(r: ZeekRecord): string | undefined {
  const uri = toText(r.get('uri'));
  const host = toText(r.get('host'));
  if (uri === undefined) return host;
  if (host !== undefined && uri.startsWith('/')) return `${host}${uri}`;
  return uri;
}

function zeekAction(r: ZeekRecord, log: string | undefined): string | undefined {
  const text = (key: string): string | undefined => toText(r.get(key))?.toLowerCase();
  switch (log) {
    case 'weird': return text('name');
    case 'notice': return text('note');
    case 'tunnel': return text('action')?.replace(/^tunnel::/, '');
    default: return undefined;
  }
}

function summary(r: ZeekRecord, log: string | undefined): string | undefined {
  const t = (key: string): string => {
    const v = r.get(key);
    return Array.isArray(v) ? v.join(',') : v === undefined ? '' : String(v);
  };
  const join = (...parts: string[]): string => parts.filter((p) => p !== '').join(' ');
  switch (log) {
    case 'conn': return join(t('proto') + (r.has('service') ? `/${t('service')}` : ''), t('conn_state'));
    case 'dns': return join(t('qtype_name'), t('query'), t('rcode_name'), r.has('answers') ? `→ ${t('answers')}` : '');
    case 'http': return join(t('method'), httpUrl(r) ?? '', t('status_code'));
    case 'ssh': return join(t('client'), r.has('server') ? `→ ${t('server')}` : '', r.has('auth_success') ? `auth ${r.get('auth_success') === true ? 'success' : 'failure'}` : '');
    case 'ssl': return join(t('version'), t('server_name'));
    case 'weird': return join(t('name'), t('addl'));
    case 'notice': return join(t('msg'), t('sub'));
    case 'tunnel': return join(t('tunnel_type'), t('action'));
    case 'files': return join(t('mime_type'), t('filename'));
    case 'x509': return t('certificate.subject');
    case 'dhcp': return join(t('host_name'), t('assigned_addr'), t('msg_types'));
    case 'smtp': return join(t('mailfrom'), r.has('rcptto') ? `→ ${t('rcptto')}` : '', t('subject'));
    default: return undefined;
  }
}
