import { resolve } from 'node:path';
import { formatById, FORMATS } from '../../shared/parse/registry.ts';
import type { LogFormat } from '../../shared/parse/types.ts';
import { isValidTimeZone } from '../../shared/time.ts';
import { appendAudit } from '../engine/audit.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { claimImport, dropIndexesForBulkLoad, enterBulkLoad, EVENT_INDEXES, type BulkIndexUpkeep } from '../engine/case-db.ts';
import { EventWriter } from '../engine/event-writer.ts';
import { updateRollup } from '../engine/rollup.ts';
import { deleteSource, finishSource, findSourcesOfFile, getSource, insertSource, type SourceInfo } from '../engine/sources.ts';
import { LOUPE_VERSION } from '../engine/version.ts';
import { expandPaths, ImportInputError, type InputFile } from './expand-paths.ts';
import { isGzip } from './file-reader.ts';
import { runPipeline } from './pipeline.ts';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface ImportOptions {
  /** Format id to use for every file instead of detecting one. */
  format?: string;
  /** Format ids for single files (the analyst's choice in the import view); they win over `format`. */
  formats?: readonly { path: string; format: string }[];
  /** IANA zone for timestamps without an offset; default UTC. */
  timezone?: string;
  maxLineBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'reading' | 'indexing' | 'done';
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Bytes of files on disk read so far, all files together. */
  bytesRead: number;
  bytesTotal: number;
  lines: number;
  linesPerSecond: number;
  /** Seconds left at the current rate, or null before there is a rate. */
  etaSeconds: number | null;
}

export interface ImportResult {
  sources: SourceInfo[];
  skipped: { path: string; reason: string }[];
  cancelled: boolean;
  lines: number;
  seconds: number;
}

const PROGRESS_EVERY_MS = 200;

/**
 * Imports files and folders into an open case. Each file becomes a source; every line becomes an
 * event. Throws `ImportInputError` before touching the case when an argument is wrong.
 */
export async function importPaths(c: CaseDb, paths: readonly string[], opts: ImportOptions = {}): Promise<ImportResult> {
  const timezone = opts.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) throw new ImportInputError(`unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin, or UTC)`);
  const format = opts.format === undefined ? undefined : knownFormat(opts.format);
  const perFile = new Map((opts.formats ?? []).map((f) => [resolve(f.path), knownFormat(f.format)]));
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const expanded = expandPaths(paths);
  const stray = [...perFile.keys()].find((p) => !expanded.files.some((f) => f.path === p));
  if (stray !== undefined) throw new ImportInputError(`a format was chosen for ${stray}, which is not among the files to import`);
  const skipped = expanded.skipped;
  // A folder that holds the case itself must not import the case (or its journal) into itself.
  const own = new Set(['', '-wal', '-shm', '-journal'].map((suffix) => resolve(c.path) + suffix));
  const files = expanded.files.filter((f) => {
    if (!own.has(f.path)) return true;
    skipped.push({ path: f.path, reason: 'this is the case file itself (or its journal); not imported' });
    return false;
  });
  const started = Date.now();
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const progress = new ProgressClock(opts.onProgress, files.length, bytesTotal);
  const db = c.db;

  const releaseImport = claimImport(c);
  const leaveBulkLoad = enterBulkLoad(c);
  const dropIndexes = shouldDropIndexes(c, bytesTotal);
  const indexes = dropIndexes ? dropIndexesForBulkLoad(db) : undefined;

  const sources: SourceInfo[] = [];
  let cancelled = false;
  try {
    for (const [i, file] of files.entries()) {
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      const prior = findSourcesOfFile(db, file.path, file.size, file.mtime);
      const done = prior.find((s) => s.status === 'complete');
      if (done) {
        skipped.push({ path: file.path, reason: `already imported as source ${done.id} (same path, size and time)` });
        progress.skipFile(file.size);
        continue;
      }
      for (const old of prior) {
        db.transaction(() => deleteSource(db, old.id))();
        appendAudit(db, 'source-replaced', { sourceId: old.id, path: old.path, reason: 'incomplete import imported again' });
      }
      const outcome = await importFile(c, file, i, {
        format: perFile.get(file.path) ?? format, timezone, maxLineBytes, progress,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(indexes ? { indexes } : {}),
      });
      if (outcome.kind === 'cancelled') {
        cancelled = true;
        break;
      }
      if (outcome.kind === 'skipped') skipped.push({ path: file.path, reason: outcome.reason });
      else sources.push(outcome.source);
    }
  } finally {
    if (dropIndexes) {
      progress.indexing();
      // The index sorter's memory follows the page cache; a small one keeps a 10M-line import's
      // peak where a 1M-line one's is (measured: no slower, the sort spills to temp files).
      db.pragma('cache_size = -2000');
      for (const index of EVENT_INDEXES) db.exec(index.sql);
    }
    // The writer keeps the timeline's counts up to date; this catches up anything it could not.
    updateRollup(db);
    // Statistics for the query planner, from a sample so that it costs little on a large case.
    db.pragma('analysis_limit = 1000');
    db.pragma('optimize');
    leaveBulkLoad();
    releaseImport();
  }
  progress.done();
  return { sources, skipped, cancelled, lines: progress.lines, seconds: (Date.now() - started) / 1000 };
}

function knownFormat(id: string): LogFormat {
  const format = formatById(id);
  if (!format) throw new ImportInputError(`unknown format "${id}"; known formats: ${FORMATS.map((f) => f.id).join(', ')}`);
  return format;
}

type FileOutcome = { kind: 'imported'; source: SourceInfo } | { kind: 'skipped'; reason: string } | { kind: 'cancelled' };

async function importFile(
  c: CaseDb, file: InputFile, index: number,
  o: {
    format: ReturnType<typeof formatById>; timezone: string; maxLineBytes: number; progress: ProgressClock; signal?: AbortSignal;
    indexes?: BulkIndexUpkeep;
  },
): Promise<FileOutcome> {
  const db = c.db;
  let gzip: boolean;
  try {
    gzip = isGzip(file.path);
  } catch (err) {
    return { kind: 'skipped', reason: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const sourceId = insertSource(db, {
    path: file.path, name: file.name, size: file.size, mtime: file.mtime, compression: gzip ? 'gzip' : null,
    format: o.format?.id ?? 'unknown', formatConfidence: null, formatForced: o.format !== undefined,
    timezone: o.timezone, loupeVersion: LOUPE_VERSION,
  });
  const writer = new EventWriter(db, sourceId, o.indexes ?? {});
  o.progress.startFile(file, index);
  let result;
  try {
    result = await runPipeline(file.path, gzip, {
      ...(o.format ? { format: o.format } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ctx: { timezone: o.timezone, referenceTime: file.mtime },
      maxLineBytes: o.maxLineBytes,
      onFileProgress: (bytes) => o.progress.fileBytes(bytes),
      onDetected: (d) => {
        db.prepare('UPDATE sources SET format = ?, format_confidence = ? WHERE id = ?').run(d.formatId, d.confidence, sourceId);
      },
    }, (line, event) => {
      writer.write(line, event);
      o.progress.line();
    });
  } catch (err) {
    writer.commit();
    const reason = `read failed: ${(err as Error).message}`;
    finishSource(db, sourceId, { total: 0, parsed: 0, unparsed: 0, truncated: 0, invalidUtf8: 0, bytesRead: 0 }, { sha256: '', assumptions: [], problem: reason });
    return { kind: 'skipped', reason };
  }
  if (o.signal?.aborted) {
    writer.rollback();
    db.transaction(() => deleteSource(db, sourceId))();
    appendAudit(db, 'import-cancelled', { path: file.path });
    return { kind: 'cancelled' };
  }
  if (result.binary !== null) {
    writer.rollback();
    db.transaction(() => deleteSource(db, sourceId))();
    return { kind: 'skipped', reason: result.binary };
  }
  writer.commit();
  const problems = [result.read.problem, result.parserError && `a parser failed on ${result.parserError}`].filter((p) => p);
  finishSource(db, sourceId, { ...result.counts, bytesRead: result.read.dataBytes }, {
    sha256: result.read.sha256,
    assumptions: [...(result.detected.formatId === 'unknown' ? ['no known format recognised: every line kept as unparsed'] : []), ...result.assumptions],
    problem: result.read.problem,
  });
  const source = getSource(db, sourceId);
  if (!source) throw new Error(`source ${sourceId} vanished during import`);
  appendAudit(db, 'import', {
    sourceId, path: file.path, sha256: source.sha256, format: source.format, forced: source.formatForced,
    timezone: o.timezone, lines: source.lines, problems,
  });
  return { kind: 'imported', source };
}

/**
 * Dropping the indexes and building them after the load pays off when the import is large next to
 * what the case holds; for a small file added to a big case, updating them in place is cheaper.
 */
function shouldDropIndexes(c: CaseDb, bytesTotal: number): boolean {
  const existing = (c.db.prepare('SELECT max(id) AS n FROM events').get() as { n: number | null }).n ?? 0;
  const estimatedNewRows = bytesTotal / 200;
  return estimatedNewRows > 50_000 && estimatedNewRows > existing;
}

class ProgressClock {
  lines = 0;
  private readonly onProgress: ((p: ImportProgress) => void) | undefined;
  private readonly fileCount: number;
  private readonly bytesTotal: number;
  private readonly started = Date.now();
  private doneBytes = 0;
  private currentBytes = 0;
  private file = '';
  private fileIndex = 0;
  private last = 0;

  constructor(onProgress: ((p: ImportProgress) => void) | undefined, fileCount: number, bytesTotal: number) {
    this.onProgress = onProgress;
    this.fileCount = fileCount;
    this.bytesTotal = bytesTotal;
  }

  startFile(file: InputFile, index: number): void {
    this.doneBytes += this.currentBytes;
    this.currentBytes = 0;
    this.file = file.path;
    this.fileIndex = index;
    this.emit('reading', true);
  }

  skipFile(size: number): void {
    this.doneBytes += size;
  }

  fileBytes(bytes: number): void {
    this.currentBytes = bytes;
    this.emit('reading', false);
  }

  line(): void {
    this.lines++;
  }

  indexing(): void {
    this.emit('indexing', true);
  }

  done(): void {
    this.doneBytes += this.currentBytes;
    this.currentBytes = 0;
    this.emit('done', true);
  }

  private emit(phase: ImportProgress['phase'], force: boolean): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.last < PROGRESS_EVERY_MS) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const bytesRead = this.doneBytes + this.currentBytes;
    const bytesPerSecond = seconds > 0 ? bytesRead / seconds : 0;
    this.onProgress({
      phase, file: this.file, fileIndex: this.fileIndex, fileCount: this.fileCount,
      bytesRead, bytesTotal: this.bytesTotal, lines: this.lines,
      linesPerSecond: seconds > 0 ? Math.round(this.lines / seconds) : 0,
      etaSeconds: phase === 'done' ? 0 : bytesPerSecond > 0 ? Math.max(0, (this.bytesTotal - bytesRead) / bytesPerSecond) : null,
    });
  }
}
