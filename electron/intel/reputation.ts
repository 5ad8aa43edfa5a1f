/**
 * Online reputation in a case: answers are kept (provider, time, verdict, raw response) so a
 * reopened case shows what was known and when, and a bulk lookup asks only what the case does not
 * know yet, with progress and cancel. Every lookup that sent something is in the audit log, with
 * the addresses sent and to whom.
 */
import type { Database } from 'better-sqlite3';
import { canonicalIp } from '../../shared/intel/ip.ts';
import type { LookupError, ProviderId, Reputation, Verdict } from '../../shared/intel/model.ts';
import { appendAudit } from '../engine/audit.ts';
import type { CaseDb } from '../engine/case-db.ts';
import type { ReputationClient } from './reputation-client.ts';

interface ReputationRow {
  ip: string; provider: ProviderId; fetched_at: number; found: number; verdict: Verdict; summary: string; detail: string;
}

const toReputation = (r: ReputationRow): Reputation => ({
  provider: r.provider, ip: r.ip, fetchedAt: r.fetched_at, found: r.found === 1, verdict: r.verdict, summary: r.summary,
  detail: JSON.parse(r.detail) as Reputation['detail'],
});

export function storeReputation(db: Database, rep: Reputation, raw: string): void {
  db.prepare(`INSERT INTO intel_reputation (ip, provider, fetched_at, found, verdict, summary, detail, raw)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(rep.ip, rep.provider, rep.fetchedAt, rep.found ? 1 : 0, rep.verdict, rep.summary, JSON.stringify(rep.detail), raw);
}

/** The latest answer of each provider about the address, newest first. */
export function cachedReputation(db: Database, ip: string): Reputation[] {
  const canonical = canonicalIp(ip) ?? ip;
  const rows = db.prepare(`SELECT ip, provider, fetched_at, found, verdict, summary, detail FROM intel_reputation r
      WHERE ip = ? AND fetched_at = (SELECT max(fetched_at) FROM intel_reputation WHERE ip = r.ip AND provider = r.provider)
      ORDER BY fetched_at DESC, id DESC`).all(canonical) as ReputationRow[];
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.provider) && seen.add(r.provider)).map(toReputation);
}

/** The response body a provider sent with its latest answer (as received, API key redacted). */
export function cachedRaw(db: Database, ip: string, provider: ProviderId): string | undefined {
  return db.prepare('SELECT raw FROM intel_reputation WHERE ip = ? AND provider = ? ORDER BY fetched_at DESC, id DESC LIMIT 1')
    .pluck().get(canonicalIp(ip) ?? ip, provider) as string | undefined;
}

export interface BulkProgress {
  done: number;
  total: number;
  /** Requests sent so far (cached answers send none). */
  sent: number;
}

export interface BulkOptions {
  /** Ask again even when the case has an answer (default: only when it has none, or it is older than maxAgeMs). */
  refresh?: boolean;
  maxAgeMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: BulkProgress) => void;
}

export interface BulkResult {
  results: (Reputation & { cached: boolean })[];
  errors: LookupError[];
  /** Requests the providers received. */
  sent: number;
  cancelled: boolean;
}

const SENT_IN_AUDIT = 1000;

/**
 * Looks up every address with every provider: cached answers first, then the providers in
 * parallel, each at its own pace. A cancel stops what is queued; what was answered is kept.
 */
export async function lookupReputation(
  c: CaseDb, client: ReputationClient, ips: readonly string[], providers: readonly ProviderId[], opts: BulkOptions = {},
): Promise<BulkResult> {
  const { db } = c;
  const now = Date.now();
  const addresses = [...new Set(ips.map((ip) => canonicalIp(ip) ?? ip))];
  const out: BulkResult = { results: [], errors: [], sent: 0, cancelled: false };
  const queue = new Map<ProviderId, string[]>();
  for (const ip of addresses) {
    const cached = new Map(cachedReputation(db, ip).map((r) => [r.provider, r]));
    for (const provider of providers) {
      const hit = cached.get(provider);
      if (hit && !opts.refresh && (opts.maxAgeMs === undefined || now - hit.fetchedAt <= opts.maxAgeMs)) out.results.push({ ...hit, cached: true });
      else queue.set(provider, [...(queue.get(provider) ?? []), ip]);
    }
  }
  const total = addresses.length * providers.length;
  let done = out.results.length;
  const sentTo: Record<string, string[]> = {};
  const progress = (): void => opts.onProgress?.({ done, total, sent: out.sent });
  progress();
  await Promise.all([...queue].map(async ([provider, list]) => {
    for (const ip of list) {
      if (opts.signal?.aborted) {
        out.cancelled = true;
        break;
      }
      const r = await client.lookup(provider, ip, opts.signal);
      if (r.requests > 0) {
        out.sent += r.requests;
        (sentTo[provider] ??= []).push(ip);
      }
      if (r.ok) {
        storeReputation(db, r.reputation, r.raw);
        out.results.push({ ...r.reputation, cached: false });
      } else {
        if (r.error.error === 'cancelled') out.cancelled = true;
        out.errors.push(r.error);
      }
      done++;
      progress();
    }
  }));
  if (out.sent > 0) {
    appendAudit(db, 'intel-lookup', {
      providers: Object.keys(sentTo), sent: out.sent, answered: out.results.filter((r) => !r.cached).length, failed: out.errors.length,
      addresses: Object.fromEntries(Object.entries(sentTo).map(([p, list]) => [p, list.slice(0, SENT_IN_AUDIT)])),
      cancelled: out.cancelled,
    });
  }
  return out;
}
