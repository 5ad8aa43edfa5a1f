import type { Database } from 'better-sqlite3';
import type { Outcome, StoredEvent } from '../../shared/event.ts';
import type { QueryNode } from '../../shared/query/ast.ts';
import { ADDRESS_FACETS } from './case-db.ts';
import { filterWhere, prepareFilter, type Fragment, type PreparedFilter, type ViewFilter } from './query-sql.ts';

/** The filter of the CLI and the grid (query-sql.ts describes every part). */
export type EventFilter = ViewFilter;

/** Keyset cursor: the (ts, id) of the last row of the previous page. */
export interface PageCursor {
  ts: number | null;
  id: number;
}

export interface EventRow {
  id: number; ts: number | null; source_id: number; line_no: number; offset: number; dataset: string;
  host: string | null; program: string | null; pid: number | null; src_ip: string | null; src_port: number | null;
  dst_ip: string | null; dst_port: number | null; user: string | null; action: string | null; outcome: string | null;
  http_method: string | null; url: string | null; http_version: string | null; http_status: number | null;
  http_bytes: number | null; referrer: string | null; user_agent: string | null; message: string | null;
  raw: string; flags: number; extra: string | null;
}

/** The filter as one WHERE clause with `?` placeholders. */
export function whereClause(f: EventFilter): Fragment {
  return filterWhere(prepareFilter(f)).fragment();
}

/** Oldest first (undated events before every dated one), or newest first (undated events last). */
export type PageOrder = 'asc' | 'desc';

export interface PageRequest {
  limit: number;
  after?: PageCursor;
  order?: PageOrder;
}

/** Rows past the cursor among the dated events, in the page's direction. */
function keyset(after: PageCursor | undefined, order: PageOrder): Fragment | undefined {
  if (!after) return undefined;
  if (order === 'asc') {
    if (after.ts === null) return { sql: '((ts IS NULL AND id > ?) OR ts IS NOT NULL)', params: [after.id] };
    // A row-value comparison lets SQLite seek in a (…, ts) index instead of scanning.
    return { sql: '(ts, id) > (?, ?)', params: [after.ts, after.id] };
  }
  // Newest first, the undated events come last: `untimedPage` reads those.
  if (after.ts === null) return { sql: '0', params: [] };
  return { sql: '(ts, id) < (?, ?)', params: [after.ts, after.id] };
}

const ORDER_BY: Record<PageOrder, string> = { asc: 'ts, id', desc: 'ts DESC, id DESC' };

/**
 * One page of events in time order, keyset-paged on (ts, id) so a page deep into the case costs
 * the same as the first. Oldest first puts the events without a time first; newest first puts
 * them last, read in a second step so that the dated rows are a plain walk of the time index
 * backwards (an `OR ts IS NULL` in the same query would keep SQLite from seeking).
 */
export function queryEvents(db: Database, filter: EventFilter | PreparedFilter, page: PageRequest): StoredEvent[] {
  const prepared = 'ast' in filter ? filter : prepareFilter(filter);
  const order = page.order ?? 'asc';
  const dated = timedPage(db, prepared, page.after, order, page.limit);
  if (order === 'asc' || dated.length === page.limit) return dated;
  return dated.concat(untimedPage(db, prepared, page.after?.ts === null ? page.after.id : undefined, page.limit - dated.length));
}

function timedPage(db: Database, prepared: PreparedFilter, after: PageCursor | undefined, order: PageOrder, limit: number): StoredEvent[] {
  const pivot = pivotIp(prepared);
  const cursor = keyset(after, order);
  if (pivot !== undefined) return queryByIp(db, pivot.rest, pivot.ip, cursor, order, limit);
  const where = filterWhere(prepared);
  if (cursor) where.addFragment(cursor);
  if (order === 'desc') where.add('ts IS NOT NULL');
  const rows = db.prepare(`SELECT * FROM events WHERE ${where.sql} ORDER BY ${ORDER_BY[order]} LIMIT ?`).all(...where.params, limit) as EventRow[];
  return rows.map(toStored);
}

/** Newest first, after the dated rows: the undated ones, last line first, before `beforeId` if given. */
function untimedPage(db: Database, prepared: PreparedFilter, beforeId: number | undefined, limit: number): StoredEvent[] {
  const where = filterWhere(prepared).add('ts IS NULL');
  if (beforeId !== undefined) where.add('id < ?', beforeId);
  const rows = db.prepare(`SELECT * FROM events WHERE ${where.sql} ORDER BY id DESC LIMIT ?`).all(...where.params, limit) as EventRow[];
  return rows.map(toStored);
}

/**
 * An exact address the whole filter requires at either end (the IP pivot, or a top-level `ip:`
 * term), and the rest of the filter.
 */
function pivotIp(p: PreparedFilter): { ip: string; rest: PreparedFilter } | undefined {
  if (p.filter.ip !== undefined) {
    const { ip, ...others } = p.filter;
    return { ip, rest: { ...p, filter: others } };
  }
  const top: QueryNode[] = p.ast === null ? [] : p.ast.kind === 'and' ? p.ast.children : [p.ast];
  const term = top.find((n) => n.kind === 'term' && n.field === 'ip' && n.test.type === 'ip');
  if (term?.kind !== 'term' || term.test.type !== 'ip') return undefined;
  const others = top.filter((n) => n !== term);
  const ast: QueryNode | null = others.length === 0 ? null : others.length === 1 ? others[0]! : { kind: 'and', children: others, start: 0, end: 0 };
  return { ip: term.test.value, rest: { ...p, ast } };
}

/** Above this many walks (combinations of source, dataset, status, outcome, action) SQLite plans alone. */
const MAX_WALKS = 64;

/**
 * `src_ip = X OR dst_ip = X` in time order. The address indexes are ordered by (address, source,
 * dataset, status, outcome, action, ts): within one combination of those the events are in time
 * order, so one walk per combination, each stopping after a page, merged, costs about a page
 * however busy the address is. SQLite alone would sort every event of the address.
 */
function queryByIp(db: Database, p: PreparedFilter, ip: string, cursor: Fragment | undefined, order: PageOrder, limit: number): StoredEvent[] {
  const dated = order === 'desc' ? ' AND ts IS NOT NULL' : '';
  const rest = filterWhere(p);
  const walks: Fragment[] = [];
  for (const side of [{ column: 'src_ip', also: '', params: [ip] }, { column: 'dst_ip', also: ' AND src_ip IS NOT ?', params: [ip, ip] }]) {
    const combos = db.prepare(`SELECT DISTINCT ${ADDRESS_FACETS.join(', ')} FROM events WHERE ${side.column} = ?${side.also}`)
      .raw().all(...side.params) as unknown[][];
    for (const combo of combos) {
      walks.push({
        sql: `SELECT * FROM (SELECT * FROM events WHERE ${side.column} = ? AND ${ADDRESS_FACETS.map((c) => `${c} IS ?`).join(' AND ')}${side.also}
            AND ${rest.sql}${cursor ? ` AND ${cursor.sql}` : ''}${dated} ORDER BY ${ORDER_BY[order]} LIMIT ?)`,
        params: [ip, ...combo, ...side.params.slice(1), ...rest.params, ...(cursor?.params ?? []), limit],
      });
    }
  }
  if (walks.length === 0) return [];
  if (walks.length > MAX_WALKS) {
    const where = filterWhere(p).add('(src_ip = ? OR dst_ip = ?)', ip, ip);
    if (cursor) where.addFragment(cursor);
    if (order === 'desc') where.add('ts IS NOT NULL');
    return (db.prepare(`SELECT * FROM events WHERE ${where.sql} ORDER BY ${ORDER_BY[order]} LIMIT ?`).all(...where.params, limit) as EventRow[]).map(toStored);
  }
  const rows = db.prepare(`${walks.map((w) => w.sql).join(' UNION ALL ')} ORDER BY ${ORDER_BY[order]} LIMIT ?`)
    .all(...walks.flatMap((w) => w.params), limit) as EventRow[];
  return rows.map(toStored);
}

export function countEvents(db: Database, filter: EventFilter): number {
  const where = whereClause(filter);
  return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
}

export function toStored(r: EventRow): StoredEvent {
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
