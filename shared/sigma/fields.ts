/**
 * Which events a rule sees and what its field names mean, decided by its `logsource`.
 * Taxonomy names (https://sigmahq.io/docs/basics/log-sources.html) map onto Loupe's event model;
 * the ECS names of the event model work in every log source.
 */
import { ECS_FIELDS } from '../event.ts';
import { ZEEK_MOVED_FIELDS } from '../parse/zeek-fields.ts';
import type { LogSource } from './types.ts';

/** Event properties a field can read (the stored columns, `raw` included). */
export type Column = keyof typeof ECS_FIELDS | 'raw';

/**
 * Where a field's value comes from: a column, else `extra[extra]` (Zeek fields a parser moved to a
 * column keep their name here too), optionally the path or query part of the URL.
 */
export interface FieldRef {
  name: string;
  column?: Column;
  extra?: string;
  part?: 'path' | 'query';
}

const slots = new Map<string, number>();

/**
 * A small integer per distinct field reference, given out when rules are compiled, so the
 * matcher's per-event cache is an array rather than a map keyed by strings.
 */
export function fieldSlot(ref: FieldRef): number {
  const key = `${ref.column ?? ''}|${ref.extra ?? ''}|${ref.part ?? ''}`;
  let slot = slots.get(key);
  if (slot === undefined) {
    slot = slots.size;
    slots.set(key, slot);
  }
  return slot;
}

/** The events of a log source: these datasets, plus `syslog` lines of these programs. */
export interface Scope {
  datasets: readonly string[];
  /** Program names (lower case, without a path) whose unrecognised lines (dataset `syslog`) count too. */
  programs: readonly string[];
  /** Every dataset starting with this (e.g. `zeek.` for all Zeek logs). */
  datasetPrefix?: string;
  describe: string;
}

export interface LogSourceMap {
  scope: Scope;
  /** The field a rule name means here, or a reason it has no meaning here. */
  field(name: string): FieldRef | { error: string };
}

const ECS: Record<string, FieldRef> = Object.fromEntries([
  ...Object.entries(ECS_FIELDS).map(([column, name]) => [name, { name, column: column as Column }]),
  ['source.address', { name: 'source.address', column: 'srcIp' }],
  ['destination.address', { name: 'destination.address', column: 'dstIp' }],
  ['host.hostname', { name: 'host.hostname', column: 'host' }],
  ['event.original', { name: 'event.original', column: 'raw' }],
  ['url.path', { name: 'url.path', column: 'url', part: 'path' }],
  ['url.query', { name: 'url.query', column: 'url', part: 'query' }],
]);

const col = (name: string, column: Column, part?: 'path' | 'query'): [string, FieldRef] =>
  [name, part ? { name, column, part } : { name, column }];
const ext = (name: string, extra = name): [string, FieldRef] => [name, { name, extra }];

/** W3C extended log names of the `webserver` category, as Sigma uses them. */
const WEBSERVER: Record<string, FieldRef> = Object.fromEntries([
  col('c-ip', 'srcIp'), col('cs-method', 'httpMethod'), col('cs-uri', 'url'),
  col('cs-uri-stem', 'url', 'path'), col('cs-uri-query', 'url', 'query'), col('sc-status', 'httpStatus'),
  col('cs-user-agent', 'userAgent'), col('cs-referer', 'referrer'), col('cs-referrer', 'referrer'),
  col('sc-bytes', 'httpBytes'), col('cs-username', 'user'), col('cs-version', 'httpVersion'),
  col('s-ip', 'dstIp'), col('s-port', 'dstPort'), ext('cs-host', 'vhost'),
]);

/** Taxonomy names Loupe's access-log parser has no value for; a rule using them cannot work. */
const WEBSERVER_MISSING: Record<string, string> = {
  'cs-bytes': 'request sizes are not in Apache/nginx access logs as Loupe reads them',
  'cs-cookie': 'cookies are not in Apache/nginx access logs as Loupe reads them',
  'time-taken': 'request durations are not recorded by Loupe\'s access-log parser',
};

/** Fields of syslog programs (`extra` keys the program parsers write), and ECS names for some. */
const LINUX: Record<string, FieldRef> = Object.fromEntries([
  ext('process.command_line', 'command'), ext('user.target.name', 'targetUser'), ext('group.name', 'group'),
  ext('event.reason', 'reason'), ext('user.id', 'uid'), ext('source.domain', 'srcHost'),
  ext('log.syslog.facility.name', 'facility'), ext('log.syslog.severity.name', 'severity'),
  ...['command', 'targetUser', 'targetUid', 'group', 'reason', 'uid', 'gid', 'srcHost', 'facility', 'severity', 'method',
    'invalidUser', 'preauth', 'authenticating', 'key', 'keyType', 'reasonCode', 'tty', 'pwd', 'env', 'attempts', 'logname',
    'pamModule', 'pamService', 'pamType', 'home', 'shell', 'from', 'to', 'change', 'newName', 'shadow', 'actor', 'members',
    'owner', 'file', 'crontab', 'detail', 'session', 'repeated', 'msgid', 'procid', 'sd'].map((k) => ext(k)),
]);

/**
 * Zeek fields the readers move to a column, per log: the readers' own table read backwards, so the
 * two cannot drift apart. `ts` always becomes the event time.
 */
const ZEEK_MOVED: Record<string, Record<string, Column>> = Object.fromEntries(
  Object.entries(ZEEK_MOVED_FIELDS).map(([log, moved]) => [
    log,
    {
      ...Object.fromEntries(Object.entries(moved).map(([column, zeek]) => [zeek, column as Column])),
      ...(log === '*' ? { ts: 'ts' as Column } : {}),
    },
  ]),
);

const ACCOUNT_PROGRAMS = ['useradd', 'usermod', 'userdel', 'groupadd', 'groupdel', 'groupmod', 'gpasswd', 'passwd', 'chpasswd', 'chage'];
const SSHD = ['sshd', 'sshd-session', 'sshd-auth'];
const CRON = ['cron', 'crond', 'crontab', 'anacron'];
/** Datasets the syslog readers give the lines of programs they understand. */
const PROGRAM_DATASETS = ['sshd', 'sudo', 'su', ...ACCOUNT_PROGRAMS, 'cron', 'systemd-logind', 'pam'];

const LINUX_SERVICES: Record<string, { datasets: string[]; programs: string[] }> = {
  sshd: { datasets: ['sshd'], programs: SSHD },
  sudo: { datasets: ['sudo'], programs: ['sudo'] },
  su: { datasets: ['su'], programs: ['su'] },
  cron: { datasets: ['cron'], programs: CRON },
  // What /var/log/auth.log holds: logins, privilege changes, account changes.
  auth: {
    datasets: ['sshd', 'sudo', 'su', ...ACCOUNT_PROGRAMS, 'systemd-logind', 'pam'],
    programs: [...SSHD, 'sudo', 'su', ...ACCOUNT_PROGRAMS, 'systemd-logind', 'login', 'pkexec', 'polkitd', 'unix_chkpwd', 'gdm-password'],
  },
  syslog: { datasets: ['syslog', ...PROGRAM_DATASETS], programs: [] },
};

const ANY_NAME = /^[A-Za-z_][A-Za-z0-9_.\-[\]]*$/;

function lookup(maps: Record<string, FieldRef>[], name: string): FieldRef | undefined {
  for (const m of maps) if (Object.hasOwn(m, name)) return m[name];
  return undefined;
}

function unknownField(name: string, where: string): { error: string } {
  return { error: `field "${name}" has no meaning for ${where}` };
}

const lower = (s: string | undefined): string | undefined => s?.toLowerCase();

/** The events and field names of a log source, or why Loupe cannot run rules for it. */
export function resolveLogSource(ls: LogSource): LogSourceMap | { error: string } {
  const product = lower(ls.product);
  const category = lower(ls.category);
  const service = lower(ls.service);
  const shown = Object.entries(ls).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${String(v)}`).join(', ') || 'empty';

  const webProduct = product === undefined || product === 'apache' || product === 'nginx';
  const webAccess = (category === 'webserver' && webProduct && service === undefined)
    || (category === undefined && product !== undefined && webProduct && service === 'access');
  if (webAccess) {
    const describe = 'category webserver (access logs)';
    return {
      scope: { datasets: ['apache.access'], programs: [], describe },
      field: (name) => {
        const missing = WEBSERVER_MISSING[name];
        if (missing !== undefined) return { error: `field "${name}": ${missing}` };
        return lookup([WEBSERVER, ECS], name) ?? unknownField(name, describe);
      },
    };
  }
  if ((product === 'apache' || product === 'nginx') && service === 'error' && category === undefined) {
    const describe = `product ${product} service error`;
    return {
      scope: { datasets: [`${product}.error`], programs: [], describe },
      field: (name) => lookup([WEBSERVER, ECS], name) ?? unknownField(name, describe),
    };
  }
  if (product === 'linux') {
    if (category !== undefined) {
      return { error: `logsource ${shown}: Linux category "${category}" needs process/file/network telemetry (Sysmon for Linux, EDR) that Loupe does not read; use service auditd with its raw field names` };
    }
    if (service === 'auditd') {
      return {
        scope: { datasets: ['auditd'], programs: [], describe: 'product linux service auditd' },
        field: (name) => lookup([ECS], name) ?? (ANY_NAME.test(name) ? { name, extra: name } : unknownField(name, 'auditd')),
      };
    }
    const svc = service === undefined
      ? { datasets: ['syslog', ...PROGRAM_DATASETS, 'auditd'], programs: [] }
      : LINUX_SERVICES[service];
    if (!svc) {
      return { error: `logsource ${shown}: no Loupe dataset for Linux service "${service}" (supported: ${[...Object.keys(LINUX_SERVICES), 'auditd'].join(', ')})` };
    }
    const describe = service === undefined ? 'product linux' : `product linux service ${service}`;
    return {
      scope: { datasets: svc.datasets, programs: svc.programs, describe },
      field: (name) => lookup([ECS, LINUX], name) ?? unknownField(name, describe),
    };
  }
  if (product === 'zeek') {
    if (category !== undefined) return { error: `logsource ${shown}: Zeek rules are read by service (the log name, e.g. service: conn), not by category` };
    if (service !== undefined && !/^[a-z0-9_]{1,40}$/.test(service)) return { error: `logsource ${shown}: "${service}" is not a Zeek log name` };
    const moved = { ...ZEEK_MOVED['*'], ...(service ? ZEEK_MOVED[service] : undefined) };
    return {
      scope: service
        ? { datasets: [`zeek.${service}`], programs: [], describe: `product zeek service ${service}` }
        : { datasets: [], programs: [], datasetPrefix: 'zeek.', describe: 'product zeek' },
      field: (name) => {
        const column = moved[name];
        if (column !== undefined) return column === 'ts' ? { name, column } : { name, column, extra: name };
        return lookup([ECS], name) ?? (ANY_NAME.test(name) ? { name, extra: name } : unknownField(name, 'Zeek logs'));
      },
    };
  }
  return { error: `logsource ${shown} is not supported (Loupe reads web server access logs, Linux syslog/auth/auditd and Zeek logs)` };
}

/** True when the event belongs to the scope. */
export function inScope(scope: Scope, dataset: string, program: string | undefined): boolean {
  if (scope.datasets.includes(dataset)) return true;
  if (scope.datasetPrefix !== undefined && dataset.startsWith(scope.datasetPrefix) && dataset !== 'zeek.meta') return true;
  return dataset === 'syslog' && program !== undefined && scope.programs.length > 0 && scope.programs.includes(programName(program));
}

/** `/usr/sbin/CRON` → `cron`. */
export function programName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1).toLowerCase();
}
