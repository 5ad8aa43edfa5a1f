/**
 * One pass over a case's events for all detection rules at once: SQL keeps the candidates (the
 * OR, per log source, of its scope and its rules' prefilters), and the JS matcher runs the rules
 * of each candidate's log source on it. The pass walks rowid ranges, yielding between them so
 * that a cancel is seen and progress can be shown.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CaseDb } from '../engine/case-db.ts';
import type { CompiledDetection } from '../../shared/sigma/compile.ts';
import type { BaseMatch } from '../../shared/sigma/engine.ts';
import type { MatchEvent } from '../../shared/sigma/event-fields.ts';
import { EventCache } from '../../shared/sigma/matcher.ts';
import type { IpListLookup } from '../../shared/sigma/event-cache.ts';
import { inScope, type Column, type FieldRef, type Scope } from '../../shared/sigma/fields.ts';
import { columnName, join, ruleSql, scopeSql, type Sql } from './prefilter.ts';

export class DetectionCancelled extends Error {
  constructor() {
    super('detection run cancelled');
  }
}

export interface ScanProgress {
  /** Rowids covered so far, out of the largest rowid. */
  scanned: number;
  total: number;
  candidates: number;
  matches: number;
}

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Rowids per SQL query (default 1000: small batches keep the garbage collector's work light). */
  chunk?: number;
  /** The imported lists an address is on, for rules that use `iplist`. */
  ipLists?: IpListLookup;
  /** Scan the rows up to this id (default: all the case holds when the scan starts). */
  toId?: number;
}

/** Columns every scan reads: identity, scope, and the entity of an alert. */
const BASE_COLUMNS: Column[] = ['ts', 'dataset', 'program', 'srcIp', 'dstIp', 'user', 'host'];
/** SQLite's limit on bound parameters is 32766. */
const MAX_PARAMS = 30_000;
/**
 * Above this many LIKE patterns for one log source, reading its events into JS is cheaper than
 * having SQLite test every pattern on every row: a LIKE costs ~45 ns a row, reading a row ~1 µs,
 * and the JS matcher runs a rule's literals as one regular expression (measured on 1M access-log
 * lines: 60 LIKEs took 2.8 s, reading every row 1.1 s).
 */
const SQL_PATTERN_BUDGET = 24;

interface Plan {
  rules: CompiledDetection[];
  where: Sql;
}

/**
 * The WHERE clause of a pass, split so that no statement binds too many parameters. Rules of one
 * log source share its scope test; the source is filtered in SQL only when every rule of it has a
 * prefilter and their patterns are few enough to be worth it. Every candidate then goes through
 * every rule's matcher, which checks the scope first: that costs less than having SQLite compute a
 * verdict column per rule for every row (3.3 s more per million rows with the built-in pack).
 */
function plans(detections: readonly CompiledDetection[]): Plan[] {
  const out: Plan[] = [];
  let batch: { rule: CompiledDetection; scope: Sql; filter: Sql | null }[] = [];
  let params = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const byScope = new Map<string, { scope: Scope; sql: Sql; filters: (Sql | null)[] }>();
    for (const b of batch) {
      const key = JSON.stringify(b.scope);
      const g = byScope.get(key) ?? { scope: b.rule.scope, sql: b.scope, filters: [] };
      g.filters.push(b.filter);
      byScope.set(key, g);
    }
    // Log sources read whole come first, in one test, so their events are let through at once.
    const whole: Scope[] = [];
    const filtered: Sql[] = [];
    for (const g of byScope.values()) {
      const patterns = g.filters.reduce((n, f) => n + (f?.params.length ?? 0), 0);
      if (g.filters.some((f) => f === null) || patterns > SQL_PATTERN_BUDGET) whole.push(g.scope);
      else filtered.push(join([g.sql, join(g.filters as Sql[], 'OR')], 'AND'));
    }
    const groups = [...(whole.length > 0 ? [scopeSql(whole)] : []), ...filtered];
    const where = groups.reduce((a, b) => ({ sql: `${a.sql} OR ${b.sql}`, params: [...a.params, ...b.params] }));
    out.push({ rules: batch.map((b) => b.rule), where });
    batch = [];
    params = 0;
  };
  for (const rule of detections) {
    const scope = scopeSql(rule.scope);
    const filter = ruleSql(rule);
    const n = scope.params.length + (filter?.params.length ?? 0);
    if (params + n > MAX_PARAMS) flush();
    batch.push({ rule, scope, filter });
    params += n;
  }
  flush();
  return out;
}

/** The columns the rules (and the correlations' group-by fields) read. */
function columnsFor(refs: readonly FieldRef[]): { columns: Column[]; extra: boolean } {
  const columns = new Set<Column>(BASE_COLUMNS);
  let extra = false;
  for (const r of refs) {
    if (r.column !== undefined) columns.add(r.column);
    if (r.extra !== undefined) extra = true;
  }
  return { columns: [...columns], extra };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface ScanStatement {
  /** SELECT over a rowid range: its first two parameters are the range (exclusive, inclusive). */
  sql: string;
  /** The parameters after the range (the prefilter's). */
  params: unknown[];
  rules: CompiledDetection[];
  columns: Column[];
  extra: boolean;
}

/** The statements of a pass: one, unless the rules bind more parameters than SQLite allows. */
export function scanStatements(detections: readonly CompiledDetection[], extraRefs: readonly FieldRef[] = []): ScanStatement[] {
  const { columns, extra } = columnsFor([...detections.flatMap((d) => d.refs), ...extraRefs]);
  const select = ['id', ...columns.map((col) => `${columnName(col)} AS ${col}`), ...(extra ? ['extra'] : [])].join(', ');
  return plans(detections).map((plan) => ({
    // NOT INDEXED: the rowid range is the access path; an OR over indexed columns must not become index scans.
    sql: `SELECT ${select} FROM events NOT INDEXED WHERE id > ? AND id <= ? AND (${plan.where.sql})`,
    params: plan.where.params, rules: plan.rules, columns, extra,
  }));
}

/**
 * Matches rules against rowid ranges of the events table, the statements prepared once: the scan
 * of a whole case walks the ranges in turn, a live feed matches each batch as it is stored.
 */
export class RangeMatcher {
  readonly statementCount: number;
  private readonly parts: {
    st: ScanStatement;
    stmt: Statement;
    cache: EventCache;
    /** The rules whose log source an event belongs to, per dataset (and program, for syslog lines). */
    buckets: Map<string, CompiledDetection[]>;
  }[];

  constructor(db: Database, detections: readonly CompiledDetection[], extraRefs: readonly FieldRef[] = [], ipLists?: IpListLookup) {
    const statements = detections.length === 0 ? [] : scanStatements(detections, extraRefs);
    this.parts = statements.map((st) => ({
      st, stmt: db.prepare(st.sql).raw(true), cache: new EventCache({ id: 0, ts: null, dataset: '' }, ipLists), buckets: new Map(),
    }));
    this.statementCount = statements.length;
  }

  /** Appends the matches of the rows with `from < id <= to` to `out` (per rule, in rowid order); returns the candidates read. */
  match(from: number, to: number, out: Map<CompiledDetection, BaseMatch[]>): { candidates: number; matches: number } {
    let candidates = 0;
    let matches = 0;
    for (const part of this.parts) {
      // all() over a small range reads faster than iterate() (fewer crossings into SQLite), and keeps memory flat.
      for (const row of part.stmt.all(from, to, ...part.st.params) as unknown[][]) {
        candidates++;
        const event = toEvent(row, part.st.columns, part.st.extra);
        part.cache.reset(event);
        for (const rule of this.rulesFor(part, event)) {
          const why = rule.matchInScope(event, part.cache);
          if (why === null) continue;
          let list = out.get(rule);
          if (list === undefined) {
            list = [];
            out.set(rule, list);
          }
          list.push({ detection: rule, event, why });
          matches++;
        }
      }
    }
    return { candidates, matches };
  }

  private rulesFor(part: RangeMatcher['parts'][number], e: MatchEvent): CompiledDetection[] {
    const key = e.dataset === 'syslog' ? `syslog\u0000${e.program ?? ''}` : e.dataset;
    let rules = part.buckets.get(key);
    if (rules === undefined) {
      rules = part.st.rules.filter((r) => inScope(r.scope, e.dataset, e.program));
      part.buckets.set(key, rules);
    }
    return rules;
  }
}

/**
 * Matches every detection rule against the case; returns the matches per rule in rowid order.
 * `extraRefs` are further fields the caller needs on matched events (correlation group-by fields).
 */
export async function scanEvents(
  c: CaseDb, detections: readonly CompiledDetection[], extraRefs: readonly FieldRef[], opts: ScanOptions = {},
): Promise<Map<CompiledDetection, BaseMatch[]>> {
  const out = new Map<CompiledDetection, BaseMatch[]>(detections.map((d) => [d, []]));
  if (opts.signal?.aborted) throw new DetectionCancelled();
  if (detections.length === 0) return out;
  const maxId = opts.toId ?? (c.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number);
  const chunk = opts.chunk ?? 1000;
  const matcher = new RangeMatcher(c.db, detections, extraRefs, opts.ipLists);
  const progress: ScanProgress = { scanned: 0, total: maxId * matcher.statementCount, candidates: 0, matches: 0 };
  let turn = performance.now();
  for (let from = 0; from < maxId; from += chunk) {
    const to = Math.min(from + chunk, maxId);
    const found = matcher.match(from, to, out);
    progress.candidates += found.candidates;
    progress.matches += found.matches;
    progress.scanned += (to - from) * matcher.statementCount;
    // Every 50 ms the event loop gets a turn (a cancel can arrive) and progress is reported.
    if (performance.now() - turn > 50 || to >= maxId) {
      opts.onProgress?.({ ...progress });
      await tick();
      if (opts.signal?.aborted) throw new DetectionCancelled();
      turn = performance.now();
    }
  }
  return out;
}

/** A row (id, the columns, then extra) as an event; NULL columns are left out. */
function toEvent(row: unknown[], columns: readonly Column[], extra: boolean): MatchEvent {
  const e: Record<string, unknown> = { id: row[0], ts: row[1] ?? null };
  for (let i = 1; i < columns.length; i++) {
    const v = row[i + 1];
    if (v !== null) e[columns[i] as string] = v;
  }
  if (extra && typeof row[columns.length + 1] === 'string') e['extra'] = JSON.parse(row[columns.length + 1] as string) as unknown;
  return e as MatchEvent;
}
