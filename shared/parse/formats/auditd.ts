import type { Outcome, ParsedEvent } from '../../event.ts';
import { decodeHexField, decodeSockaddr, isHexField, tokenizeAudit, type AuditBody } from '../auditd-fields.ts';
import { matchRatio } from '../detect.ts';
import { isIp, toInt, toPort } from '../field-values.ts';
import type { LineParser, LogFormat } from '../types.ts';

/**
 * Linux audit logs (`/var/log/audit/audit.log`, raw or ENRICHED log_format, optionally with a
 * `node=` name or a syslog prefix from audisp). One event per record; `extra` keeps every
 * key=value pair under its raw name (rules match those), hex-encoded values decoded with the hex
 * kept as `<key>_hex`, plus `type` and `serial`. The records of one event share
 * `audit(time:serial)`: the parser remembers the last few serials so that EXECVE, PATH, CWD and
 * PROCTITLE records, which carry no user, inherit it (and the program and pid) from the SYSCALL
 * record before them. A record that comes before its SYSCALL inherits nothing.
 */
export const format: LogFormat = {
  id: 'auditd',
  title: 'Linux audit (auditd)',
  description: 'Linux audit logs: multi-record events, hex-encoded fields, the enriched format',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: () => createParser(),
};

const RECORD = new RegExp(
  '^(?:[^=]*?:\\s+)?' + // syslog prefix from audisp ("Jun  1 10:00:00 web1 audispd: ")
  '(?:node=(\\S+)\\s+)?type=(\\S+)\\s+' +
  '(?:(?:msg=)?audit\\((\\d+)(?:\\.(\\d+))?:(\\d+)\\):?|(?=msg=))' +
  '\\s*(.*)$',
  's',
);

interface Inherited {
  user?: string;
  auid?: string;
  uid?: string;
  program?: string;
  pid?: number;
}

const MAX_OPEN_EVENTS = 256;
const NO_VALUE = new Set(['?', '(null)', '(none)', '(unknown)', 'unset', '4294967295', '-1', '']);

function createParser(): LineParser {
  const open = new Map<string, Inherited>();

  function remember(id: string, state: Inherited): void {
    open.delete(id);
    open.set(id, state);
    if (open.size > MAX_OPEN_EVENTS) open.delete(open.keys().next().value ?? '');
  }

  return {
    parse(line: string): ParsedEvent | null {
      const m = RECORD.exec(line);
      if (!m) return null;
      const [, node, type = '', sec, frac, serial, rest = ''] = m;
      const gs = rest.indexOf('\x1d');
      const body = tokenizeAudit(gs < 0 ? rest : rest.slice(0, gs));
      const enriched = gs < 0 ? undefined : tokenizeAudit(rest.slice(gs + 1)).fields;

      const extra = decodeFields(type, body);
      if (type === 'EXECVE') joinArgChunks(extra);
      if (enriched) for (const [k, v] of enriched) extra.set(k, v);
      extra.set('type', type);
      if (serial !== undefined) extra.set('serial', serial);

      const ts = sec === undefined ? null : Number(sec) * 1000 + Number((frac ?? '').slice(0, 3).padEnd(3, '0'));
      const event: ParsedEvent = { ts, dataset: 'auditd', action: type.toLowerCase() };
      if (node !== undefined) event.host = node;

      const text = (key: string): string | undefined => {
        const v = extra.get(key);
        const s = Array.isArray(v) ? v.join(',') : v;
        return s === undefined || NO_VALUE.has(s) ? undefined : s;
      };

      const user = [text('acct'), enriched?.get('AUID'), enriched?.get('UID')].find((u) => u !== undefined && !NO_VALUE.has(u));
      if (user !== undefined) event.user = user;
      const exe = text('exe');
      const program = text('comm') ?? exe?.split('/').at(-1);
      if (program) event.program = program;
      const pid = toInt(extra.get('pid'));
      if (pid !== undefined) event.pid = pid;

      const addr = [text('addr'), text('hostname')].find((a) => a !== undefined && isIp(a));
      if (addr !== undefined) event.srcIp = addr;
      const rport = toPort(extra.get('rport'));
      if (rport !== undefined) event.srcPort = rport;
      const laddr = text('laddr');
      if (laddr !== undefined && isIp(laddr)) event.dstIp = laddr;
      const lport = toPort(extra.get('lport'));
      if (lport !== undefined) event.dstPort = lport;
      if (type === 'SOCKADDR') sockaddr(event, extra);

      const outcome = outcomeOf(type, extra, body.words);
      if (outcome) event.outcome = outcome;

      // The records of one event: the first with an identity speaks for the rest.
      if (serial !== undefined) {
        const id = `${sec ?? ''}.${frac ?? ''}:${serial}`;
        const known = open.get(id);
        if (known) inherit(event, extra, known);
        else if (extra.has('auid') || extra.has('uid')) remember(id, identity(event, extra));
      }

      const message = body.msg === undefined ? summary(type, extra, rest.slice(0, gs < 0 ? undefined : gs)) : readable(body.msg, extra);
      if (message !== '') event.message = message;
      event.extra = Object.fromEntries(extra);
      return event;
    },
  };
}

function identity(event: ParsedEvent, extra: Map<string, string | string[]>): Inherited {
  const state: Inherited = {};
  const auid = extra.get('auid');
  const uid = extra.get('uid');
  if (typeof auid === 'string') state.auid = auid;
  if (typeof uid === 'string') state.uid = uid;
  if (event.user !== undefined) state.user = event.user;
  if (event.program !== undefined) state.program = event.program;
  if (event.pid !== undefined) state.pid = event.pid;
  return state;
}

/** Fills what the record lacks from an earlier record of the same event. */
function inherit(event: ParsedEvent, extra: Map<string, string | string[]>, known: Inherited): void {
  if (event.user === undefined && known.user !== undefined) event.user = known.user;
  if (!extra.has('auid') && known.auid !== undefined) extra.set('auid', known.auid);
  if (!extra.has('uid') && known.uid !== undefined) extra.set('uid', known.uid);
  if (event.program === undefined && known.program !== undefined) event.program = known.program;
  if (event.pid === undefined && known.pid !== undefined) event.pid = known.pid;
}

/** The record's fields by raw name, hex values decoded (their hex kept as `<key>_hex`). */
function decodeFields(type: string, body: AuditBody): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [key, value] of body.fields) {
    if (body.bare.has(key) && isHexField(type, key, value)) {
      out.set(key, decodeHexField(key, value));
      out.set(`${key}_hex`, value);
    } else {
      out.set(key, value);
    }
  }
  return out;
}

/** Long arguments come in chunks (`a1_len=… a1[0]=… a1[1]=…`); `aN` gets the whole argument. */
function joinArgChunks(extra: Map<string, string | string[]>): void {
  for (let i = 0; extra.has(`a${i}`) || extra.has(`a${i}[0]`); i++) {
    if (extra.has(`a${i}`)) continue;
    let whole = '';
    for (let k = 0; extra.has(`a${i}[${k}]`); k++) whole += String(extra.get(`a${i}[${k}]`));
    extra.set(`a${i}`, whole);
  }
}

function sockaddr(event: ParsedEvent, extra: Map<string, string | string[]>): void {
  const saddr = extra.get('saddr');
  const decoded = typeof saddr === 'string' ? decodeSockaddr(saddr) : undefined;
  if (!decoded) return;
  extra.set('saddr_family', decoded.family);
  if (decoded.addr !== undefined) {
    extra.set('saddr_addr', decoded.addr);
    event.dstIp = decoded.addr;
  }
  if (decoded.port !== undefined) {
    extra.set('saddr_port', String(decoded.port));
    event.dstPort = decoded.port;
  }
  if (decoded.path !== undefined) extra.set('saddr_path', decoded.path);
}

function outcomeOf(type: string, extra: Map<string, string | string[]>, words: readonly string[]): Outcome | undefined {
  const success = extra.get('success');
  if (success === 'yes') return 'success';
  if (success === 'no') return 'failure';
  const res = extra.get('res');
  if (res === 'success' || res === '1' || res === 'yes') return 'success';
  if (res === 'failed' || res === '0' || res === 'no') return 'failure';
  if (type === 'AVC') {
    const verdict = `${String(extra.get('apparmor') ?? '')} ${words.join(' ')}`.toLowerCase();
    if (verdict.includes('denied')) return 'failure';
    if (verdict.includes('granted') || verdict.includes('allowed')) return 'success';
  }
  return undefined;
}

/** The msg='…' text with its hex values shown decoded (`cmd=2F62…` → `cmd="/bin/…"`). */
function readable(msg: string, extra: Map<string, string | string[]>): string {
  let text = msg;
  for (const [key, value] of extra) {
    if (!key.endsWith('_hex') || typeof value !== 'string') continue;
    const name = key.slice(0, -4);
    const decoded = extra.get(name);
    text = text.replace(`${name}=${value}`, `${name}="${Array.isArray(decoded) ? decoded.join(',') : decoded ?? ''}"`);
  }
  return text;
}

/** A readable line for records without a msg='…' text. */
function summary(type: string, extra: Map<string, string | string[]>, body: string): string {
  const get = (key: string): string => {
    const v = extra.get(key);
    return Array.isArray(v) ? v.join(',') : v ?? '';
  };
  switch (type) {
    case 'EXECVE': {
      const args: string[] = [];
      for (let i = 0; extra.has(`a${i}`); i++) args.push(get(`a${i}`));
      return args.join(' ');
    }
    case 'PROCTITLE': return get('proctitle');
    case 'CWD': return `cwd ${get('cwd')}`;
    case 'PATH': return [get('nametype'), get('name')].filter((s) => s !== '').join(' ');
    case 'TTY': case 'USER_TTY': return get('data');
    case 'SOCKADDR': {
      const where = extra.has('saddr_path') ? get('saddr_path')
        : extra.has('saddr_addr') ? `${get('saddr_addr')} port ${get('saddr_port')}` : '';
      return `${get('saddr_family')} ${where}`.trim();
    }
    case 'SYSCALL': {
      const name = extra.get('SYSCALL') ?? get('syscall');
      const result = get('success') === 'yes' ? 'succeeded' : get('success') === 'no' ? `failed exit=${get('exit')}` : '';
      const key = get('key');
      return [get('comm'), extra.has('exe') ? `(${get('exe')})` : '', `syscall ${String(name)}`, result,
        key !== '' && key !== '(null)' ? `key=${key}` : ''].filter((s) => s !== '').join(' ');
    }
    default: return body.trim();
  }
}
