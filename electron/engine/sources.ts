import type { Database } from 'better-sqlite3';
import { UNPARSED } from '../../shared/event.ts';

export type SourceStatus = 'importing' | 'complete' | 'incomplete';

/** A source as the CLI, the API and the README describe it. */
export interface SourceInfo {
  id: number;
  path: string;
  name: string;
  sha256: string | null;
  size: number;
  mtime: number;
  compression: string | null;
  format: string;
  formatConfidence: number | null;
  formatForced: boolean;
  timezone: string;
  assumptions: string[];
  lines: { total: number; parsed: number; unparsed: number; truncated: number; invalidUtf8: number };
  bytesRead: number;
  status: SourceStatus;
  problem: string | null;
  startedAt: number;
  finishedAt: number | null;
  loupeVersion: string;
}

interface SourceRow {
  id: number; path: string; name: string; sha256: string | null; size: number; mtime: number;
  compression: string | null; format: string; format_confidence: number | null; format_forced: number;
  timezone: string; assumptions: string; lines_total: number; lines_parsed: number; lines_unparsed: number;
  lines_truncated: number; lines_invalid_utf8: number; bytes_read: number; status: SourceStatus;
  problem: string | null; started_at: number; finished_at: number | null; loupe_version: string;
}

function toInfo(r: SourceRow): SourceInfo {
  return {
    id: r.id, path: r.path, name: r.name, sha256: r.sha256, size: r.size, mtime: r.mtime,
    compression: r.compression, format: r.format, formatConfidence: r.format_confidence,
    formatForced: r.format_forced === 1, timezone: r.timezone,
    assumptions: JSON.parse(r.assumptions) as string[],
    lines: {
      total: r.lines_total, parsed: r.lines_parsed, unparsed: r.lines_unparsed,
      truncated: r.lines_truncated, invalidUtf8: r.lines_invalid_utf8,
    },
    bytesRead: r.bytes_read, status: r.status, problem: r.problem,
    startedAt: r.started_at, finishedAt: r.finished_at, loupeVersion: r.loupe_version,
  };
}

export function listSources(db: Database): SourceInfo[] {
  return (db.prepare('SELECT * FROM sources ORDER BY id').all() as SourceRow[]).map(toInfo);
}

export function getSource(db: Database, id: number): SourceInfo | undefined {
  const row = db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
  return row && toInfo(row);
}

/** The sources that were read from this very file (same path, size and modification time). */
export function findSourcesOfFile(db: Database, path: string, size: number, mtime: number): SourceInfo[] {
  return (db.prepare('SELECT * FROM sources WHERE path = ? AND size = ? AND mtime = ? ORDER BY id')
    .all(path, size, mtime) as SourceRow[]).map(toInfo);
}

export interface NewSource {
  path: string; name: string; size: number; mtime: number; compression: string | null;
  format: string; formatConfidence: number | null; formatForced: boolean; timezone: string; loupeVersion: string;
}

export function insertSource(db: Database, s: NewSource): number {
  return Number(db.prepare(`INSERT INTO sources
    (path, name, size, mtime, compression, format, format_confidence, format_forced, timezone, status, started_at, loupe_version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'importing', ?, ?)`)
    .run(s.path, s.name, s.size, s.mtime, s.compression, s.format, s.formatConfidence, s.formatForced ? 1 : 0,
      s.timezone, Date.now(), s.loupeVersion).lastInsertRowid);
}

export interface SourceCounts {
  total: number; parsed: number; unparsed: number; truncated: number; invalidUtf8: number; bytesRead: number;
}

export function finishSource(
  db: Database, id: number, counts: SourceCounts, result: { sha256: string; assumptions: string[]; problem: string | null },
): void {
  db.prepare(`UPDATE sources SET sha256 = ?, assumptions = ?, lines_total = ?, lines_parsed = ?, lines_unparsed = ?,
      lines_truncated = ?, lines_invalid_utf8 = ?, bytes_read = ?, status = ?, problem = ?, finished_at = ? WHERE id = ?`)
    .run(result.sha256, JSON.stringify(result.assumptions), counts.total, counts.parsed, counts.unparsed,
      counts.truncated, counts.invalidUtf8, counts.bytesRead, result.problem === null ? 'complete' : 'incomplete',
      result.problem, Date.now(), id);
}

/** Counts a source's stored events again, for a source whose import was cut short. */
export function recount(db: Database, id: number): Omit<SourceCounts, 'bytesRead'> {
  const r = db.prepare(`SELECT count(*) AS total, coalesce(sum(dataset = ?), 0) AS unparsed,
      coalesce(sum(flags & 1 != 0), 0) AS truncated, coalesce(sum(flags & 2 != 0), 0) AS invalidUtf8
      FROM events WHERE source_id = ?`).get(UNPARSED, id) as { total: number; unparsed: number; truncated: number; invalidUtf8: number };
  return { total: r.total, parsed: r.total - r.unparsed, unparsed: r.unparsed, truncated: r.truncated, invalidUtf8: r.invalidUtf8 };
}

/** Removes a source and everything stored from it (used to replace an incomplete import). */
export function deleteSource(db: Database, id: number): void {
  db.prepare('DELETE FROM raw_bytes WHERE event_id IN (SELECT id FROM events WHERE source_id = ?)').run(id);
  db.prepare('DELETE FROM events WHERE source_id = ?').run(id);
  db.prepare('DELETE FROM sources WHERE id = ?').run(id);
}
