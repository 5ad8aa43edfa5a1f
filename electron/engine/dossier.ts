/**
 * Everything the case says about one IP address, user or host: when and where it was seen, what
 * it did, who and what it was seen with, a small timeline and its alerts.
 *
 * The entity's indexes carry its times and the short columns counted here (case-db.ts), so the
 * totals, first and last seen, per-source figures, the counts by dataset, action, outcome and
 * status and the timeline are exact and read from the index alone. The lists of values that are
 * long text (URLs, user agents) or of other entities need the rows themselves, one random read
 * each: they are exact up to `EXACT_LIST_EVENTS` events, and above that come from an evenly spread
 * sample of about `SAMPLE_EVENTS` of them, which the dossier says (`sample`).
 */
import type { Database } from 'better-sqlite3';
import { listAlerts, type Alert } from './alerts.ts';
import { ADDRESS_FACETS } from './case-db.ts';
import { niceBucket } from './histogram.ts';

export type EntityType = 'ip' | 'user' | 'host';

export interface DossierRequest {
  type: EntityType;
  value: string;
  /** Narrows counts and the timeline to [from, to); first and last seen are over the whole case. */
  from?: number;
  to?: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface Dossier {
  type: EntityType;
  value: string;
  total: number;
  firstSeen: number | null;
  lastSeen: number | null;
  perSource: { sourceId: number; name: string; count: number; first: number | null; last: number | null }[];
  byDataset: TopValue[];
  byAction: TopValue[];
  byOutcome: TopValue[];
  byStatus: TopValue[];
  users: TopValue[];
  ips: TopValue[];
  hosts: TopValue[];
  urls: TopValue[];
  userAgents: TopValue[];
  timeline: { bucketMs: number; buckets: { start: number; count: number }[] };
  alerts: Alert[];
  /** Present when users, IPs, hosts, URLs and user agents were counted in a sample of the events. */
  sample?: { events: number; of: number };
}

export const DOSSIER_TOP_N = 10;
export const DOSSIER_TIMELINE_BUCKETS = 60;
export const EXACT_LIST_EVENTS = 2_000;
export const SAMPLE_EVENTS = 1_000;

/** Where the entity's events are: one condition per index, none selecting an event twice. */
interface Side {
  where: string;
  params: unknown[];
  /** The columns that hold the other addresses. */
  ips: [string, string];
  /** The index orders by time right after the entity (users, hosts), not after the counted columns (addresses). */
  timeFirst: boolean;
}

function sides(type: EntityType, value: string): Side[] {
  switch (type) {
    case 'ip':
      return [
        { where: 'src_ip = ?', params: [value], ips: ['dst_ip', 'NULL'], timeFirst: false },
        { where: 'dst_ip = ? AND src_ip IS NOT ?', params: [value, value], ips: ['src_ip', 'NULL'], timeFirst: false },
      ];
    case 'user':
      return [{ where: 'user = ?', params: [value], ips: ['src_ip', 'dst_ip'], timeFirst: true }];
    case 'host':
      return [{ where: 'host = ?', params: [value], ips: ['src_ip', 'dst_ip'], timeFirst: true }];
    default:
      return assertNever(type);
  }
}

class Tally {
  private readonly counts = new Map<string, number>();

  add(v: string | number | null, n = 1): void {
    if (v === null) return;
    const key = String(v);
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  top(n: number): TopValue[] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([value, count]) => ({ value, count }));
  }
}

type FacetRow = [sourceId: number, dataset: string, status: number | null, outcome: string | null, action: string | null,
  count: number, first: number | null, last: number | null];
type ListRow = [user: string | null, host: string | null, url: string | null, ua: string | null, ip1: string | null, ip2: string | null];

export function entityDossier(db: Database, req: DossierRequest, topN = DOSSIER_TOP_N): Dossier {
  let range = '';
  const rangeParams: unknown[] = [];
  if (req.from !== undefined) {
    range += ' AND ts >= ?';
    rangeParams.push(req.from);
  }
  if (req.to !== undefined) {
    range += ' AND ts < ?';
    rangeParams.push(req.to);
  }
  const parts = sides(req.type, req.value);

  // One pass per index, grouped by the counted columns: for an address the index is in that
  // order, so nothing is sorted.
  const by = { dataset: new Tally(), action: new Tally(), outcome: new Tally(), status: new Tally() };
  const perSource = new Map<number, { count: number; first: number | null; last: number | null }>();
  const combos = parts.map((side) => facetRows(db, side, range, rangeParams));
  let total = 0;
  for (const [sourceId, dataset, status, outcome, action, n, first, last] of combos.flat()) {
    total += n;
    by.dataset.add(dataset, n);
    by.status.add(status, n);
    by.outcome.add(outcome, n);
    by.action.add(action, n);
    let s = perSource.get(sourceId);
    if (!s) perSource.set(sourceId, (s = { count: 0, first: null, last: null }));
    s.count += n;
    if (first !== null && (s.first === null || first < s.first)) s.first = first;
    if (last !== null && (s.last === null || last > s.last)) s.last = last;
  }
  const seen = range === '' ? spanOf(perSource.values()) : spanOf(parts.map((side) =>
    db.prepare(`SELECT min(ts) AS first, max(ts) AS last FROM events WHERE ${side.where}`).get(...side.params) as { first: number | null; last: number | null }));
  const from = req.from ?? seen.first;
  const to = req.to ?? (seen.last === null ? null : seen.last + 1);
  const timeline = from === null || to === null || to <= from || total === 0
    ? { bucketMs: niceBucket(0, DOSSIER_TIMELINE_BUCKETS), buckets: [] }
    : countTimeline(db, parts, combos, from, to);

  // Every k-th event by id: the test is on the index's rowid, so skipped events cost no read.
  const every = total > EXACT_LIST_EVENTS ? Math.ceil(total / SAMPLE_EVENTS) : 1;
  const list = { user: new Tally(), ip: new Tally(), host: new Tally(), url: new Tally(), ua: new Tally() };
  let listed = 0;
  for (const side of parts) {
    const sampled = every > 1 ? ' AND id % ? = 0' : '';
    const rows = db.prepare(`SELECT user, host, url, user_agent, ${side.ips[0]}, ${side.ips[1]} FROM events WHERE ${side.where}${range}${sampled}`)
      .raw().all(...side.params, ...rangeParams, ...(every > 1 ? [every] : [])) as ListRow[];
    for (const [user, host, url, ua, ip1, ip2] of rows) {
      listed++;
      if (req.type !== 'user') list.user.add(user);
      if (req.type !== 'host') list.host.add(host);
      list.url.add(url);
      list.ua.add(ua);
      list.ip.add(ip1);
      if (ip2 !== ip1) list.ip.add(ip2);
    }
  }

  const names = new Map((db.prepare('SELECT id, name FROM sources').raw().all() as [number, string][]));
  const dossier: Dossier = {
    type: req.type,
    value: req.value,
    total,
    firstSeen: seen.first,
    lastSeen: seen.last,
    perSource: [...perSource].sort((a, b) => a[0] - b[0])
      .map(([sourceId, s]) => ({ sourceId, name: names.get(sourceId) ?? `source ${sourceId}`, ...s })),
    byDataset: by.dataset.top(topN),
    byAction: by.action.top(topN),
    byOutcome: by.outcome.top(topN),
    byStatus: by.status.top(topN),
    users: list.user.top(topN),
    ips: list.ip.top(topN),
    hosts: list.host.top(topN),
    urls: list.url.top(topN),
    userAgents: list.ua.top(topN),
    timeline,
    alerts: listAlerts(db, { entity: { type: req.type, value: req.value } }, 200),
  };
  if (every > 1) dossier.sample = { events: listed, of: total };
  return dossier;
}

function spanOf(sources: Iterable<{ first: number | null; last: number | null }>): { first: number | null; last: number | null } {
  let first: number | null = null;
  let last: number | null = null;
  for (const s of sources) {
    if (s.first !== null && (first === null || s.first < first)) first = s.first;
    if (s.last !== null && (last === null || s.last > last)) last = s.last;
  }
  return { first, last };
}

/**
 * Events per combination of source, dataset, status, outcome and action, with the first and last
 * time of each. For an address, a combination's events are in time order in the index, so its
 * first and last are its two ends (reading the time of every event would double the cost).
 */
function facetRows(db: Database, side: Side, range: string, rangeParams: readonly unknown[]): FacetRow[] {
  const facets = ADDRESS_FACETS.join(', ');
  if (side.timeFirst) {
    return db.prepare(`SELECT ${facets}, count(*), min(ts), max(ts) FROM events WHERE ${side.where}${range} GROUP BY 1, 2, 3, 4, 5`)
      .raw().all(...side.params, ...rangeParams) as FacetRow[];
  }
  const rows = db.prepare(`SELECT ${facets}, count(*) FROM events WHERE ${side.where}${range} GROUP BY 1, 2, 3, 4, 5`)
    .raw().all(...side.params, ...rangeParams) as [number, string, number | null, string | null, string | null, number][];
  const same = ADDRESS_FACETS.map((c) => ` AND ${c} IS ?`).join('');
  const end = (order: 'ASC' | 'DESC') => db.prepare(`SELECT ts FROM events WHERE ${side.where}${same}${range} AND ts IS NOT NULL
      ORDER BY ts ${order} LIMIT 1`).pluck();
  const [first, last] = [end('ASC'), end('DESC')];
  return rows.map((r) => {
    const args = [...side.params, ...r.slice(0, 5), ...rangeParams];
    return [...r, (first.get(...args) as number | undefined) ?? null, (last.get(...args) as number | undefined) ?? null] as FacetRow;
  });
}

/** More range counts than this for a timeline, and one grouped pass counts it instead. */
const MAX_RANGE_COUNTS = 3000;

/**
 * Events per bucket over [from, to), counted by ranges of the indexes: per bucket for users and
 * hosts (time first), per bucket and combination for addresses (time after the counted columns).
 */
function countTimeline(db: Database, parts: readonly Side[], combos: readonly FacetRow[][], from: number, to: number): Dossier['timeline'] {
  const bucketMs = niceBucket(to - from, DOSSIER_TIMELINE_BUCKETS);
  const first = from - (((from % bucketMs) + bucketMs) % bucketMs);
  const counts = new Array<number>(Math.ceil((to - first) / bucketMs)).fill(0);
  const lo = (i: number): number => Math.max(from, first + i * bucketMs);
  const hi = (i: number): number => Math.min(to, first + (i + 1) * bucketMs);
  parts.forEach((side, k) => {
    const sideCombos = combos[k] ?? [];
    if (side.timeFirst) {
      const count = db.prepare(`SELECT count(*) FROM events WHERE ${side.where} AND ts >= ? AND ts < ?`).pluck();
      counts.forEach((_, i) => {
        counts[i]! += count.get(...side.params, lo(i), hi(i)) as number;
      });
      return;
    }
    const spanned = (c: FacetRow): [number, number] => [Math.floor(((c[6] ?? from) - first) / bucketMs), Math.floor(((c[7] ?? from) - first) / bucketMs)];
    const work = sideCombos.reduce((n, c) => n + spanned(c)[1] - spanned(c)[0] + 1, 0);
    if (work > MAX_RANGE_COUNTS) {
      // ts >= from >= first, so the remainder is never negative.
      const rows = db.prepare(`SELECT ts - ((ts - ?) % ?), count(*) FROM events WHERE ${side.where} AND ts >= ? AND ts < ? GROUP BY 1`)
        .raw().all(first, bucketMs, ...side.params, from, to) as [number, number][];
      for (const [start, n] of rows) counts[Math.round((start - first) / bucketMs)]! += n;
      return;
    }
    const facets = ADDRESS_FACETS.map((c) => ` AND ${c} IS ?`).join('');
    const count = db.prepare(`SELECT count(*) FROM events WHERE ${side.where}${facets} AND ts >= ? AND ts < ?`).pluck();
    for (const c of sideCombos) {
      if (c[6] === null) continue;
      const [a, b] = spanned(c);
      for (let i = Math.max(0, a); i <= Math.min(b, counts.length - 1); i++) {
        counts[i]! += count.get(...side.params, ...c.slice(0, 5), lo(i), hi(i)) as number;
      }
    }
  });
  return { bucketMs, buckets: counts.map((count, i) => ({ start: first + i * bucketMs, count })) };
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
