import type { Database, Statement } from 'better-sqlite3';

/**
 * Columns whose value is often the same over a whole batch of rows: a file's dataset, a web log's
 * HTTP version, method and outcome (most batches are all GETs that succeeded), a syslog feed's
 * host and program.
 */
const CANDIDATES: ReadonlySet<string> = new Set(['dataset', 'http_version', 'http_method', 'outcome', 'host', 'program']);

/**
 * Values written into the SQL text: printable ASCII without a quote, so the literal needs no
 * escaping and cannot end early. Anything else is bound as usual.
 */
const SAFE_LITERAL = /^[\x20-\x26\x28-\x7e]{1,64}$/;

/** Statements per writer shape at most (a few kilobytes each); a source with more variety binds the rest. */
const MAX_STATEMENTS = 48;

export interface LiteralBatch {
  statement: Statement;
  /** Positions (within a row) of the values still bound, in order. */
  bound: readonly number[];
}

/**
 * Multi-row INSERTs with the batch's constant columns written as literals. Binding a value from
 * JavaScript costs more than SQLite's own work for it (each string is measured, copied and copied
 * again), so a column that holds one value over the whole batch is cheaper in the statement's
 * text: on 1,000,000 web lines, these columns took 0.5 s off the import's 5.3 s of CPU.
 */
export class BatchLiterals {
  private readonly db: Database;
  private readonly sqlFor: (cells: readonly string[]) => string;
  private readonly candidates: readonly number[];
  private readonly width: number;
  private readonly rows: number;
  private readonly batches = new Map<string, LiteralBatch>();

  /**
   * `columns` names the bound cells of a row in order; `sqlFor` makes the statement from each
   * row's cell texts (`?` or a literal).
   */
  constructor(db: Database, columns: readonly string[], rows: number, sqlFor: (cells: readonly string[]) => string) {
    this.db = db;
    this.sqlFor = sqlFor;
    this.width = columns.length;
    this.rows = rows;
    this.candidates = columns.flatMap((c, i) => (CANDIDATES.has(c) ? [i] : []));
  }

  /** The statement for a full batch of `values` (rows × width), or undefined to bind everything. */
  statementFor(values: readonly unknown[]): LiteralBatch | undefined {
    let key = '';
    for (const p of this.candidates) {
      const v = values[p];
      if (typeof v !== 'string' || !SAFE_LITERAL.test(v)) continue;
      let same = true;
      for (let k = p + this.width; k < values.length; k += this.width) {
        if (values[k] !== v) {
          same = false;
          break;
        }
      }
      // A NUL cannot be in a safe literal, so it separates the parts of the key.
      if (same) key += `${p}\u0000${v}\u0000`;
    }
    if (key === '') return undefined;
    let batch = this.batches.get(key);
    if (batch === undefined) {
      if (this.batches.size >= MAX_STATEMENTS) return undefined;
      const cells = new Array<string>(this.width).fill('?');
      const parts = key.split('\u0000');
      for (let i = 0; i + 1 < parts.length; i += 2) cells[Number(parts[i])] = `'${parts[i + 1]}'`;
      const bound = cells.flatMap((c, i) => (c === '?' ? [i] : []));
      batch = { statement: this.db.prepare(this.sqlFor(cells)), bound };
      this.batches.set(key, batch);
    }
    return batch;
  }

  /** The values `batch` binds, taken from the full rows in `values`, written into `out`. */
  pick(batch: LiteralBatch, values: readonly unknown[], out: unknown[]): unknown[] {
    let k = 0;
    for (let r = 0, base = 0; r < this.rows; r++, base += this.width) {
      for (const p of batch.bound) out[k++] = values[base + p];
    }
    out.length = k;
    return out;
  }
}
