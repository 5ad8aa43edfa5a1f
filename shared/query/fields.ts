/**
 * The fields the filter bar knows: a short name, the ECS name (shared/event.ts) and other aliases,
 * the kind of value it takes, and a line of help the window shows as it is.
 */
import { ECS_FIELDS } from '../event.ts';
import { IP_CATEGORIES } from '../intel/special-ranges.ts';

/**
 * - `text`: `field:value`, exact and case-sensitive, `*` matching any run of characters
 * - `number`: `field:404`, comparisons `> >= < <= !=`, and `field:4*` on the digits
 * - `ip`: an address, a network (`10.0.0.0/8`, `2001:db8::/32`) or a pattern (`10.0.*`)
 * - `level`: one of the event levels
 * - `source`: a source's file name, path or id
 * - `alert`: an alert's id: the events behind it
 * - `category`: an address class (public, private, …; shared/intel/special-ranges.ts)
 */
export type FieldType = 'text' | 'number' | 'ip' | 'level' | 'source' | 'alert' | 'category';

/** What the address classes are called in the filter bar: the offline classes, and `invalid` for text that is no address. */
export const IP_CLASSES: readonly string[] = [...IP_CATEGORIES, 'invalid'];

export type FieldName =
  | 'ip' | 'src' | 'dst' | 'user' | 'host' | 'program' | 'pid' | 'dataset' | 'status' | 'method' | 'url' | 'ua'
  | 'referrer' | 'action' | 'outcome' | 'port' | 'src_port' | 'dst_port' | 'bytes' | 'message' | 'version' | 'level'
  | 'source' | 'alert' | IntelFieldName;

/** Fields answered from the case's IP intelligence (intel_ips, intel_list_hits), about either or one end. */
export type IntelFieldName =
  | 'class' | 'src_class' | 'dst_class' | 'country' | 'src_country' | 'dst_country'
  | 'asn' | 'src_asn' | 'dst_asn' | 'list' | 'src_list' | 'dst_list';

export interface FieldDescriptor {
  name: FieldName;
  /** Other names that mean the same field, ECS names first. */
  aliases: readonly string[];
  type: FieldType;
  description: string;
  /** How a typed value is written before it is compared (HTTP methods are upper-case). */
  normalize?: 'upper' | 'lower';
  /** Example the help shows. */
  example: string;
}

export const FIELDS: readonly FieldDescriptor[] = [
  { name: 'ip', aliases: [], type: 'ip', description: 'source or destination IP address', example: 'ip:10.0.0.0/8' },
  { name: 'src', aliases: [ECS_FIELDS.srcIp, 'src_ip'], type: 'ip', description: 'source IP address (the client)', example: 'src:203.0.113.7' },
  { name: 'dst', aliases: [ECS_FIELDS.dstIp, 'dst_ip'], type: 'ip', description: 'destination IP address', example: 'dst:192.168.0.0/16' },
  { name: 'user', aliases: [ECS_FIELDS.user], type: 'text', description: 'user name (logged in, tried, or named by the line)', example: 'user:root' },
  { name: 'host', aliases: [ECS_FIELDS.host], type: 'text', description: 'host that wrote the line (syslog)', example: 'host:web-01' },
  { name: 'program', aliases: [ECS_FIELDS.program], type: 'text', description: 'program or process name', example: 'program:sshd' },
  { name: 'pid', aliases: [ECS_FIELDS.pid], type: 'number', description: 'process id', example: 'pid:4242' },
  { name: 'dataset', aliases: [ECS_FIELDS.dataset], type: 'text', description: 'kind of line: apache.access, sshd, sudo, syslog, unparsed, …', example: 'dataset:sshd' },
  { name: 'level', aliases: ['log.level'], type: 'level', normalize: 'lower', description: 'error, failure, warning, info or unparsed (see the README)', example: 'level:failure' },
  { name: 'status', aliases: [ECS_FIELDS.httpStatus, 'http_status'], type: 'number', description: 'HTTP response status code', example: 'status>=400' },
  { name: 'method', aliases: [ECS_FIELDS.httpMethod, 'http_method'], type: 'text', normalize: 'upper', description: 'HTTP request method', example: 'method:POST' },
  { name: 'url', aliases: [ECS_FIELDS.url], type: 'text', description: 'requested URL (path and query)', example: 'url:*wp-login*' },
  { name: 'version', aliases: [ECS_FIELDS.httpVersion, 'http_version'], type: 'text', description: 'HTTP version as logged', example: 'version:HTTP/1.0' },
  { name: 'bytes', aliases: [ECS_FIELDS.httpBytes, 'http_bytes'], type: 'number', description: 'HTTP response size in bytes', example: 'bytes>10000' },
  { name: 'referrer', aliases: [ECS_FIELDS.referrer, 'referer'], type: 'text', description: 'HTTP referrer', example: 'referrer:*google*' },
  { name: 'ua', aliases: [ECS_FIELDS.userAgent, 'user_agent'], type: 'text', description: 'HTTP user agent', example: 'ua:*sqlmap*' },
  { name: 'action', aliases: [ECS_FIELDS.action], type: 'text', description: 'what happened: login, invalid-user, sudo, useradd, …', example: 'action:login' },
  { name: 'outcome', aliases: [ECS_FIELDS.outcome], type: 'text', normalize: 'lower', description: 'success, failure or unknown', example: 'outcome:failure' },
  { name: 'port', aliases: [], type: 'number', description: 'source or destination port', example: 'port!=22' },
  { name: 'src_port', aliases: [ECS_FIELDS.srcPort], type: 'number', description: 'source port', example: 'src_port<1024' },
  { name: 'dst_port', aliases: [ECS_FIELDS.dstPort], type: 'number', description: 'destination port', example: 'dst_port:3389' },
  { name: 'message', aliases: [ECS_FIELDS.message, 'msg'], type: 'text', description: 'the message part of the line (syslog, error logs)', example: 'message:*denied*' },
  { name: 'source', aliases: ['file'], type: 'source', description: 'imported file: its name, path or id', example: 'source:auth.log' },
  { name: 'alert', aliases: [], type: 'alert', description: 'the events behind an alert, by its id', example: 'alert:12' },
  { name: 'class', aliases: [], type: 'category', normalize: 'lower', description: 'class of the source or destination address: public, private, loopback, cgnat, …', example: 'class:public' },
  { name: 'src_class', aliases: ['source.ip_class'], type: 'category', normalize: 'lower', description: 'class of the source address', example: 'src_class:public' },
  { name: 'dst_class', aliases: ['destination.ip_class'], type: 'category', normalize: 'lower', description: 'class of the destination address', example: 'dst_class:private' },
  { name: 'country', aliases: [], type: 'text', normalize: 'upper', description: 'country (ISO code) of the source or destination, from your .mmdb files', example: 'country:RU' },
  { name: 'src_country', aliases: ['source.geo.country_iso_code'], type: 'text', normalize: 'upper', description: 'country (ISO code) of the source address', example: 'src_country:CN' },
  { name: 'dst_country', aliases: ['destination.geo.country_iso_code'], type: 'text', normalize: 'upper', description: 'country (ISO code) of the destination address', example: 'dst_country:US' },
  { name: 'asn', aliases: [], type: 'number', description: 'network (AS number) of the source or destination, from your .mmdb files', example: 'asn:14061' },
  { name: 'src_asn', aliases: ['source.as.number'], type: 'number', description: 'AS number of the source address', example: 'src_asn:16276' },
  { name: 'dst_asn', aliases: ['destination.as.number'], type: 'number', description: 'AS number of the destination address', example: 'dst_asn:15169' },
  { name: 'list', aliases: [], type: 'text', description: 'an imported blocklist the source or destination is on (* for any)', example: 'list:firehol_level1' },
  { name: 'src_list', aliases: [], type: 'text', description: 'an imported blocklist the source address is on', example: 'src_list:*' },
  { name: 'dst_list', aliases: [], type: 'text', description: 'an imported blocklist the destination address is on', example: 'dst_list:feodo*' },
];

const byName = new Map<string, FieldDescriptor>();
for (const f of FIELDS) for (const n of [f.name, ...f.aliases]) byName.set(n.toLowerCase(), f);

/** The field a name or alias means (any case), or undefined. */
export function fieldByName(name: string): FieldDescriptor | undefined {
  return byName.get(name.toLowerCase());
}

export function describeField(name: FieldName): FieldDescriptor {
  const f = byName.get(name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}
