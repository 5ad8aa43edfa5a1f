import type { Database, Statement } from 'better-sqlite3';
import type { ParsedEvent } from '../../shared/event.ts';
import { EventFlag, UNPARSED } from '../../shared/event.ts';
import type { Line } from '../ingest/line-splitter.ts';

/** Rows per transaction: large enough that commits cost little, small enough that a kill loses little. */
export const BATCH_ROWS = 16_384;
/** Rows per INSERT statement: one call into SQLite for many rows costs far less than one per row. */
const ROWS_PER_STATEMENT = 32;

const COLUMNS = [
  'ts', 'source_id', 'line_no', 'offset', 'dataset', 'host', 'program', 'pid', 'src_ip', 'src_port',
  'dst_ip', 'dst_port', 'user', 'action', 'outcome', 'http_method', 'url', 'http_version', 'http_status',
  'http_bytes', 'referrer', 'user_agent', 'message', 'raw', 'flags', 'extra',
] as const;
const WIDTH = COLUMNS.length;

function insertSql(rows: number): string {
  const one = `(${COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO events (${COLUMNS.join(', ')}) VALUES ${Array<string>(rows).fill(one).join(', ')}`;
}

/**
 * Writes events of one source. Rows go straight from the parser into an open transaction that is
 * committed every `BATCH_ROWS` rows, so memory does not grow with the file; only the values of the
 * current multi-row statement are held.
 */
export class EventWriter {
  private readonly db: Database;
  private readonly insertMany: Statement;
  private readonly insertOne: Statement;
  private readonly insertBytes: Statement;
  private readonly sourceId: number;
  private readonly values: unknown[] = new Array<unknown>(ROWS_PER_STATEMENT * WIDTH);
  private buffered = 0;
  private inTx = false;
  private pending = 0;

  constructor(db: Database, sourceId: number) {
    this.db = db;
    this.sourceId = sourceId;
    this.insertMany = db.prepare(insertSql(ROWS_PER_STATEMENT));
    this.insertOne = db.prepare(insertSql(1));
    this.insertBytes = db.prepare('INSERT INTO raw_bytes (event_id, bytes) VALUES (?, ?)');
  }

  /** Stores one line; `event` null means no parser understood it. */
  write(line: Line, event: ParsedEvent | null): void {
    if (!this.inTx) {
      this.db.exec('BEGIN IMMEDIATE');
      this.inTx = true;
    }
    let flags = event?.flags ?? 0;
    let extra = event?.extra;
    if (line.truncated) {
      flags |= EventFlag.truncated;
      extra = { ...extra, 'loupe.line_bytes': line.byteLength };
    }
    if (line.invalidBytes) {
      // The raw bytes row needs this event's id, so it is inserted on its own.
      this.flush();
      const id = this.insertSingle(line, event, flags | EventFlag.invalidUtf8, extra);
      this.insertBytes.run(id, line.invalidBytes);
    } else {
      fill(this.values, this.buffered * WIDTH, this.sourceId, line, event, flags, extra);
      if (++this.buffered === ROWS_PER_STATEMENT) this.flush();
    }
    if (++this.pending >= BATCH_ROWS) this.commit();
  }

  commit(): void {
    this.flush();
    if (this.inTx) {
      this.db.exec('COMMIT');
      this.inTx = false;
    }
    this.pending = 0;
  }

  rollback(): void {
    this.buffered = 0;
    if (this.inTx) {
      this.db.exec('ROLLBACK');
      this.inTx = false;
    }
    this.pending = 0;
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const rows = this.buffered;
    this.buffered = 0;
    if (rows === ROWS_PER_STATEMENT) {
      try {
        this.insertMany.run(this.values);
        return;
      } catch {
        // One row the schema refuses spoils the statement; redo them one by one below.
      }
    }
    const one = new Array<unknown>(WIDTH);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < WIDTH; k++) one[k] = this.values[r * WIDTH + k];
      try {
        this.insertOne.run(one);
      } catch (err) {
        one[4] = UNPARSED;
        for (let k = 5; k < WIDTH; k++) if (COLUMNS[k] !== 'raw' && COLUMNS[k] !== 'flags') one[k] = null;
        one[WIDTH - 1] = JSON.stringify({ 'loupe.store_error': (err as Error).message });
        this.insertOne.run(one);
      }
    }
  }

  private insertSingle(line: Line, e: ParsedEvent | null, flags: number, extra: Record<string, unknown> | undefined): number | bigint {
    const one = new Array<unknown>(WIDTH);
    fill(one, 0, this.sourceId, line, e, flags, extra);
    return this.insertOne.run(one).lastInsertRowid;
  }
}

/** Writes one row's values, in `COLUMNS` order, into `v` at `k`. */
function fill(
  v: unknown[], k: number, sourceId: number, line: Line, e: ParsedEvent | null, flags: number,
  extra: Record<string, unknown> | undefined,
): void {
  v[k] = e ? int(e.ts) : null;
  v[k + 1] = sourceId;
  v[k + 2] = line.lineNo;
  v[k + 3] = line.offset;
  v[k + 4] = e ? e.dataset : UNPARSED;
  v[k + 5] = e?.host ?? null;
  v[k + 6] = e?.program ?? null;
  v[k + 7] = int(e?.pid);
  v[k + 8] = e?.srcIp ?? null;
  v[k + 9] = int(e?.srcPort);
  v[k + 10] = e?.dstIp ?? null;
  v[k + 11] = int(e?.dstPort);
  v[k + 12] = e?.user ?? null;
  v[k + 13] = e?.action ?? null;
  v[k + 14] = e?.outcome ?? null;
  v[k + 15] = e?.httpMethod ?? null;
  v[k + 16] = e?.url ?? null;
  v[k + 17] = e?.httpVersion ?? null;
  v[k + 18] = int(e?.httpStatus);
  v[k + 19] = int(e?.httpBytes);
  v[k + 20] = e?.referrer ?? null;
  v[k + 21] = e?.userAgent ?? null;
  v[k + 22] = e?.message ?? null;
  v[k + 23] = line.text;
  v[k + 24] = flags;
  v[k + 25] = extra === undefined ? null : JSON.stringify(extra);
}

/** Integer columns are STRICT: fractions are cut and non-numbers stored as NULL. */
function int(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return Number.isInteger(v) ? v : Math.trunc(v);
}
