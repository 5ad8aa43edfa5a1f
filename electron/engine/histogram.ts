/**
 * The timeline: matching events per time bucket, stacked by dataset or by level. A filter the
 * rollup can answer (time, source, dataset, level) is counted from it: the range is cut into whole
 * days, hours and minutes, read from the rollup, and the part-minutes at its ends, counted from
 * the events through the time index. Any other filter is counted by scanning the events it selects.
 */
import type { Database } from 'better-sqlite3';
import type { PreparedFilter } from './query-sql.ts';
import { filterWhere } from './query-sql.ts';
import { DAY, HOUR, LEVEL_SQL, MINUTE, ROLLUP_SPANS, rollupIsFresh } from './rollup.ts';

export type StackBy = 'dataset' | 'level';

export interface Histogram {
  from: number | null;
  to: number | null;
  bucketMs: number;
  /** Stack names, most events first. */
  series: string[];
  buckets: { start: number; counts: number[] }[];
  /** Matching events, with and without a time. */
  total: number;
  untimed: number;
}

const SECOND = 1000;
/** Bucket lengths a person reads easily; past the last, whole multiples of it. */
export const NICE_STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY, 365 * DAY,
] as const;

export const DEFAULT_TARGET_BUCKETS = 120;

/** The smallest nice step that covers `rangeMs` in at most about `target` buckets. */
export function niceBucket(rangeMs: number, target: number): number {
  const rough = Math.max(1, rangeMs / target);
  const step = NICE_STEPS.find((s) => s >= rough);
  if (step !== undefined) return step;
  const year = NICE_STEPS[NICE_STEPS.length - 1]!;
  return Math.ceil(rough / year) * year;
}

const floorTo = (t: number, step: number): number => t - (((t % step) + step) % step);
const ceilTo = (t: number, step: number): number => floorTo(t + step - 1, step);

export interface HistogramOptions {
  stackBy: StackBy;
  targetBuckets?: number;
  /** Count from the rollup when it can answer (default), or always scan (tests compare the two). */
  useRollup?: boolean;
}

export function eventHistogram(db: Database, p: PreparedFilter, opts: HistogramOptions): Histogram {
  const rollup = (opts.useRollup ?? true) && p.rollup && rollupIsFresh(db);
  const counter = rollup ? new RollupCounts(db, p, opts.stackBy) : new ScanCounts(db, p, opts.stackBy);
  const untimed = p.filter.from !== undefined || p.filter.to !== undefined ? 0 : counter.untimed();
  const bounds = counter.bounds();
  const target = opts.targetBuckets ?? DEFAULT_TARGET_BUCKETS;
  if (bounds === null) return { from: null, to: null, bucketMs: niceBucket(0, target), series: [], buckets: [], total: untimed, untimed };
  const from = p.filter.from ?? bounds.min;
  const to = p.filter.to ?? bounds.max + 1;
  let bucketMs = niceBucket(to - from, target);
  // Below a minute the rollup cannot help; on a range of hours that is too many events to scan.
  if (bucketMs < MINUTE && to - from > 2 * HOUR) bucketMs = MINUTE;

  const counts = new Map<number, Map<string, number>>();
  const add = (bucket: number, stack: string, n: number): void => {
    let row = counts.get(bucket);
    if (!row) counts.set(bucket, (row = new Map()));
    row.set(stack, (row.get(stack) ?? 0) + n);
  };
  counter.count(from, to, bucketMs, add);

  const perStack = new Map<string, number>();
  let timed = 0;
  for (const row of counts.values()) {
    for (const [stack, n] of row) {
      perStack.set(stack, (perStack.get(stack) ?? 0) + n);
      timed += n;
    }
  }
  const series = [...perStack].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
  if (timed === 0) return { from: null, to: null, bucketMs, series: [], buckets: [], total: untimed, untimed };
  const buckets: Histogram['buckets'] = [];
  for (let start = floorTo(from, bucketMs); start < to; start += bucketMs) {
    const row = counts.get(start);
    buckets.push({ start, counts: series.map((s) => row?.get(s) ?? 0) });
  }
  return { from, to, bucketMs, series, buckets, total: timed + untimed, untimed };
}

type Add = (bucket: number, stack: string, n: number) => void;

interface Counts {
  untimed(): number;
  /** Earliest and latest time of a matching event (or of its minute), or null when none has one. */
  bounds(): { min: number; max: number } | null;
  count(from: number, to: number, bucketMs: number, add: Add): void;
}

const bucketOf = (expr: string): string => `(${expr} - (((${expr} % ?) + ?) % ?))`;

class ScanCounts implements Counts {
  private readonly db: Database;
  private readonly p: PreparedFilter;
  private readonly stack: string;

  constructor(db: Database, p: PreparedFilter, stackBy: StackBy) {
    this.db = db;
    this.p = p;
    this.stack = stackBy === 'level' ? LEVEL_SQL : 'dataset';
  }

  untimed(): number {
    const w = filterWhere(this.p, 'events', { time: false }).add('ts IS NULL');
    return this.db.prepare(`SELECT count(*) FROM events WHERE ${w.sql}`).pluck().get(...w.params) as number;
  }

  bounds(): { min: number; max: number } | null {
    const w = filterWhere(this.p).add('ts IS NOT NULL');
    const r = this.db.prepare(`SELECT min(ts) AS min, max(ts) AS max FROM events WHERE ${w.sql}`).get(...w.params) as { min: number | null; max: number | null };
    return r.min === null || r.max === null ? null : { min: r.min, max: r.max };
  }

  count(from: number, to: number, bucketMs: number, add: Add): void {
    this.countRange(from, to, bucketMs, add);
  }

  /** Events in [from, to), counted per bucket from the events themselves. */
  countRange(from: number, to: number, bucketMs: number, add: Add): void {
    if (from >= to) return;
    const w = filterWhere(this.p, 'events', { time: false }).add('ts >= ?', from).add('ts < ?', to);
    const rows = this.db.prepare(`SELECT ${bucketOf('ts')} AS bucket, ${this.stack} AS stack, count(*) AS n FROM events WHERE ${w.sql} GROUP BY 1, 2`)
      .raw().all(bucketMs, bucketMs, bucketMs, ...w.params) as [number, string, number][];
    for (const [bucket, stack, n] of rows) add(bucket, stack, n);
  }
}

export class RollupCounts implements Counts {
  private readonly db: Database;
  private readonly p: PreparedFilter;
  private readonly stackBy: StackBy;
  private readonly edges: ScanCounts;

  constructor(db: Database, p: PreparedFilter, stackBy: StackBy) {
    this.db = db;
    this.p = p;
    this.stackBy = stackBy;
    this.edges = new ScanCounts(db, p, stackBy);
  }

  untimed(): number {
    const w = filterWhere(this.p, 'rollup');
    return this.db.prepare(`SELECT coalesce(sum(n), 0) FROM event_rollup_untimed WHERE ${w.sql}`).pluck().get(...w.params) as number;
  }

  bounds(): { min: number; max: number } | null {
    const w = filterWhere(this.p, 'rollup').add('span = ?', MINUTE);
    const { from, to } = this.p.filter;
    if (from !== undefined) w.add('start >= ?', floorTo(from, MINUTE));
    if (to !== undefined) w.add('start < ?', to);
    // The first two and last two minutes with events: the minute a bound falls in may hold only
    // events outside it, the next one holds only events inside. Their events give the exact times.
    const minutes = (order: 'ASC' | 'DESC'): number[] =>
      this.db.prepare(`SELECT DISTINCT start FROM event_rollup WHERE ${w.sql} ORDER BY start ${order} LIMIT 2`).pluck().all(...w.params) as number[];
    const first = minutes('ASC');
    const last = minutes('DESC');
    if (first.length === 0 || last.length === 0) return null;
    const exact = (fn: 'min' | 'max', lo: number, hi: number): number | null => {
      const e = filterWhere(this.p).add('ts >= ?', lo).add('ts < ?', hi + MINUTE);
      return this.db.prepare(`SELECT ${fn}(ts) FROM events WHERE ${e.sql}`).pluck().get(...e.params) as number | null;
    };
    const min = exact('min', first[0]!, first.at(-1)!);
    const max = exact('max', last.at(-1)!, last[0]!);
    return min === null || max === null ? null : { min, max };
  }

  count(from: number, to: number, bucketMs: number, add: Add): void {
    const spans = ROLLUP_SPANS.filter((s) => bucketMs % s === 0);
    if (spans.length === 0) {
      this.edges.countRange(from, to, bucketMs, add);
      return;
    }
    const lo = ceilTo(from, MINUTE);
    const hi = floorTo(to, MINUTE);
    if (lo >= hi) {
      this.edges.countRange(from, to, bucketMs, add);
      return;
    }
    this.edges.countRange(from, lo, bucketMs, add);
    this.edges.countRange(hi, to, bucketMs, add);
    for (const piece of decompose(lo, hi, spans)) this.countSpan(piece, bucketMs, add);
  }

  private countSpan(piece: { span: number; from: number; to: number }, bucketMs: number, add: Add): void {
    const w = filterWhere(this.p, 'rollup').add('span = ?', piece.span).add('start >= ?', piece.from).add('start < ?', piece.to);
    const rows = this.db.prepare(`SELECT ${bucketOf('start')} AS bucket, ${this.stackBy} AS stack, sum(n) AS n FROM event_rollup
        WHERE ${w.sql} GROUP BY 1, 2`).raw().all(bucketMs, bucketMs, bucketMs, ...w.params) as [number, string, number][];
    for (const [bucket, stack, n] of rows) add(bucket, stack, n);
  }
}

/**
 * [lo, hi) (whole minutes) as pieces of the longest spans that fit: minutes up to the first whole
 * hour, hours up to the first whole day, days, then back down at the end.
 */
export function decompose(lo: number, hi: number, spans: readonly number[]): { span: number; from: number; to: number }[] {
  if (lo >= hi) return [];
  const big = spans[spans.length - 1]!;
  const smaller = spans.slice(0, -1);
  if (smaller.length === 0) return [{ span: big, from: lo, to: hi }];
  const bigLo = ceilTo(lo, big);
  const bigHi = floorTo(hi, big);
  if (bigLo >= bigHi) return decompose(lo, hi, smaller);
  return [...decompose(lo, bigLo, smaller), { span: big, from: bigLo, to: bigHi }, ...decompose(bigHi, hi, smaller)];
}
