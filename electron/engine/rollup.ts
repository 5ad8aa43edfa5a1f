/**
 * Event counts per time bucket, source, dataset and level (migration 0003), so that the timeline
 * and counts read thousands of rows instead of scanning millions of events.
 *
 * The event writer counts the rows it writes in memory (RollupCounter) and adds the counts in the
 * same transaction as the rows, which costs a few per cent of an import where a pass over the new
 * rows afterwards would cost a sixth of it. Anything else — a case from before migration 0003,
 * rows written another way, a new definition of the level — is caught up in SQL by
 * `updateRollup`, which opening a case and the end of an import call. Queries trust the counts only
 * when `rollupIsFresh` says they cover every event.
 */
import type { Database, Statement } from 'better-sqlite3';
import { UNPARSED } from '../../shared/event.ts';
import { ERROR_WORDS, LEVELS, LEVELS_VERSION, WARNING_WORDS, type EventLevel } from '../../shared/query/level.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** The bucket lengths kept, shortest first; each is a multiple of the one before. */
export const ROLLUP_SPANS = [MINUTE, HOUR, DAY] as const;

const quoted = (words: readonly string[]): string => words.map((w) => `'${w}'`).join(', ');
const severityText = (path: string): string => `iif(json_type(extra, '${path}') = 'text', extra ->> '${path}', NULL)`;

/**
 * `eventLevel` (shared/query/level.ts) as a SQL expression over an `events` row; the tests check
 * that the two agree.
 */
export const LEVEL_SQL = `(CASE
  WHEN dataset = '${UNPARSED}' THEN 'unparsed'
  WHEN http_status >= 500 THEN 'error'
  WHEN http_status >= 400 OR outcome = 'failure' THEN 'failure'
  WHEN extra IS NULL THEN 'info'
  ELSE CASE
    WHEN lower(coalesce(${severityText('$.severity')}, ${severityText('$.level')})) IN (${quoted(ERROR_WORDS)}) THEN 'error'
    WHEN lower(coalesce(${severityText('$.severity')}, ${severityText('$.level')})) IN (${quoted(WARNING_WORDS)}) THEN 'warning'
    ELSE 'info' END
END)`;

/** The start of the bucket of length `span` that holds `ts` (floor, also before 1970). */
export function bucketStart(ts: number, span: number): number {
  return ts - (((ts % span) + span) % span);
}

/** SQL for `bucketStart` over an integer expression and a bound span. */
const bucketSql = (expr: string, span: string): string => `(${expr} - (((${expr} % ${span}) + ${span}) % ${span}))`;

export function hasRollup(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'rollup_state'").get() !== undefined;
}

interface RollupState {
  through_id: number;
  levels: number;
}

function readState(db: Database): RollupState | undefined {
  return db.prepare('SELECT through_id, levels FROM rollup_state WHERE id = 1').get() as RollupState | undefined;
}

function maxEventId(db: Database): number {
  return (db.prepare('SELECT max(id) FROM events').pluck().get() as number | null) ?? 0;
}

/** True when the counts cover every event of the case with today's definition of the level. */
export function rollupIsFresh(db: Database): boolean {
  if (!hasRollup(db)) return false;
  const state = readState(db);
  return state !== undefined && state.levels === LEVELS_VERSION && state.through_id === maxEventId(db);
}

/**
 * Counts in SQL the events the rollup does not cover yet (all of them when the level definition
 * changed), in one transaction. Returns how many events were counted.
 */
export function updateRollup(db: Database): number {
  if (!hasRollup(db)) return 0;
  return db.transaction(() => {
    const state = readState(db);
    if (!state) throw new Error('rollup_state has no row; the case schema is damaged');
    let through = state.through_id;
    if (state.levels !== LEVELS_VERSION) {
      db.exec('DELETE FROM event_rollup; DELETE FROM event_rollup_untimed');
      through = 0;
    }
    const max = maxEventId(db);
    if (through > max) through = max;
    let counted = 0;
    if (max > through) {
      db.exec('CREATE TEMP TABLE IF NOT EXISTS rollup_new (start INTEGER, source_id INTEGER, dataset TEXT, level TEXT, n INTEGER)');
      db.exec('DELETE FROM temp.rollup_new');
      db.prepare(`INSERT INTO temp.rollup_new (start, source_id, dataset, level, n)
          SELECT ${bucketSql('ts', String(MINUTE))}, source_id, dataset, ${LEVEL_SQL}, count(*)
          FROM events WHERE id > ? AND id <= ? AND ts IS NOT NULL GROUP BY 1, 2, 3, 4`).run(through, max);
      for (const span of ROLLUP_SPANS) {
        db.prepare(`INSERT INTO event_rollup (span, start, source_id, dataset, level, n)
            SELECT @span, ${bucketSql('start', '@span')}, source_id, dataset, level, sum(n) FROM temp.rollup_new WHERE true
            GROUP BY 2, 3, 4, 5
            ON CONFLICT DO UPDATE SET n = n + excluded.n`).run({ span });
      }
      db.prepare(`INSERT INTO event_rollup_untimed (source_id, dataset, level, n)
          SELECT source_id, dataset, ${LEVEL_SQL}, count(*) FROM events WHERE id > ? AND id <= ? AND ts IS NULL
          GROUP BY 1, 2, 3
          ON CONFLICT DO UPDATE SET n = n + excluded.n`).run(through, max);
      counted = (db.prepare('SELECT coalesce(sum(n), 0) FROM temp.rollup_new').pluck().get() as number)
        + (db.prepare('SELECT count(*) FROM events WHERE id > ? AND id <= ? AND ts IS NULL').pluck().get(through, max) as number);
      db.exec('DELETE FROM temp.rollup_new');
    }
    db.prepare('UPDATE rollup_state SET through_id = ?, levels = ? WHERE id = 1').run(max, LEVELS_VERSION);
    return counted;
  }).immediate();
}

const LEVEL_INDEX: Record<EventLevel, number> = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<EventLevel, number>;
const UNTIMED = Number.NaN;

/**
 * The counts of the rows one writer transaction adds, kept in memory and added to the rollup just
 * before it commits. They are added only when the rollup covered every event when the transaction
 * began; otherwise they are dropped and `updateRollup` counts those rows later.
 */
export class RollupCounter {
  private readonly db: Database;
  private readonly sourceId: number;
  private readonly enabled: boolean;
  /** Minute start (NaN: no time) → dataset → count per level. */
  private counts = new Map<number, Map<string, number[]>>();
  private lastMinute = Number.NEGATIVE_INFINITY;
  private lastByDataset: Map<string, number[]> | undefined;
  private maxIdAtBegin = 0;
  private statements: { timed: Statement; untimed: Statement } | undefined;

  constructor(db: Database, sourceId: number) {
    this.db = db;
    this.sourceId = sourceId;
    this.enabled = hasRollup(db);
  }

  /** Call inside the writer's transaction, before its first row. */
  begin(): void {
    this.reset();
    if (this.enabled) this.maxIdAtBegin = maxEventId(this.db);
  }

  /** One stored row: its `ts` and `dataset` columns and its level. */
  add(ts: number | null, dataset: string, level: EventLevel): void {
    const minute = ts === null ? UNTIMED : bucketStart(ts, MINUTE);
    let byDataset = this.lastByDataset;
    if (minute !== this.lastMinute || byDataset === undefined) {
      byDataset = this.counts.get(minute);
      if (!byDataset) this.counts.set(minute, (byDataset = new Map()));
      this.lastMinute = minute;
      this.lastByDataset = byDataset;
    }
    let perLevel = byDataset.get(dataset);
    if (!perLevel) byDataset.set(dataset, (perLevel = new Array<number>(LEVELS.length).fill(0)));
    perLevel[LEVEL_INDEX[level]]!++;
  }

  /** Call inside the writer's transaction, just before COMMIT. */
  commit(): void {
    if (!this.enabled) return;
    const state = readState(this.db);
    if (state && state.levels === LEVELS_VERSION && state.through_id === this.maxIdAtBegin) {
      this.write();
      this.db.prepare('UPDATE rollup_state SET through_id = ? WHERE id = 1').run(maxEventId(this.db));
    }
    this.reset();
  }

  /** The transaction was rolled back: its rows, and so its counts, are gone. */
  reset(): void {
    this.counts = new Map();
    this.lastMinute = Number.NEGATIVE_INFINITY;
    this.lastByDataset = undefined;
  }

  private write(): void {
    this.statements ??= {
      timed: this.db.prepare(`INSERT INTO event_rollup (span, start, source_id, dataset, level, n) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT DO UPDATE SET n = n + excluded.n`),
      untimed: this.db.prepare(`INSERT INTO event_rollup_untimed (source_id, dataset, level, n) VALUES (?, ?, ?, ?)
          ON CONFLICT DO UPDATE SET n = n + excluded.n`),
    };
    const { timed, untimed } = this.statements;
    // Longer spans are summed from the minutes here, so each is written once per transaction.
    const longer = ROLLUP_SPANS.slice(1).map(() => new Map<string, number>());
    for (const [minute, byDataset] of this.counts) {
      for (const [dataset, perLevel] of byDataset) {
        perLevel.forEach((n, i) => {
          if (n === 0) return;
          const level = LEVELS[i]!;
          if (Number.isNaN(minute)) {
            untimed.run(this.sourceId, dataset, level, n);
            return;
          }
          timed.run(MINUTE, minute, this.sourceId, dataset, level, n);
          ROLLUP_SPANS.slice(1).forEach((span, s) => {
            const key = JSON.stringify([bucketStart(minute, span), dataset, level]);
            const sums = longer[s]!;
            sums.set(key, (sums.get(key) ?? 0) + n);
          });
        });
      }
    }
    ROLLUP_SPANS.slice(1).forEach((span, s) => {
      for (const [key, n] of longer[s]!) {
        const [start, dataset, level] = JSON.parse(key) as [number, string, string];
        timed.run(span, start, this.sourceId, dataset, level, n);
      }
    });
  }
}
