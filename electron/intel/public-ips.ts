/**
 * "These IPs" for a bulk lookup: the distinct public addresses, at either end, of every event the
 * view filter matches (not only the rows a grid has loaded), busiest first. Public means the
 * offline classification kept in `intel_ips` (case-ips.ts), the one the `class:` filter reads;
 * the caller brings that table up to date first.
 */
import type { Database } from 'better-sqlite3';
import { filterWhere, type Fragment, type PreparedFilter } from '../engine/query-sql.ts';

/** More than an analyst would send to a rate-limited provider in one go; the contract's lookup takes 10,000. */
export const PUBLIC_IPS_CAP = 5000;

export interface PublicIps {
  /** Busiest first (events the address is in), then by address. */
  ips: { ip: string; events: number }[];
  /** Distinct public addresses the filter matches; more than `ips.length` when the cap was hit. */
  total: number;
  cap: number;
}

const PUBLIC = "SELECT ip FROM intel_ips WHERE category = 'public'";

/** Rows of (ip, events, total). */
function publicIpsQuery(p: PreparedFilter, cap: number): Fragment {
  const w = filterWhere(p);
  // One aggregate per end, each of which the (src_ip, …, ts) and (dst_ip, …, ts, src_ip) indexes
  // can answer alone when the filter is about time and the facets; an event from an address to
  // itself is counted once.
  return {
    sql: `SELECT ip, sum(n) AS events, count(*) OVER () AS total FROM (
      SELECT src_ip AS ip, count(*) AS n FROM events WHERE src_ip IN (${PUBLIC}) AND ${w.sql} GROUP BY src_ip
      UNION ALL
      SELECT dst_ip, count(*) FROM events WHERE dst_ip IN (${PUBLIC}) AND src_ip IS NOT dst_ip AND ${w.sql} GROUP BY dst_ip
    ) GROUP BY ip ORDER BY events DESC, ip LIMIT ?`,
    params: [...w.params, ...w.params, cap],
  };
}

export function publicIpsOf(db: Database, p: PreparedFilter, cap = PUBLIC_IPS_CAP): PublicIps {
  const q = publicIpsQuery(p, cap);
  const rows = db.prepare(q.sql).all(...q.params) as { ip: string; events: number; total: number }[];
  return { ips: rows.map(({ ip, events }) => ({ ip, events })), total: rows[0]?.total ?? 0, cap };
}
