import { existsSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { appendAudit } from './audit.ts';
import { checkSchema, migrate } from './migrations.ts';
import { registerQueryFunctions } from './query-sql.ts';
import { updateRollup } from './rollup.ts';
import { recount } from './sources.ts';
import { LOUPE_VERSION } from './version.ts';

/**
 * Secondary indexes on `events`. They are not in the migrations because a bulk import drops them
 * and builds them again after the load, which is several times faster than updating them per row.
 * Partial indexes keep rows without the field (most lines have no user) out of the index. Every
 * index ends with the rowid, so `(ts)` already orders by `(ts, id)` for keyset paging.
 *
 * The entity indexes also carry the few short columns a dossier counts (source, dataset, status,
 * outcome, action), so that the dossier of an address with a hundred thousand events reads its
 * index alone instead of a hundred thousand rows scattered over the file. For addresses those
 * columns come before the time: the counts are then one pass in index order, with no sort, and a
 * page in time order merges one walk per combination of them (events-query.ts). Users and hosts
 * keep time first.
 */
const FACETS = 'source_id, dataset, http_status, outcome, action';
export const EVENT_INDEXES: readonly { name: string; sql: string; partialOn?: string }[] = [
  { name: 'events_ts', sql: 'CREATE INDEX IF NOT EXISTS events_ts ON events (ts)' },
  { name: 'events_src_ip', sql: `CREATE INDEX IF NOT EXISTS events_src_ip ON events (src_ip, ${FACETS}, ts) WHERE src_ip IS NOT NULL` },
  { name: 'events_dst_ip', sql: `CREATE INDEX IF NOT EXISTS events_dst_ip ON events (dst_ip, ${FACETS}, ts, src_ip) WHERE dst_ip IS NOT NULL`, partialOn: 'dst_ip' },
  { name: 'events_user', sql: `CREATE INDEX IF NOT EXISTS events_user ON events (user, ts, ${FACETS}) WHERE user IS NOT NULL`, partialOn: 'user' },
  { name: 'events_host', sql: `CREATE INDEX IF NOT EXISTS events_host ON events (host, ts, ${FACETS}) WHERE host IS NOT NULL`, partialOn: 'host' },
];

/**
 * Drops the indexes for a bulk load; they are built again afterwards. Building one scans the whole
 * table, which a partial index that is still empty (no `dst_ip` or `host` in web logs) need not
 * pay: it stays while no row has its column (such rows cost it nothing), and goes as soon as the
 * writer reports one (`onColumns`), to be built with the others. The time and source IP indexes
 * always go: nearly every row has them. (Even the time index, whose inserts land beside the last
 * one in an ordered log, costs more kept through the load than built after it: 1,000,000 web
 * lines, alternating runs on an idle core, 5.85 s against 5.40 s of CPU.)
 */
export function dropIndexesForBulkLoad(db: Database.Database): BulkIndexUpkeep {
  const waiting = new Map<string, string>();
  for (const index of EVENT_INDEXES) {
    const present = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(index.name) !== undefined;
    const empty = present && index.partialOn !== undefined
      && db.prepare(`SELECT 1 FROM events INDEXED BY ${index.name} WHERE ${index.partialOn} IS NOT NULL LIMIT 1`).get() === undefined;
    if (empty && index.partialOn !== undefined) waiting.set(index.partialOn, index.name);
    else db.exec(`DROP INDEX IF EXISTS ${index.name}`);
  }
  return {
    onColumns: (columns) => {
      for (const column of columns) {
        const name = waiting.get(column);
        if (name === undefined) continue;
        waiting.delete(column);
        db.exec(`DROP INDEX IF EXISTS ${name}`);
      }
    },
  };
}

/** What the writer tells a bulk load, so that it can drop an index that has started to cost. */
export interface BulkIndexUpkeep {
  /** Columns that a row used for the first time in this import. */
  onColumns: (columns: readonly string[]) => void;
}

/** The columns after the address in the address indexes, in order: a page walks one combination. */
export const ADDRESS_FACETS = ['source_id', 'dataset', 'http_status', 'outcome', 'action'] as const;

/** Builds the indexes that are missing, and again those a case has under an older definition. */
export function ensureEventIndexes(db: Database.Database): void {
  const existing = new Map((db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'").raw().all() as [string, string][]));
  for (const index of EVENT_INDEXES) {
    const sql = existing.get(index.name);
    if (sql !== undefined && sql !== index.sql.replace('IF NOT EXISTS ', '')) db.exec(`DROP INDEX ${index.name}`);
    db.exec(index.sql);
  }
}

export interface CaseDb {
  readonly path: string;
  readonly db: Database.Database;
  close(): void;
}

export class CaseOpenError extends Error {}

export interface OpenCaseOptions {
  /** Create the file when it does not exist (the CLI's `import` does; `info` does not). */
  create?: boolean;
  readonly?: boolean;
  /**
   * Take an import claimed by this very process for an interrupted one. Only for a caller that knows
   * the thread which imported is gone (the app's engine worker, restarted after it died).
   */
  reclaimOwnImport?: boolean;
}

export function openCase(path: string, opts: OpenCaseOptions = {}): CaseDb {
  const exists = existsSync(path);
  if (!exists && !opts.create) throw new CaseOpenError(`${path}: no such case file`);
  if (exists && statSync(path).size === 0 && !path.endsWith('.loupe')) {
    throw new CaseOpenError(`${path}: this file is empty and not a .loupe case; name a new case file or an existing case`);
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: opts.readonly === true, fileMustExist: !opts.create });
  } catch (err) {
    throw new CaseOpenError(`${path}: cannot open case: ${(err as Error).message}`);
  }
  try {
    registerQueryFunctions(db);
    checkIsCase(db, path, exists);
    // Larger pages make the bulk load and the index builds markedly faster (measured: npm run bench).
    if (!exists) db.pragma('page_size = 16384');
    if (!opts.readonly) {
      const importing = exists && isCaseWithImporter(db, opts.reclaimOwnImport === true);
      // While another process bulk-loads (rollback journal, indexes dropped), this connection only
      // reads: switching the journal, building indexes or recovering would fight the importer.
      if (!importing) db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode loses nothing on a process crash (only on power loss), and is much faster.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      if (importing) checkSchema(db, path);
      else {
        migrate(db, path);
        initMeta(db);
        recoverInterruptedImports(db);
        ensureEventIndexes(db);
        updateRollup(db);
      }
    } else {
      checkSchema(db, path);
    }
    db.pragma('cache_size = -32000');
  } catch (err) {
    db.close();
    throw err;
  }
  return { path, db, close: () => db.close() };
}

interface ImportOwner {
  pid: number;
  host: string;
  since: string;
  /** A syslog listener's claim: its thread outlives a restarted engine worker of the same process. */
  live?: true;
}

/**
 * Marks the case as being imported into by this process, so that another process (or connection)
 * opening it meanwhile does not take the running import for an interrupted one. Returns the unmark.
 */
export function claimImport(c: CaseDb, kind: 'import' | 'live' = 'import'): () => void {
  const owner: ImportOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...(kind === 'live' ? { live: true } : {}) };
  c.db.prepare("INSERT OR REPLACE INTO case_meta (key, value) VALUES ('import_owner', ?)").run(JSON.stringify(owner));
  return () => {
    c.db.prepare("DELETE FROM case_meta WHERE key = 'import_owner'").run();
  };
}

function isCaseWithImporter(db: Database.Database, reclaimOwn: boolean): boolean {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'case_meta'").get() !== undefined;
  return hasMeta && importerAlive(db, reclaimOwn);
}

/** Whether the process that claimed the case's import is still running on this machine. */
function importerAlive(db: Database.Database, reclaimOwn: boolean): boolean {
  const value = db.prepare("SELECT value FROM case_meta WHERE key = 'import_owner'").pluck().get() as string | undefined;
  if (value === undefined) return false;
  try {
    const owner = JSON.parse(value) as ImportOwner;
    if (owner.host !== hostname()) return true; // another machine's process: not ours to judge
    if (reclaimOwn && owner.pid === process.pid && owner.live !== true) return false;
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * For a bulk import: a rollback journal instead of WAL (appended pages are written once, not twice)
 * and no fsync per commit. A killed process still leaves a consistent case (SQLite's guarantee for
 * synchronous=OFF covers application crashes); only a power cut during the import could damage it.
 * Returns the function that restores the normal mode and makes everything durable.
 */
export function enterBulkLoad(c: CaseDb): () => void {
  const { db } = c;
  let mode = 'wal';
  try {
    mode = String(db.pragma('journal_mode = DELETE', { simple: true }));
  } catch {
    // Another connection has the case open (the app's window): stay in WAL so it can keep reading.
  }
  db.pragma('synchronous = OFF');
  // Appending needs few pages in memory; a small cache keeps the import's memory flat.
  db.pragma('cache_size = -8000');
  return () => {
    db.pragma('cache_size = -32000');
    db.pragma('synchronous = FULL');
    try {
      if (mode === 'delete') db.pragma('journal_mode = WAL');
      else db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Another connection holds the case: the next open switches it back to WAL.
    }
    db.pragma('synchronous = NORMAL');
  };
}

function checkIsCase(db: Database.Database, path: string, existed: boolean): void {
  if (!existed) return;
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    if (tables.length > 0 && !tables.includes('schema_migrations')) {
      throw new CaseOpenError(`${path}: this SQLite file is not a Loupe case (no schema_migrations table)`);
    }
  } catch (err) {
    if (err instanceof CaseOpenError) throw err;
    throw new CaseOpenError(`${path}: not a Loupe case file (${(err as Error).message})`);
  }
}

function initMeta(db: Database.Database): void {
  const insert = db.prepare('INSERT OR IGNORE INTO case_meta (key, value) VALUES (?, ?)');
  const created = insert.run('case_id', randomUUID()).changes > 0;
  insert.run('created_at', new Date().toISOString());
  insert.run('created_by', `Loupe ${LOUPE_VERSION}`);
  if (created) appendAudit(db, 'case-created', { version: LOUPE_VERSION });
}

/**
 * A source still marked `importing` when the case is opened was cut short (the process was killed).
 * Its rows stay, so nothing already read is hidden, but it is marked incomplete; importing the same
 * file again replaces it.
 */
function recoverInterruptedImports(db: Database.Database): void {
  db.prepare("DELETE FROM case_meta WHERE key = 'import_owner'").run();
  const stuck = db.prepare("SELECT id, path FROM sources WHERE status = 'importing'").all() as { id: number; path: string }[];
  for (const s of stuck) {
    const c = recount(db, s.id);
    db.prepare(`UPDATE sources SET status = 'incomplete', problem = ?, lines_total = ?, lines_parsed = ?,
        lines_unparsed = ?, lines_truncated = ?, lines_invalid_utf8 = ? WHERE id = ?`)
      .run(s.path.startsWith('syslog+')
        ? 'the listener stopped without closing (its process ended); the messages stored before are kept'
        : 'import was interrupted (the process stopped before it finished); import the file again to complete it',
      c.total, c.parsed, c.unparsed, c.truncated, c.invalidUtf8, s.id);
    appendAudit(db, 'import-interrupted', { sourceId: s.id, path: s.path });
  }
}
