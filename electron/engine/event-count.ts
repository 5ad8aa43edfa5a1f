/**
 * How many events match the view filter: exact and cheap where the case keeps the answer (the
 * rollup; an entity's index), otherwise counted up to a cap, beyond which the count is a lower
 * bound and says so.
 */
import type { Database } from 'better-sqlite3';
import { RollupCounts } from './histogram.ts';
import { filterWhere, type PreparedFilter } from './query-sql.ts';
import { DAY, rollupIsFresh } from './rollup.ts';

export const COUNT_CAP = 100_000;

export interface EventCount {
  count: number;
  /** False when counting stopped at the cap and `count` is a lower bound. */
  exact: boolean;
}

export function countMatching(db: Database, p: PreparedFilter, cap = COUNT_CAP): EventCount {
  if (p.rollup && rollupIsFresh(db)) return { count: fromRollup(db, p), exact: true };
  const pivot = entityOnly(p);
  if (pivot) return { count: fromIndex(db, pivot, p), exact: true };
  const w = filterWhere(p);
  const n = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM events WHERE ${w.sql} LIMIT ?)`).pluck().get(...w.params, cap + 1) as number;
  return n > cap ? { count: cap, exact: false } : { count: n, exact: true };
}

function fromRollup(db: Database, p: PreparedFilter): number {
  const counts = new RollupCounts(db, p, 'dataset');
  let n = p.filter.from === undefined && p.filter.to === undefined ? counts.untimed() : 0;
  const bounds = counts.bounds();
  if (bounds === null) return n;
  const from = p.filter.from ?? bounds.min;
  const to = p.filter.to ?? bounds.max + 1;
  // Any bucket a whole number of days long lets every rollup span count; the buckets are summed.
  counts.count(from, to, DAY, (_bucket, _stack, k) => {
    n += k;
  });
  return n;
}

/** The filter is one IP, user or host pivot, maybe with a time range: its index counts it alone. */
function entityOnly(p: PreparedFilter): { column: 'ip' | 'user' | 'host'; value: string } | undefined {
  const { ip, user, host, from: _from, to: _to, ...others } = p.filter;
  const rest = Object.values(others).some((v) => v !== undefined && v !== '') || p.ast !== null;
  const pivots = [ip, user, host].filter((v) => v !== undefined).length;
  if (rest || pivots !== 1) return undefined;
  if (ip !== undefined) return { column: 'ip', value: ip };
  if (user !== undefined) return { column: 'user', value: user };
  return host !== undefined ? { column: 'host', value: host } : undefined;
}

function fromIndex(db: Database, pivot: { column: 'ip' | 'user' | 'host'; value: string }, p: PreparedFilter): number {
  const time: string[] = [];
  const params: unknown[] = [];
  if (p.filter.from !== undefined) {
    time.push('ts >= ?');
    params.push(p.filter.from);
  }
  if (p.filter.to !== undefined) {
    time.push('ts < ?');
    params.push(p.filter.to);
  }
  const and = time.map((t) => ` AND ${t}`).join('');
  const one = (sql: string, ...first: unknown[]): number => db.prepare(sql).pluck().get(...first, ...params) as number;
  if (pivot.column !== 'ip') return one(`SELECT count(*) FROM events WHERE ${pivot.column} = ?${and}`, pivot.value);
  return one(`SELECT count(*) FROM events WHERE src_ip = ?${and}`, pivot.value)
    + one(`SELECT count(*) FROM events WHERE dst_ip = ? AND src_ip IS NOT ?${and}`, pivot.value, pivot.value);
}
