/**
 * The one place where filters become SQL: the window's view filter (pivots, the brushed time range
 * and the filter bar's query, shared/query) as a WHERE clause with `?` placeholders, over the
 * `events` table or, when it asks only about what the rollup keeps, over `event_rollup`.
 *
 * NOT is pushed down to the terms, and a negated term is written so that an event without the
 * field matches it (`-user:root` keeps events with no user), as SQL's NULL would otherwise drop them.
 */
import type { Database } from 'better-sqlite3';
import type { QueryNode, TermNode, Test } from '../../shared/query/ast.ts';
import type { FieldName, IntelFieldName } from '../../shared/query/fields.ts';
import { parseQuery, QueryError } from '../../shared/query/parse.ts';
import { inCidr, ipv4TextPrefix, parseCidr, type Cidr } from '../../shared/sigma/ip.ts';
import { LEVEL_SQL } from './rollup.ts';

export interface Fragment {
  sql: string;
  params: unknown[];
}

/** What every view filters on (shared/ipc/schemas.ts viewFilterSchema); all parts are ANDed. */
export interface ViewFilter {
  /** Source or destination IP. */
  ip?: string;
  user?: string;
  host?: string;
  /** Inclusive lower bound, UTC ms. */
  from?: number;
  /** Exclusive upper bound, UTC ms. */
  to?: number;
  /** Words that must all appear in the raw line (any case). */
  text?: string;
  sourceId?: number;
  dataset?: string;
  /** The filter bar's text (shared/query/parse.ts); a syntax error throws QueryError. */
  query?: string;
}

/** Collects a WHERE clause's conditions and their parameters, in order. */
export class Where {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  addFragment(f: Fragment): this {
    return this.add(f.sql, ...f.params);
  }

  get sql(): string {
    // Each part in parentheses, so the clause can stand anywhere inside a larger one.
    return this.parts.length === 0 ? '1' : this.parts.map((p) => `(${p})`).join(' AND ');
  }

  fragment(): Fragment {
    return { sql: this.sql, params: [...this.params] };
  }
}

/** Columns of `events` per field; two for the fields that mean either end of a connection. */
const COLUMNS: Record<Exclude<FieldName, 'level' | 'source' | 'alert' | IntelFieldName>, readonly string[]> = {
  ip: ['src_ip', 'dst_ip'], src: ['src_ip'], dst: ['dst_ip'], user: ['user'], host: ['host'], program: ['program'],
  pid: ['pid'], dataset: ['dataset'], status: ['http_status'], method: ['http_method'], url: ['url'], version: ['http_version'],
  bytes: ['http_bytes'], referrer: ['referrer'], ua: ['user_agent'], action: ['action'], outcome: ['outcome'],
  port: ['src_port', 'dst_port'], src_port: ['src_port'], dst_port: ['dst_port'], message: ['message'],
};

/**
 * Fields about what the case knows of an address (electron/intel/case-ips.ts keeps the tables):
 * the address columns they ask about, and the intel_ips column or the lists they test.
 */
const INTEL: Record<IntelFieldName, { columns: readonly string[]; of: 'category' | 'country' | 'asn' | 'list' }> = {
  class: { columns: ['src_ip', 'dst_ip'], of: 'category' }, src_class: { columns: ['src_ip'], of: 'category' },
  dst_class: { columns: ['dst_ip'], of: 'category' }, country: { columns: ['src_ip', 'dst_ip'], of: 'country' },
  src_country: { columns: ['src_ip'], of: 'country' }, dst_country: { columns: ['dst_ip'], of: 'country' },
  asn: { columns: ['src_ip', 'dst_ip'], of: 'asn' }, src_asn: { columns: ['src_ip'], of: 'asn' }, dst_asn: { columns: ['dst_ip'], of: 'asn' },
  list: { columns: ['src_ip', 'dst_ip'], of: 'list' }, src_list: { columns: ['src_ip'], of: 'list' }, dst_list: { columns: ['dst_ip'], of: 'list' },
};

export function isIntelField(field: FieldName): field is IntelFieldName {
  return Object.hasOwn(INTEL, field);
}

/** True when the query asks about addresses' intel, so the case's intel tables must be current. */
export function usesIntel(node: QueryNode | null): boolean {
  if (node === null) return false;
  switch (node.kind) {
    case 'and': case 'or': return node.children.some(usesIntel);
    case 'not': return usesIntel(node.child);
    case 'text': return false;
    case 'term': return isIntelField(node.field);
    default: return assertNever(node);
  }
}

/**
 * An address column against an intel test: the addresses that pass, as a subquery on the small
 * intel tables (one row per distinct address), so SQLite probes it per event or walks the address
 * index from it. Negated, an event without the address (or without the intel) matches.
 */
function intelTest(field: IntelFieldName, test: Test, negated: boolean, params: unknown[]): string {
  const { columns, of } = INTEL[field];
  const each = columns.map((c) => {
    let sub: string;
    if (of === 'list') {
      const inner = test.type === 'equals' ? 'l.name = ?' : 'l.name GLOB ?';
      if (test.type === 'equals') params.push(test.value);
      else if (test.type === 'pattern') params.push(globOf(test.pattern));
      else throw new Error(`${field} cannot test ${test.type}`);
      sub = `SELECT h.ip FROM intel_list_hits h JOIN intel_lists l ON l.id = h.list_id WHERE ${inner}`;
    } else {
      sub = `SELECT ip FROM intel_ips WHERE ${columnTest(of, test, false, params)}`;
    }
    return negated ? `(${c} IS NULL OR ${c} NOT IN (${sub}))` : `${c} IN (${sub})`;
  });
  return each.length === 1 ? each[0]! : `(${each.join(negated ? ' AND ' : ' OR ')})`;
}

/** Fields the rollup keeps, so terms on them alone can be counted from it. */
const ROLLUP_FIELDS: ReadonlySet<FieldName> = new Set(['dataset', 'level', 'source']);

export type Target = 'events' | 'rollup';

/** `*` means any run of characters; GLOB's own `?` and `[` are taken literally. */
export function globOf(pattern: string): string {
  return pattern.replace(/[[?]/g, (c) => `[${c}]`);
}

/** A LIKE pattern (with ESCAPE '\') matching text that contains `text`, `*` there as anything. */
export function likeContaining(text: string, wildcard: boolean): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return `%${wildcard ? escaped.replace(/\*/g, '%') : escaped}%`;
}

/** Compiles a parsed query into a condition over `target`'s columns. */
export function compileQuery(node: QueryNode, target: Target = 'events'): Fragment {
  const params: unknown[] = [];
  const sql = compile(node, false, target, params);
  return { sql, params };
}

function compile(node: QueryNode, negated: boolean, target: Target, params: unknown[]): string {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const joiner = (node.kind === 'and') !== negated ? ' AND ' : ' OR ';
      return `(${node.children.map((c) => compile(c, negated, target, params)).join(joiner)})`;
    }
    case 'not':
      return compile(node.child, !negated, target, params);
    case 'text':
      if (target === 'rollup') throw new Error('text is not kept in the rollup');
      params.push(likeContaining(node.text, !node.phrase));
      return `raw ${negated ? 'NOT LIKE' : 'LIKE'} ? ESCAPE '\\'`;
    case 'term':
      return term(node, negated, target, params);
    default:
      return assertNever(node);
  }
}

function term(node: TermNode, negated: boolean, target: Target, params: unknown[]): string {
  const { field, test } = node;
  if (target === 'rollup' && !ROLLUP_FIELDS.has(field)) throw new Error(`${field} is not kept in the rollup`);
  switch (field) {
    case 'level':
      if (test.type !== 'level') break;
      params.push(test.level);
      return `${target === 'rollup' ? 'level' : LEVEL_SQL} ${negated ? '<>' : '='} ?`;
    case 'source':
      if (test.type === 'id') {
        params.push(test.id);
        return `source_id ${negated ? '<>' : '='} ?`;
      }
      if (test.type === 'equals' || test.type === 'pattern') {
        // By the name shown (relative to the imported folder), the full path, or the file's own name.
        const glob = test.type === 'equals' ? globOf(test.value).replace(/\*/g, '[*]') : globOf(test.pattern);
        params.push(glob, glob, `*/${glob}`);
        return `source_id ${negated ? 'NOT IN' : 'IN'} (SELECT id FROM sources WHERE name GLOB ? OR path GLOB ? OR path GLOB ?)`;
      }
      break;
    case 'alert':
      if (test.type !== 'id') break;
      params.push(test.id);
      return `id ${negated ? 'NOT IN' : 'IN'} (SELECT event_id FROM alert_events WHERE alert_id = ?)`;
    default: {
      if (isIntelField(field)) return intelTest(field, test, negated, params);
      const columns = COLUMNS[field];
      const each = columns.map((c) => columnTest(c, test, negated, params));
      return each.length === 1 ? each[0]! : `(${each.join(negated ? ' AND ' : ' OR ')})`;
    }
  }
  throw new Error(`${field} cannot test ${test.type}`);
}

/** One column against one test; never NULL, so that negations and ORs mean what they say. */
function columnTest(c: string, test: Test, negated: boolean, params: unknown[]): string {
  switch (test.type) {
    case 'equals':
    case 'ip':
      params.push(test.value);
      return negated ? `${c} IS NOT ?` : `${c} = ?`;
    case 'pattern':
      params.push(globOf(test.pattern));
      return negated ? `(${c} IS NULL OR ${c} NOT GLOB ?)` : `${c} GLOB ?`;
    case 'compare':
      params.push(test.value);
      if (test.op === '=') return negated ? `${c} IS NOT ?` : `${c} = ?`;
      return negated ? `(${c} IS NULL OR NOT ${c} ${test.op} ?)` : `${c} ${test.op} ?`;
    case 'digits':
      params.push(globOf(test.pattern));
      return negated ? `(${c} IS NULL OR CAST(${c} AS TEXT) NOT GLOB ?)` : `CAST(${c} AS TEXT) GLOB ?`;
    case 'cidr': {
      // The leading octets, as text, let SQLite narrow the rows with an index before the exact test.
      const prefix = ipv4TextPrefix(test.cidr);
      if (negated) {
        params.push(test.cidr.text);
        return `NOT loupe_in_cidr(${c}, ?)`;
      }
      if (prefix !== undefined) {
        params.push(`${globOf(prefix)}*`, test.cidr.text);
        return `(${c} GLOB ? AND loupe_in_cidr(${c}, ?))`;
      }
      params.push(test.cidr.text);
      return `loupe_in_cidr(${c}, ?)`;
    }
    case 'level':
    case 'id':
      throw new Error(`a column cannot test ${test.type}`);
    default:
      return assertNever(test);
  }
}

/** True when the query has no free text and every term is about one of `fields`. */
export function onlyFields(node: QueryNode | null, fields: ReadonlySet<FieldName>): boolean {
  if (node === null) return true;
  switch (node.kind) {
    case 'and': case 'or': return node.children.every((c) => onlyFields(c, fields));
    case 'not': return onlyFields(node.child, fields);
    case 'text': return false;
    case 'term': return fields.has(node.field);
    default: return assertNever(node);
  }
}

/** True when every term of the query is about what the rollup keeps (dataset, level, source). */
export function rollupCanAnswer(node: QueryNode | null): boolean {
  return onlyFields(node, ROLLUP_FIELDS);
}

/** The view filter parsed once: its query's tree, and whether the rollup can count it. */
export interface PreparedFilter {
  filter: ViewFilter;
  ast: QueryNode | null;
  /** No IP, user, host or text, and a query only about dataset, level and source. */
  rollup: boolean;
}

export function prepareFilter(filter: ViewFilter): PreparedFilter {
  const ast = filter.query === undefined ? null : parseQuery(filter.query);
  const textWords = (filter.text ?? '').split(/\s+/).filter(Boolean);
  const rollup = filter.ip === undefined && filter.user === undefined && filter.host === undefined && textWords.length === 0
    && rollupCanAnswer(ast);
  return { filter, ast, rollup };
}

/** What to tell the analyst about a filter-bar query that does not parse, and where. */
export function filterProblem(err: QueryError): string {
  return `filter: ${err.message} (at characters ${err.start + 1}–${Math.max(err.start + 1, err.end)})`;
}

/**
 * The filter prepared, or, when its query does not parse, the error `makeError` builds from what to
 * tell the analyst (each caller's own class of error meant for the analyst).
 */
export function prepareOrThrow(filter: ViewFilter, makeError: (message: string) => Error): PreparedFilter {
  try {
    return prepareFilter(filter);
  } catch (err) {
    if (err instanceof QueryError) throw makeError(filterProblem(err));
    throw err;
  }
}

/**
 * The filter as conditions over `events` (or over the rollup's columns, for a filter it can
 * answer; time bounds are then left to the caller, who knows the buckets).
 */
export function filterWhere(p: PreparedFilter, target: Target = 'events', opts: { time?: boolean } = {}): Where {
  const { filter: f, ast } = p;
  const w = new Where();
  if (target === 'events') {
    if (f.ip !== undefined) w.add('(src_ip = ? OR dst_ip = ?)', f.ip, f.ip);
    if (f.user !== undefined) w.add('user = ?', f.user);
    if (f.host !== undefined) w.add('host = ?', f.host);
    if (opts.time !== false) {
      if (f.from !== undefined) w.add('ts >= ?', f.from);
      if (f.to !== undefined) w.add('ts < ?', f.to);
    }
    for (const word of (f.text ?? '').split(/\s+/).filter(Boolean)) w.add("raw LIKE ? ESCAPE '\\'", likeContaining(word, false));
  } else if (!p.rollup) {
    throw new Error('the rollup cannot answer this filter');
  }
  if (f.sourceId !== undefined) w.add('source_id = ?', f.sourceId);
  if (f.dataset !== undefined) w.add('dataset = ?', f.dataset);
  if (ast) w.addFragment(compileQuery(ast, target));
  return w;
}

/**
 * SQL functions the queries use, registered on every connection a case is opened with.
 * `loupe_in_cidr(ip, network)`: 1 when the address is in the network, 0 otherwise (also for NULL
 * or text that is no address).
 */
export function registerQueryFunctions(db: Database): void {
  const nets = new Map<string, Cidr | undefined>();
  db.function('loupe_in_cidr', { deterministic: true }, (ip: unknown, net: unknown) => {
    if (typeof ip !== 'string' || typeof net !== 'string') return 0;
    let cidr = nets.get(net);
    if (cidr === undefined && !nets.has(net)) {
      cidr = parseCidr(net);
      if (nets.size > 100) nets.clear();
      nets.set(net, cidr);
    }
    return cidr !== undefined && inCidr(ip, cidr) ? 1 : 0;
  });
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
