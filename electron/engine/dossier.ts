/**
 * Everything the case says about one IP address, user or host: when and where it was seen, what
 * it did, who and what it was seen with, a small timeline and its alerts. The entity's events are
 * found through its index ((src_ip, ts), (dst_ip, ts), (user, ts) or (host, ts)) and counted in one
 * pass here, which costs one row read per event of the entity.
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
}

export const DOSSIER_TOP_N = 10;
export const DOSSIER_TIMELINE_BUCKETS = 60;

/** The columns one pass reads; `other` is the address at the other end, or the entity's addresses. */
const COLUMNS = 'ts, source_id, dataset, action, outcome, http_status, user, host, url, user_agent';
type Row = [ts: number | null, sourceId: number, dataset: string, action: string | null, outcome: string | null,
  status: number | null, user: string | null, host: string | null, url: string | null, ua: string | null,
  ip1: string | null, ip2: string | null];

interface Pass {
  sql: string;
  params: unknown[];
}

/** The statements that read the entity's events: one per index, none reading an event twice. */
function passes(type: EntityType, value: string, range: { sql: string; params: unknown[] }): Pass[] {
  switch (type) {
    case 'ip':
      return [
        { sql: `SELECT ${COLUMNS}, dst_ip, NULL FROM events WHERE src_ip = ?${range.sql}`, params: [value, ...range.params] },
        { sql: `SELECT ${COLUMNS}, src_ip, NULL FROM events WHERE dst_ip = ? AND src_ip IS NOT ?${range.sql}`, params: [value, value, ...range.params] },
      ];
    case 'user':
      return [{ sql: `SELECT ${COLUMNS}, src_ip, dst_ip FROM events WHERE user = ?${range.sql}`, params: [value, ...range.params] }];
    case 'host':
      return [{ sql: `SELECT ${COLUMNS}, src_ip, dst_ip FROM events WHERE host = ?${range.sql}`, params: [value, ...range.params] }];
    default:
      return assertNever(type);
  }
}

class Tally {
  private readonly counts = new Map<string, number>();

  add(v: string | number | null): void {
    if (v === null) return;
    const key = String(v);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  top(n: number): TopValue[] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([value, count]) => ({ value, count }));
  }
}

export function entityDossier(db: Database, req: DossierRequest, topN = DOSSIER_TOP_N): Dossier {
  const range = { sql: '', params: [] as unknown[] };
  if (req.from !== undefined) {
    range.sql += ' AND ts >= ?';
    range.params.push(req.from);
  }
  if (req.to !== undefined) {
    range.sql += ' AND ts < ?';
    range.params.push(req.to);
  }
  const t = {
    dataset: new Tally(), action: new Tally(), outcome: new Tally(), status: new Tally(), user: new Tally(),
    ip: new Tally(), host: new Tally(), url: new Tally(), ua: new Tally(),
  };
  const perSource = new Map<number, { count: number; first: number | null; last: number | null }>();
  const times: number[] = [];
  let total = 0;
  for (const pass of passes(req.type, req.value, range)) {
    for (const r of db.prepare(pass.sql).raw().iterate(...pass.params) as IterableIterator<Row>) {
      total++;
      const [ts, sourceId, dataset, action, outcome, status, user, host, url, ua, ip1, ip2] = r;
      t.dataset.add(dataset);
      t.action.add(action);
      t.outcome.add(outcome);
      t.status.add(status);
      if (req.type !== 'user') t.user.add(user);
      if (req.type !== 'host') t.host.add(host);
      t.url.add(url);
      t.ua.add(ua);
      t.ip.add(ip1);
      if (ip2 !== ip1) t.ip.add(ip2);
      let s = perSource.get(sourceId);
      if (!s) perSource.set(sourceId, (s = { count: 0, first: null, last: null }));
      s.count++;
      if (ts !== null) {
        times.push(ts);
        if (s.first === null || ts < s.first) s.first = ts;
        if (s.last === null || ts > s.last) s.last = ts;
      }
    }
  }
  const seen = req.from === undefined && req.to === undefined ? spanOf(perSource.values()) : seenOverCase(db, req);
  const names = new Map((db.prepare('SELECT id, name FROM sources').raw().all() as [number, string][]));
  return {
    type: req.type,
    value: req.value,
    total,
    firstSeen: seen.first,
    lastSeen: seen.last,
    perSource: [...perSource].sort((a, b) => a[0] - b[0])
      .map(([sourceId, s]) => ({ sourceId, name: names.get(sourceId) ?? `source ${sourceId}`, ...s })),
    byDataset: t.dataset.top(topN),
    byAction: t.action.top(topN),
    byOutcome: t.outcome.top(topN),
    byStatus: t.status.top(topN),
    users: t.user.top(topN),
    ips: t.ip.top(topN),
    hosts: t.host.top(topN),
    urls: t.url.top(topN),
    userAgents: t.ua.top(topN),
    timeline: timeline(times, req.from ?? seen.first, req.to ?? (seen.last === null ? null : seen.last + 1)),
    alerts: listAlerts(db, { entity: { type: req.type, value: req.value } }, 200),
  };
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

/** First and last time over the whole case, from the entity's indexes alone. */
function seenOverCase(db: Database, req: DossierRequest): { first: number | null; last: number | null } {
  const columns = req.type === 'ip' ? ['src_ip', 'dst_ip'] : [req.type];
  const spans = columns.map((c) => db.prepare(`SELECT min(ts) AS first, max(ts) AS last FROM events WHERE ${c} = ?`).get(req.value) as { first: number | null; last: number | null });
  return spanOf(spans);
}

function timeline(times: readonly number[], from: number | null, to: number | null): Dossier['timeline'] {
  if (from === null || to === null || to <= from || times.length === 0) return { bucketMs: niceBucket(0, DOSSIER_TIMELINE_BUCKETS), buckets: [] };
  const bucketMs = niceBucket(to - from, DOSSIER_TIMELINE_BUCKETS);
  const first = from - (((from % bucketMs) + bucketMs) % bucketMs);
  const counts = new Array<number>(Math.ceil((to - first) / bucketMs)).fill(0);
  for (const ts of times) {
    const i = Math.floor((ts - first) / bucketMs);
    if (i >= 0 && i < counts.length) counts[i]!++;
  }
  return { bucketMs, buckets: counts.map((count, i) => ({ start: first + i * bucketMs, count })) };
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
