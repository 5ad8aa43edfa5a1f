/**
 * A detection run over a case: load the rules, scan the events once, correlate, and replace the
 * case's alerts (keeping triage), all recorded in the audit log.
 */
import { IpListIndex } from '../../shared/intel/list-index.ts';
import type { CompiledDetection } from '../../shared/sigma/compile.ts';
import { CorrelationEngine, type BaseMatch } from '../../shared/sigma/engine.ts';
import type { IpListLookup } from '../../shared/sigma/event-cache.ts';
import type { FieldRef } from '../../shared/sigma/fields.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import { levelRank, type RuleReportEntry } from '../../shared/sigma/types.ts';
import { resolve } from 'node:path';
import { appendAudit } from '../engine/audit.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { listAlerts, replaceAlerts, type Alert, type ReplaceResult } from '../engine/alerts.ts';
import { refreshCaseIps } from '../intel/case-ips.ts';
import { loadLists } from '../intel/lists.ts';
import { correlationAlerts, detectionAlerts } from './alert-build.ts';
import { loadRules } from './load-rules.ts';
import { DetectionCancelled, scanEvents, type ScanProgress } from './scan.ts';

export interface DetectionProgress extends ScanProgress {
  phase: 'scanning' | 'correlating' | 'storing' | 'done';
}

export interface RunOptions {
  /** User rule files or folders, run alongside the built-in pack. */
  rulePaths?: string[];
  /** Run the built-in pack (default true). */
  builtin?: boolean;
  /** A rule set already loaded (then `rulePaths` and `builtin` are not read). */
  ruleSet?: RuleSet;
  signal?: AbortSignal;
  onProgress?: (p: DetectionProgress) => void;
}

/** An alert of a run as stored (id, triage) with its events. */
export type DetectedAlert = Alert & { eventIds: number[] };
export type { Alert };

export interface RunResult {
  /** The alerts of this run, most severe first (the case also keeps triaged alerts not found again). */
  alerts: DetectedAlert[];
  /** Every rule document, loaded or skipped with the reason. */
  rules: RuleReportEntry[];
  stored: ReplaceResult;
  seconds: number;
}

const RULES_KEY = 'detection_rules';

/** The rules the last run used, so that a later run (after an import) replaces alerts with the same rules. */
export function rememberedRules(c: CaseDb): { paths: string[]; builtin: boolean } {
  const text = c.db.prepare('SELECT value FROM case_meta WHERE key = ?').pluck().get(RULES_KEY) as string | undefined;
  if (text === undefined) return { paths: [], builtin: true };
  const saved = JSON.parse(text) as { paths: string[]; builtin: boolean };
  return { paths: saved.paths, builtin: saved.builtin };
}

function rememberRules(c: CaseDb, rules: { paths: string[]; builtin: boolean }): void {
  c.db.prepare('INSERT OR REPLACE INTO case_meta (key, value) VALUES (?, ?)').run(RULES_KEY, JSON.stringify(rules));
}

/** The fields correlations group or count by, which the scan must read for matched events. */
export function correlationRefs(set: RuleSet): FieldRef[] {
  return set.correlations.flatMap((c) => c.slots.flatMap((s) =>
    (s.kind === 'detection' ? [...s.group, ...(s.value ? [s.value] : [])] : [])));
}

/** True when the rule asks whether an address is on an imported list. */
export function usesIpLists(d: CompiledDetection): boolean {
  for (const alternatives of d.searches.values()) {
    for (const leaves of alternatives) for (const leaf of leaves) if (leaf.values.some((alts) => alts.some((c) => c.kind === 'iplist'))) return true;
  }
  return false;
}

/**
 * For rules that ask whether an address is on an imported list: the case's addresses matched
 * against the lists (the SQL prefilter reads those hits), and the lists for the matcher.
 * Undefined when no rule asks or the case has no list (then no address is on one).
 */
export function prepareIpLists(c: CaseDb, detections: readonly CompiledDetection[]): IpListLookup | undefined {
  if (!detections.some(usesIpLists)) return undefined;
  const lists = loadLists(c.db);
  if (lists.length === 0) return undefined;
  refreshCaseIps(c);
  const index = new IpListIndex(lists);
  return (ip) => index.listsOf(ip);
}

/** Runs the rules over the whole case and stores the alerts. Throws DetectionCancelled on abort, leaving the case as it was. */
export async function runDetections(c: CaseDb, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const rulePaths = (opts.rulePaths ?? []).map((p) => resolve(p));
  const set = opts.ruleSet ?? loadRules(rulePaths, opts.builtin === false ? { builtin: false } : {}).set;
  let last: ScanProgress = { scanned: 0, total: 0, candidates: 0, matches: 0 };
  const ipLists = prepareIpLists(c, set.detections);
  const matches = await scanEvents(c, set.detections, correlationRefs(set), {
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(ipLists ? { ipLists } : {}),
    onProgress: (p) => {
      last = p;
      opts.onProgress?.({ phase: 'scanning', ...p });
    },
  });

  opts.onProgress?.({ phase: 'correlating', ...last });
  const engine = new CorrelationEngine(set);
  const fed: BaseMatch[] = [];
  for (const [d, list] of matches) if (engine.wants(d)) for (const m of list) fed.push(m);
  fed.sort((a, b) => (a.event.ts ?? 0) - (b.event.ts ?? 0) || a.event.id - b.event.id);
  for (const m of fed) engine.feed(m);
  const results = engine.finish();
  const alerts = [...detectionAlerts(set, matches), ...correlationAlerts(set, results, fed)];

  if (opts.signal?.aborted) throw new DetectionCancelled();
  opts.onProgress?.({ phase: 'storing', ...last });
  const stored = c.db.transaction(() => {
    if (!opts.ruleSet) rememberRules(c, { paths: rulePaths, builtin: opts.builtin !== false });
    return replaceAlerts(c.db, alerts);
  })();
  const saved = new Map(listAlerts(c.db, {}, Number.MAX_SAFE_INTEGER).map((a) => [a.id, a]));
  const detected = alerts.map((a, i) => ({ ...(saved.get(stored.ids[i] as number) as Alert), eventIds: a.eventIds }))
    .sort((a, b) => levelRank(b.rule.level) - levelRank(a.rule.level) || (a.first ?? 0) - (b.first ?? 0) || a.id - b.id);
  const loaded = set.report.filter((r) => r.status === 'loaded').length;
  appendAudit(c.db, 'detections-run', {
    rulesLoaded: loaded, rulesSkipped: set.report.length - loaded, alerts: alerts.length,
    added: stored.added, updated: stored.updated, removed: stored.removed, kept: stored.kept,
  });
  opts.onProgress?.({ phase: 'done', ...last });
  return { alerts: detected, rules: set.report, stored, seconds: (performance.now() - started) / 1000 };
}
