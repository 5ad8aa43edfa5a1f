/**
 * SQL prefilters: for each compiled rule, a WHERE expression over the events table that keeps at
 * least every event the rule can match (LIKE for patterns, comparisons, IS NULL, dataset IN for
 * the log source). Whatever SQL cannot say exactly (regular expressions, negations, field
 * references) is left to the JS matcher, which checks every candidate.
 */
import type { CompiledDetection, Node } from '../../shared/sigma/compile.ts';
import type { Column, FieldRef, Scope } from '../../shared/sigma/fields.ts';
import { ipv4TextPrefix } from '../../shared/sigma/ip.ts';
import type { Check, Leaf } from '../../shared/sigma/modifiers.ts';
import { likePattern, plainText } from '../../shared/sigma/pattern.ts';

export interface Sql {
  sql: string;
  params: unknown[];
}

/** `srcIp` → `src_ip`. */
export function columnName(c: Column): string {
  return c.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
}

const INTEGER_COLUMNS = new Set<Column>(['ts', 'pid', 'srcPort', 'dstPort', 'httpStatus', 'httpBytes']);

/** Joins with AND/OR as a balanced tree, keeping SQLite's expression depth low for big rule sets. */
export function join(parts: readonly Sql[], op: 'AND' | 'OR'): Sql {
  if (parts.length === 1) return parts[0] as Sql;
  const mid = parts.length >> 1;
  const a = join(parts.slice(0, mid), op);
  const b = join(parts.slice(mid), op);
  return { sql: `(${a.sql} ${op} ${b.sql})`, params: [...a.params, ...b.params] };
}

/** AND of the parts SQL can express; null when none can. */
function all(parts: (Sql | null)[]): Sql | null {
  const known = parts.filter((p): p is Sql => p !== null);
  return known.length === 0 ? null : join(known, 'AND');
}

/** OR of the parts; null (no restriction) as soon as one cannot be expressed. */
function any(parts: (Sql | null)[]): Sql | null {
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return join(parts as Sql[], 'OR');
}

/** The events of one or several log sources: one `dataset IN` list, then syslog programs, then prefixes. */
export function scopeSql(scope: Scope | readonly Scope[]): Sql {
  const scopes: readonly Scope[] = Array.isArray(scope) ? scope : [scope as Scope];
  const datasets = [...new Set(scopes.flatMap((s) => s.datasets))];
  const programs = [...new Set(scopes.flatMap((s) => s.programs))];
  const prefixes = [...new Set(scopes.flatMap((s) => (s.datasetPrefix === undefined ? [] : [s.datasetPrefix])))];
  const parts: Sql[] = [];
  if (datasets.length > 0) parts.push({ sql: `dataset IN (${datasets.map(() => '?').join(', ')})`, params: datasets });
  if (programs.length > 0) {
    // Programs logged with a path (/usr/sbin/sshd) are let through; the matcher reads the name.
    parts.push({
      sql: `(dataset = 'syslog' AND (lower(program) IN (${programs.map(() => '?').join(', ')}) OR program LIKE '%/%'))`,
      params: programs,
    });
  }
  for (const prefix of prefixes) {
    parts.push({ sql: "(dataset LIKE ? ESCAPE '\\' AND dataset <> 'zeek.meta')", params: [`${prefix.replace(/[\\%_]/g, '\\$&')}%`] });
  }
  return parts.length === 0 ? { sql: '0', params: [] } : join(parts, 'OR');
}

/** The SQL expression of a field's value, and whether its text may differ from what JS sees. */
function valueExpr(ref: FieldRef): { expr: string; params: unknown[]; loose: boolean } | null {
  const path = ref.extra === undefined ? undefined : `$."${ref.extra}"`;
  if (ref.extra !== undefined && /["\\]/.test(ref.extra)) return null;
  if (ref.column !== undefined) {
    const col = columnName(ref.column);
    if (path === undefined) return { expr: col, params: [], loose: ref.part !== undefined };
    return { expr: `coalesce(${col}, json_extract(extra, ?))`, params: [path], loose: true };
  }
  return path === undefined ? null : { expr: 'json_extract(extra, ?)', params: [path], loose: true };
}

function checkSql(check: Check, ref: FieldRef): Sql | null {
  const v = valueExpr(ref);
  if (v === null) return null;
  const { expr, params, loose } = v;
  switch (check.kind) {
    case 'pattern': {
      if (loose && ref.extra !== undefined) {
        // JSON text of a list escapes quotes and backslashes, and booleans come out of SQLite as 1/0.
        const text = plainText(check.parts);
        if (/["\\\u0000-\u001f]/.test(text) || /^(true|false)$/i.test(text.trim())) return null;
      }
      return { sql: `${expr} LIKE ? ESCAPE '\\'`, params: [...params, likePattern(check.parts, check.cased, loose)] };
    }
    case 'cmp': {
      if (ref.part !== undefined) return null;
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[check.op];
      const numericColumn = ref.column !== undefined && INTEGER_COLUMNS.has(ref.column) && ref.extra === undefined;
      return { sql: numericColumn ? `${expr} ${op} ?` : `CAST(${expr} AS REAL) ${op} ?`, params: [...params, check.n] };
    }
    case 'cidr': {
      const prefix = ref.extra === undefined && ref.part === undefined ? ipv4TextPrefix(check.net) : undefined;
      if (prefix === undefined) return null;
      return { sql: `${expr} LIKE ? ESCAPE '\\'`, params: [...params, check.net.prefix === 32 ? prefix : `${prefix}%`] };
    }
    case 'null':
      return ref.part === undefined ? { sql: `${expr} IS NULL`, params } : null;
    case 'iplist': {
      // `intel_list_hits` holds the case's src_ip/dst_ip values on each list (electron/intel/case-ips.ts;
      // the runner refreshes it first). An address not gathered yet (rows stored since, a live feed)
      // is let through for the matcher, which reads the lists themselves; with no list at all, nothing
      // is. Other fields are left to the matcher.
      if (ref.extra !== undefined || ref.part !== undefined || (ref.column !== 'srcIp' && ref.column !== 'dstIp')) return null;
      // EXISTS, not IN (subquery): the scan runs its statement once per rowid chunk, and SQLite
      // would build the subquery's whole result again each time (measured: 58 s instead of 1 s
      // over 1M rows with 100k hits).
      return {
        sql: `(${expr} IS NOT NULL AND EXISTS (SELECT 1 FROM intel_lists) AND (EXISTS (SELECT 1 FROM intel_list_hits h JOIN intel_lists l ON l.id = h.list_id `
          + `WHERE h.ip = ${expr} AND l.name LIKE ? ESCAPE '\\') OR NOT EXISTS (SELECT 1 FROM intel_ips i WHERE i.ip = ${expr})))`,
        params: [...params, likePattern(check.parts, false)],
      };
    }
    case 're': case 'fieldref':
      return null;
  }
}

export function leafSql(leaf: Leaf): Sql | null {
  if (leaf.neq) return null;
  if (leaf.exists !== undefined) {
    const v = valueExpr(leaf.ref);
    if (v === null || leaf.ref.part !== undefined) return null;
    return { sql: `${v.expr} IS ${leaf.exists ? 'NOT ' : ''}NULL`, params: v.params };
  }
  const values = leaf.values.map((alts) => any(alts.map((c) => checkSql(c, leaf.ref))));
  return leaf.all ? all(values) : any(values);
}

function nodeSql(node: Node, searches: Map<string, Sql | null>): Sql | null {
  switch (node.op) {
    case 'and': return all(node.args.map((a) => nodeSql(a, searches)));
    case 'or': return any(node.args.map((a) => nodeSql(a, searches)));
    case 'not': return null;
    case 'ref': return searches.get(node.name) ?? null;
    case 'atleast': return any(node.names.map((n) => searches.get(n) ?? null));
  }
}

/** The rule's prefilter without its scope, or null when SQL cannot narrow it down. */
export function ruleSql(d: CompiledDetection): Sql | null {
  const searches = new Map<string, Sql | null>();
  for (const [name, alternatives] of d.searches) {
    searches.set(name, any(alternatives.map((leaves) => all(leaves.map(leafSql)))));
  }
  return nodeSql(d.root, searches);
}
