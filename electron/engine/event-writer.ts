import type { Database, Statement } from 'better-sqlite3';
import type { ParsedEvent } from '../../shared/event.ts';
import { EventFlag, UNPARSED } from '../../shared/event.ts';
import { eventLevel, type EventLevel } from '../../shared/query/level.ts';
import type { Line } from '../ingest/line-splitter.ts';
import { BatchLiterals } from './batch-literals.ts';
import type { BulkIndexUpkeep } from './case-db.ts';
import { RollupCounter } from './rollup.ts';

/** Rows per transaction: large enough that commits cost little, small enough that a kill loses little. */
export const BATCH_ROWS = 16_384;
/** Rows per INSERT statement: one call into SQLite for many rows costs far less than one per row. */
const ROWS_PER_STATEMENT = 32;

/** Columns every row binds. */
const FIXED = ['ts', 'line_no', 'offset', 'dataset', 'raw'] as const;

/** Optional columns, each with the event field it comes from. */
const OPTIONAL = [
  ['host', 'host'], ['program', 'program'], ['pid', 'pid'], ['src_ip', 'srcIp'], ['src_port', 'srcPort'],
  ['dst_ip', 'dstIp'], ['dst_port', 'dstPort'], ['user', 'user'], ['action', 'action'], ['outcome', 'outcome'],
  ['http_method', 'httpMethod'], ['url', 'url'], ['http_version', 'httpVersion'], ['http_status', 'httpStatus'],
  ['http_bytes', 'httpBytes'], ['referrer', 'referrer'], ['user_agent', 'userAgent'], ['message', 'message'],
  ['flags', 'flags'],
] as const satisfies readonly (readonly [string, keyof ParsedEvent])[];
/** Bit of `extra` in the shape mask; the optional columns take the bits below it. */
const EXTRA_BIT = 1 << OPTIONAL.length;
/** Most rows have no flags; the column's default (0) then stands. */
const FLAGS_AT = OPTIONAL.length - 1;
const FLAGS_BIT = 1 << FLAGS_AT;

interface Shape {
  mask: number;
  /** Indexes into OPTIONAL of the columns this shape binds, in order. */
  optional: number[];
  width: number;
  many: Statement;
  one: Statement;
  literals: BatchLiterals;
}

/**
 * Writes the events of one source. Rows go straight from the parser into an open transaction
 * committed every `BATCH_ROWS` rows, so memory does not grow with the file.
 *
 * Binding a value costs about as much as SQLite's whole work for a small row, and most formats
 * leave most columns empty, so the writer binds only the columns this source has used so far
 * (the set only grows, so a file needs a handful of statements) and leaves the rest NULL.
 */
export class EventWriter {
  private readonly db: Database;
  private readonly sourceId: number;
  private readonly insertBytes: Statement;
  private readonly shapes = new Map<number, Shape>();
  private shape: Shape;
  private values: unknown[] = [];
  /** The values a batch with literals binds (`BatchLiterals.pick`). */
  private readonly picked: unknown[] = [];
  /** The optional fields of the row being written, as `readOptional` reads them. */
  private readonly got = new Array<unknown>(OPTIONAL.length).fill(null);
  /** The level of each buffered row, counted in the rollup once the row is stored. */
  private readonly levels = new Array<EventLevel>(ROWS_PER_STATEMENT);
  private readonly rollup: RollupCounter;
  private buffered = 0;
  private inTx = false;
  private pending = 0;

  /** Told the columns a row uses that no row of this writer used before (import.ts's index upkeep). */
  private readonly onColumns: ((columns: readonly string[]) => void) | undefined;

  constructor(db: Database, sourceId: number, opts: Partial<BulkIndexUpkeep> = {}) {
    this.db = db;
    this.sourceId = sourceId;
    this.onColumns = opts.onColumns;
    this.insertBytes = db.prepare('INSERT INTO raw_bytes (event_id, bytes) VALUES (?, ?)');
    this.shape = this.shapeFor(0);
    this.values = new Array<unknown>(ROWS_PER_STATEMENT * this.shape.width);
    this.rollup = new RollupCounter(db, sourceId);
  }

  /** Stores one line; `event` null means no parser understood it. */
  write(line: Line, event: ParsedEvent | null): void {
    if (!this.inTx) {
      this.db.exec('BEGIN IMMEDIATE');
      this.inTx = true;
      this.rollup.begin();
    }
    let flags = event?.flags ?? 0;
    let extra = event?.extra;
    if (line.truncated) {
      flags |= EventFlag.truncated;
      extra = { ...extra, 'loupe.line_bytes': line.byteLength };
    }
    // Truncation only adds a key to `extra` that the level does not read.
    const level = event === null ? 'unparsed' : eventLevel(event);
    const mask = readOptional(this.got, event, flags, extra);
    if ((mask & ~this.shape.mask) !== 0) {
      this.flush();
      const added = mask & ~this.shape.mask;
      this.onColumns?.(OPTIONAL.flatMap(([column], i) => ((added >> i) & 1 ? [column] : [])));
      this.shape = this.shapeFor(this.shape.mask | mask);
      this.values = new Array<unknown>(ROWS_PER_STATEMENT * this.shape.width);
    }
    if (line.invalidBytes) {
      // The raw bytes row needs this event's id, so the row is inserted on its own.
      this.flush();
      const one = new Array<unknown>(this.shape.width);
      this.got[FLAGS_AT] = flags | EventFlag.invalidUtf8;
      fill(one, 0, this.shape, line, event, this.got, extra);
      const id = this.insertOne(one, level);
      this.insertBytes.run(id, line.invalidBytes);
    } else {
      fill(this.values, this.buffered * this.shape.width, this.shape, line, event, this.got, extra);
      this.levels[this.buffered] = level;
      if (++this.buffered === ROWS_PER_STATEMENT) this.flush();
    }
    if (++this.pending >= BATCH_ROWS) this.commit();
  }

  commit(): void {
    this.flush();
    if (this.inTx) {
      this.rollup.commit();
      this.db.exec('COMMIT');
      this.inTx = false;
    }
    this.pending = 0;
  }

  rollback(): void {
    this.buffered = 0;
    this.rollup.reset();
    if (this.inTx) {
      this.db.exec('ROLLBACK');
      this.inTx = false;
    }
    this.pending = 0;
  }

  private shapeFor(mask: number): Shape {
    let shape = this.shapes.get(mask);
    if (!shape) {
      const optional = OPTIONAL.flatMap((_, i) => ((mask >> i) & 1 ? [i] : []));
      const columns = ['source_id', ...FIXED, ...optional.map((i) => OPTIONAL[i]![0]), ...(mask & EXTRA_BIT ? ['extra'] : [])];
      // source_id is the same for every row of this writer, so it is a literal rather than a bound value.
      const bound = columns.slice(1);
      const row = (cells: readonly string[]): string => `(${this.sourceId}, ${cells.join(', ')})`;
      const sql = (rows: number, cells: readonly string[]): string =>
        `INSERT INTO events (${columns.join(', ')}) VALUES ${Array<string>(rows).fill(row(cells)).join(', ')}`;
      const placeholders = bound.map(() => '?');
      shape = {
        mask, optional, width: bound.length,
        many: this.db.prepare(sql(ROWS_PER_STATEMENT, placeholders)), one: this.db.prepare(sql(1, placeholders)),
        literals: new BatchLiterals(this.db, bound, ROWS_PER_STATEMENT, (cells) => sql(ROWS_PER_STATEMENT, cells)),
      };
      this.shapes.set(mask, shape);
    }
    return shape;
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const rows = this.buffered;
    const { width } = this.shape;
    this.buffered = 0;
    if (rows === ROWS_PER_STATEMENT) {
      try {
        const batch = this.shape.literals.statementFor(this.values);
        if (batch === undefined) this.shape.many.run(...this.values);
        else batch.statement.run(...this.shape.literals.pick(batch, this.values, this.picked));
        for (let r = 0; r < rows; r++) {
          this.rollup.add(this.values[r * width] as number | null, this.values[r * width + 3] as string, this.levels[r]!);
        }
        return;
      } catch {
        // One row the schema refuses spoils the statement; redo them one by one below.
      }
    }
    for (let r = 0; r < rows; r++) this.insertOne(this.values.slice(r * width, (r + 1) * width), this.levels[r]!);
  }

  /** Inserts one row; a row the schema refuses is kept as unparsed, with the reason in `extra`. */
  private insertOne(row: unknown[], level: EventLevel): number | bigint {
    try {
      const id = this.shape.one.run(row).lastInsertRowid;
      this.rollup.add(row[0] as number | null, row[3] as string, level);
      return id;
    } catch (err) {
      const fallback = this.shapeFor(this.shape.mask | EXTRA_BIT);
      const kept = new Array<unknown>(fallback.width).fill(null);
      for (let k = 0; k < FIXED.length; k++) kept[k] = row[k];
      kept[3] = UNPARSED;
      const flagsAt = fallback.optional.indexOf(OPTIONAL.length - 1);
      if (flagsAt >= 0) kept[FIXED.length + flagsAt] = row[FIXED.length + this.shape.optional.indexOf(OPTIONAL.length - 1)] ?? 0;
      kept[fallback.width - 1] = JSON.stringify({ 'loupe.store_error': (err as Error).message });
      const id = fallback.one.run(kept).lastInsertRowid;
      this.rollup.add(kept[0] as number | null, UNPARSED, 'unparsed');
      return id;
    }
  }
}

/**
 * Reads the optional fields of `e` into `out` (in OPTIONAL's order, flags last) and returns the
 * shape mask of those present. The fields are read by name, one after the other: a loop reading
 * `e[name]` makes every such read megamorphic, which cost more than SQLite's work for the row
 * (measured with cachegrind on 200k web lines).
 */
function readOptional(out: unknown[], e: ParsedEvent | null, flags: number, extra: Record<string, unknown> | undefined): number {
  let mask = extra !== undefined ? EXTRA_BIT : 0;
  if (flags !== 0) mask |= FLAGS_BIT;
  out[FLAGS_AT] = flags;
  if (e === null) {
    out.fill(null, 0, FLAGS_AT);
    return mask;
  }
  if ((out[0] = e.host ?? null) !== null) mask |= 1 << 0;
  if ((out[1] = e.program ?? null) !== null) mask |= 1 << 1;
  if (e.pid !== undefined) { out[2] = int(e.pid); mask |= 1 << 2; } else out[2] = null;
  if ((out[3] = e.srcIp ?? null) !== null) mask |= 1 << 3;
  if (e.srcPort !== undefined) { out[4] = int(e.srcPort); mask |= 1 << 4; } else out[4] = null;
  if ((out[5] = e.dstIp ?? null) !== null) mask |= 1 << 5;
  if (e.dstPort !== undefined) { out[6] = int(e.dstPort); mask |= 1 << 6; } else out[6] = null;
  if ((out[7] = e.user ?? null) !== null) mask |= 1 << 7;
  if ((out[8] = e.action ?? null) !== null) mask |= 1 << 8;
  if ((out[9] = e.outcome ?? null) !== null) mask |= 1 << 9;
  if ((out[10] = e.httpMethod ?? null) !== null) mask |= 1 << 10;
  if ((out[11] = e.url ?? null) !== null) mask |= 1 << 11;
  if ((out[12] = e.httpVersion ?? null) !== null) mask |= 1 << 12;
  if (e.httpStatus !== undefined) { out[13] = int(e.httpStatus); mask |= 1 << 13; } else out[13] = null;
  if (e.httpBytes !== undefined) { out[14] = int(e.httpBytes); mask |= 1 << 14; } else out[14] = null;
  if ((out[15] = e.referrer ?? null) !== null) mask |= 1 << 15;
  if ((out[16] = e.userAgent ?? null) !== null) mask |= 1 << 16;
  if ((out[17] = e.message ?? null) !== null) mask |= 1 << 17;
  return mask;
}

const ALL_COLUMNS: Pick<Shape, 'mask' | 'optional'> = {
  mask: EXTRA_BIT | (EXTRA_BIT - 1),
  optional: OPTIONAL.map((_, i) => i),
};

/**
 * The values the writer would bind for a line, every column included: the normalising work of an
 * import without SQLite, for the benchmark's parse-only floor.
 */
export function rowValues(v: unknown[], got: unknown[], line: Line, event: ParsedEvent | null): void {
  readOptional(got, event, event?.flags ?? 0, event?.extra);
  fill(v, 0, ALL_COLUMNS, line, event, got, event?.extra);
}

/** Writes one row's values for `shape` into `v` at `k`, the optional ones from `readOptional`'s `got`. */
function fill(
  v: unknown[], k: number, shape: Pick<Shape, 'mask' | 'optional'>, line: Line, e: ParsedEvent | null, got: readonly unknown[],
  extra: Record<string, unknown> | undefined,
): void {
  v[k] = e ? int(e.ts) : null;
  v[k + 1] = line.lineNo;
  v[k + 2] = line.offset;
  v[k + 3] = e ? e.dataset : UNPARSED;
  v[k + 4] = line.text;
  let j = k + FIXED.length;
  for (const i of shape.optional) v[j++] = got[i];
  if (shape.mask & EXTRA_BIT) v[j] = extra === undefined ? null : JSON.stringify(extra);
}

/** Integer columns are STRICT: fractions are cut and non-numbers stored as NULL. */
function int(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return Number.isInteger(v) ? v : Math.trunc(v);
}
