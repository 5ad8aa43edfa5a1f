/**
 * "These IPs" for a bulk lookup: the distinct public addresses, at either end, of every event the
 * view filter matches (not only the rows a grid has loaded), busiest first. Public means the
 * offline classification kept in `intel_ips` (case-ips.ts), the one the `class:` filter reads;
 * the caller brings that table up to date first.
 */
import type { Database } from 'better-sqlite3';
import type { FieldName } from '../../shared/query/fields.ts';
import { filterWhere, onlyFields, usesIntel, type PreparedFilter } from '../engine/query-sql.ts';

/** More than an analyst would send to a rate-limited provider in one go; the contract's lookup takes 10,000. */
export const PUBLIC_IPS_CAP = 5000;

export interface PublicIps {
  /** Busiest first (events the address is in), then by address. */
  ips: { ip: string; events: number }[];
  /** Distinct public addresses the filter matches; more than `ips.length` when the cap was hit. */
  total: number;
  cap: number;
  /** Stopped before the end (`signal`): what was counted so far. */
  cancelled: boolean;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Events read of those in the case, after each step of a scan. */
  onProgress?: (p: { scanned: number; total: number }) => void;
  /** Events (by id) read per step of a scan, between which other calls are answered. */
  step?: number;
}

const PUBLIC = "SELECT ip FROM intel_ips WHERE category = 'public'";

/** Columns the address indexes (case-db.ts) hold besides the addresses and the time. */
const INDEXED: ReadonlySet<FieldName> = new Set(['source', 'dataset', 'status', 'outcome', 'action', 'alert']);

export async function publicIpsOf(db: Database, p: PreparedFilter, cap = PUBLIC_IPS_CAP, opts: ScanOptions = {}): Promise<PublicIps> {
  const f = p.filter;
  const indexOnly = f.ip === undefined && f.user === undefined && f.host === undefined && (f.text ?? '').trim() === ''
    && onlyFields(p.ast, INDEXED);
  return indexOnly ? fromIndexes(db, p, cap) : scan(db, p, cap, opts);
}

/**
 * One aggregate per end, which the (src_ip, …, ts) and (dst_ip, …, ts, src_ip) indexes answer
 * without reading an event: 1,000,000 web events in about 0.1 s. An event from an address to
 * itself is counted once.
 */
function fromIndexes(db: Database, p: PreparedFilter, cap: number): PublicIps {
  const w = filterWhere(p);
  const rows = db.prepare(`
    SELECT ip, sum(n) AS events, count(*) OVER () AS total FROM (
      SELECT src_ip AS ip, count(*) AS n FROM events WHERE src_ip IN (${PUBLIC}) AND ${w.sql} GROUP BY src_ip
      UNION ALL
      SELECT dst_ip, count(*) FROM events WHERE dst_ip IN (${PUBLIC}) AND src_ip IS NOT dst_ip AND ${w.sql} GROUP BY dst_ip
    ) GROUP BY ip ORDER BY events DESC, ip LIMIT ?`).all(...w.params, ...w.params, cap) as { ip: string; events: number; total: number }[];
  return { ips: rows.map(({ ip, events }) => ({ ip, events })), total: rows[0]?.total ?? 0, cap, cancelled: false };
}

/**
 * A filter on what only the events hold (text, users, the other end…): reading them through an
 * address index would be one random read per event, so they are read in id order instead, a step
 * at a time, counting pairs of ends; between steps the engine answers other calls, reports
 * progress, and stops when cancelled.
 */
async function scan(db: Database, p: PreparedFilter, cap: number, opts: ScanOptions): Promise<PublicIps> {
  const step = opts.step ?? 100_000;
  const bounds = db.prepare('SELECT min(id), max(id) FROM events').raw().get() as [number | null, number | null];
  const [low, high] = bounds;
  const counts = new Map<string, number>();
  let cancelled = false;
  if (low !== null && high !== null) {
    const isPublic = db.prepare(`SELECT 1 FROM intel_ips WHERE ip = ? AND category = 'public'`).pluck();
    const known = new Map<string, boolean>();
    const publicIp = (ip: string | null): ip is string => {
      if (ip === null) return false;
      let yes = known.get(ip);
      if (yes === undefined) known.set(ip, (yes = isPublic.get(ip) !== undefined));
      return yes;
    };
    const w = filterWhere(p);
    // A test on the addresses' class, country or lists would have SQLite walk the address indexes
    // over every listed address at each step (1,000,000 events, `class:public`: 2.7 s against 0.8 s
    // reading the step's rows); other tests leave it free to seek (an IP, a user).
    const table = usesIntel(p.ast) ? 'events NOT INDEXED' : 'events';
    const pairs = db.prepare(`SELECT src_ip, dst_ip, count(*) FROM ${table} WHERE id >= ? AND id < ? AND ${w.sql}
      AND (src_ip IS NOT NULL OR dst_ip IS NOT NULL) GROUP BY src_ip, dst_ip`).raw();
    for (let from = low; from <= high; from += step) {
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      for (const [src, dst, n] of pairs.all(from, from + step, ...w.params) as [string | null, string | null, number][]) {
        if (publicIp(src)) counts.set(src, (counts.get(src) ?? 0) + n);
        if (dst !== src && publicIp(dst)) counts.set(dst, (counts.get(dst) ?? 0) + n);
      }
      opts.onProgress?.({ scanned: Math.min(from + step, high + 1) - low, total: high + 1 - low });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const ips = [...counts].map(([ip, events]) => ({ ip, events }))
    .sort((a, b) => b.events - a.events || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  return { ips: ips.slice(0, cap), total: ips.length, cap, cancelled };
}
