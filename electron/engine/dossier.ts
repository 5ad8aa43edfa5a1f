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
export const EXACT_LIST_EVENTS = 5_000;
export const SAMPLE_EVENTS = 2_500;

/** Where the entity's events are: one condition per index, none selecting an event twice. */
function sides(type: EntityType, value: string): { where: string; params: unknown[]; ips: [string, string] }[] {
  switch (type) {
    case 'ip':
      return [
        { where: 'src_ip = ?', params: [value], ips: ['dst_ip', 'NULL'] },
        { where: 'dst_ip = ? AND src_ip IS NOT ?', params: [value, value], ips: ['src_ip', 'NULL'] },
      ];
    case 'user':
      return [{ where: 'user = ?', params: [value], ips: ['src_ip', 'dst_ip'] }];
    case 'host':
      return [{ where: 'host = ?', params: [value], ips: ['src_ip', 'dst_ip'] }];
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
  bucket: number | null, count: number, first: number | null, last: number | null];
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

  // First and last seen come from the index ends; they also fix the timeline's buckets, so that
  // one grouped pass over the index counts the facets and the timeline together.
  const seen = seenOverCase(db, parts);
  const from = req.from ?? seen.first;
  const to = req.to ?? (seen.last === null ? null : seen.last + 1);
  const bucketMs = from !== null && to !== null && to > from ? niceBucket(to - from, DOSSIER_TIMELINE_BUCKETS) : niceBucket(0, DOSSIER_TIMELINE_BUCKETS);
  const by = { dataset: new Tally(), action: new Tally(), outcome: new Tally(), status: new Tally() };
  const perSource = new Map<number, { count: number; first: number | null; last: number | null }>();
  const perBucket = new Map<number, number>();
  let total = 0;
  for (const side of parts) {
    const rows = db.prepare(`SELECT source_id, dataset, http_status, outcome, action, ts - (((ts % ?) + ?) % ?), count(*), min(ts), max(ts)
        FROM events WHERE ${side.where}${range} GROUP BY 1, 2, 3, 4, 5, 6`).raw().all(bucketMs, bucketMs, bucketMs, ...side.params, ...rangeParams) as FacetRow[];
    for (const [sourceId, dataset, status, outcome, action, bucket, n, first, last] of rows) {
      total += n;
      by.dataset.add(dataset, n);
      by.status.add(status, n);
      by.outcome.add(outcome, n);
      by.action.add(action, n);
      if (bucket !== null) perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + n);
      let s = perSource.get(sourceId);
      if (!s) perSource.set(sourceId, (s = { count: 0, first: null, last: null }));
      s.count += n;
      if (first !== null && (s.first === null || first < s.first)) s.first = first;
      if (last !== null && (s.last === null || last > s.last)) s.last = last;
    }
  }

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
    timeline: timeline(perBucket, bucketMs, from, to),
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

/** First and last time over the whole case, from the two ends of the entity's indexes. */
function seenOverCase(db: Database, parts: readonly { where: string; params: unknown[] }[]): { first: number | null; last: number | null } {
  const end = (side: { where: string; params: unknown[] }, order: 'ASC' | 'DESC'): number | null =>
    (db.prepare(`SELECT ts FROM events WHERE ${side.where} AND ts IS NOT NULL ORDER BY ts ${order} LIMIT 1`).pluck().get(...side.params) as number | undefined) ?? null;
  return spanOf(parts.map((side) => ({ first: end(side, 'ASC'), last: end(side, 'DESC') })));
}

function timeline(perBucket: ReadonlyMap<number, number>, bucketMs: number, from: number | null, to: number | null): Dossier['timeline'] {
  if (from === null || to === null || to <= from || perBucket.size === 0) return { bucketMs, buckets: [] };
  const buckets: { start: number; count: number }[] = [];
  for (let start = from - (((from % bucketMs) + bucketMs) % bucketMs); start < to; start += bucketMs) {
    buckets.push({ start, count: perBucket.get(start) ?? 0 });
  }
  return { bucketMs, buckets };
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
