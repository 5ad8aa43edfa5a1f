import type { Database } from 'better-sqlite3';
import type { Outcome, StoredEvent } from '../../shared/event.ts';

export interface EventFilter {
  /** Source or destination IP. */
  ip?: string;
  user?: string;
  /** Inclusive lower bound, UTC ms. */
  from?: number;
  /** Exclusive upper bound, UTC ms. */
  to?: number;
  /** Words that must all appear in the raw line (case-insensitive for ASCII). */
  text?: string;
  sourceId?: number;
  dataset?: string;
}

/** Keyset cursor: the (ts, id) of the last row of the previous page. */
export interface PageCursor {
  ts: number | null;
  id: number;
}

interface EventRow {
  id: number; ts: number | null; source_id: number; line_no: number; offset: number; dataset: string;
  host: string | null; program: string | null; pid: number | null; src_ip: string | null; src_port: number | null;
  dst_ip: string | null; dst_port: number | null; user: string | null; action: string | null; outcome: string | null;
  http_method: string | null; url: string | null; http_version: string | null; http_status: number | null;
  http_bytes: number | null; referrer: string | null; user_agent: string | null; message: string | null;
  raw: string; flags: number; extra: string | null;
}

/** Builds a WHERE clause with `?` placeholders from a filter; the only place filters become SQL. */
export function whereClause(f: EventFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.ip !== undefined) {
    parts.push('(src_ip = ? OR dst_ip = ?)');
    params.push(f.ip, f.ip);
  }
  if (f.user !== undefined) {
    parts.push('user = ?');
    params.push(f.user);
  }
  if (f.from !== undefined) {
    parts.push('ts >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    parts.push('ts < ?');
    params.push(f.to);
  }
  if (f.sourceId !== undefined) {
    parts.push('source_id = ?');
    params.push(f.sourceId);
  }
  if (f.dataset !== undefined) {
    parts.push('dataset = ?');
    params.push(f.dataset);
  }
  for (const word of (f.text ?? '').split(/\s+/).filter(Boolean)) {
    parts.push("raw LIKE ? ESCAPE '\\'");
    params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

/**
 * One page of events in time order (events without a time first), keyset-paged on (ts, id) so a
 * page deep into the case costs the same as the first.
 */
export function queryEvents(db: Database, filter: EventFilter, page: { limit: number; after?: PageCursor }): StoredEvent[] {
  const where = whereClause(filter);
  let sql = `SELECT * FROM events WHERE ${where.sql}`;
  const params = [...where.params];
  if (page.after) {
    if (page.after.ts === null) {
      sql += ' AND ((ts IS NULL AND id > ?) OR ts IS NOT NULL)';
      params.push(page.after.id);
    } else {
      // A row-value comparison lets SQLite seek in the (ts) index instead of scanning.
      sql += ' AND (ts, id) > (?, ?)';
      params.push(page.after.ts, page.after.id);
    }
  }
  sql += ' ORDER BY ts, id LIMIT ?';
  params.push(page.limit);
  return (db.prepare(sql).all(...params) as EventRow[]).map(toStored);
}

export function countEvents(db: Database, filter: EventFilter): number {
  const where = whereClause(filter);
  return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
}

function toStored(r: EventRow): StoredEvent {
  const e: StoredEvent = {
    id: r.id, ts: r.ts, sourceId: r.source_id, lineNo: r.line_no, offset: r.offset, dataset: r.dataset,
    raw: r.raw, flags: r.flags,
  };
  if (r.host !== null) e.host = r.host;
  if (r.program !== null) e.program = r.program;
  if (r.pid !== null) e.pid = r.pid;
  if (r.src_ip !== null) e.srcIp = r.src_ip;
  if (r.src_port !== null) e.srcPort = r.src_port;
  if (r.dst_ip !== null) e.dstIp = r.dst_ip;
  if (r.dst_port !== null) e.dstPort = r.dst_port;
  if (r.user !== null) e.user = r.user;
  if (r.action !== null) e.action = r.action;
  if (r.outcome !== null) e.outcome = r.outcome as Outcome;
  if (r.http_method !== null) e.httpMethod = r.http_method;
  if (r.url !== null) e.url = r.url;
  if (r.http_version !== null) e.httpVersion = r.http_version;
  if (r.http_status !== null) e.httpStatus = r.http_status;
  if (r.http_bytes !== null) e.httpBytes = r.http_bytes;
  if (r.referrer !== null) e.referrer = r.referrer;
  if (r.user_agent !== null) e.userAgent = r.user_agent;
  if (r.message !== null) e.message = r.message;
  if (r.extra !== null) e.extra = JSON.parse(r.extra) as Record<string, unknown>;
  return e;
}
