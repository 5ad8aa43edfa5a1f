/**
 * Detections on a live feed that end with the alerts a full run (`runDetections`) gives over the
 * same events.
 *
 * - Detection rules are matched on each stored batch only, and their alerts (one per rule and
 *   entity) are updated in place: count, first and last time, why, new events linked.
 * - Correlations need their matches in time order, which a feed from several senders does not
 *   guarantee. Matches wait for earlier ones until the feed's time (the latest match's time, never
 *   ahead of the wall clock) is `latenessMs` past theirs, then the correlation engine sees them in
 *   (time, id) order as a run feeds them. Feed time rather than the wall clock: a listener that
 *   falls behind must not take its own delay for the senders' disorder. But a feed that goes quiet
 *   has no later match to move its time on: once no match has come for `latenessMs` by the wall
 *   clock, every waiting match up to the wall clock goes through (a brute force whose sender
 *   stopped is alerted a few seconds after its last line, not when traffic resumes; a match stamped
 *   ahead of the clock waits for it, or for the end). A match older than one
 *   already fed (a sender's clock far behind, a replayed file) makes the correlations be rebuilt
 *   from every match so far, at most every `rebuildIntervalMs`, and once more at the end.
 * - Windows whose condition has an upper bound (lt, lte, eq) are judged when the group's next match
 *   arrives or when the feed stops, as in a run; alerts of sliding windows (gt, gte) appear as soon
 *   as they hold.
 *
 * On start the detector runs over what the case already holds (as `loupe detect` would), so that
 * file and live events of the same attacker meet in one alert. The two kinds of alert are kept by
 * live-detection-alerts.ts and live-correlations.ts; this module matches, seeds and stores.
 */
import type { Database } from 'better-sqlite3';
import type { CompiledDetection } from '../../shared/sigma/compile.ts';
import type { BaseMatch } from '../../shared/sigma/engine.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import { replaceAlerts, type NewAlert } from '../engine/alerts.ts';
import { appendAudit } from '../engine/audit.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { AlertStore } from '../engine/live-alerts.ts';
import { detectionAlerts } from './alert-build.ts';
import { byTimeThenId, CorrelationFeed, type EpisodeState } from './live-correlations.ts';
import { alertKey, LiveDetectionAlerts } from './live-detection-alerts.ts';
import { LiveIpLists } from './live-ip-lists.ts';
import { correlationRefs } from './run.ts';
import { RangeMatcher, scanEvents } from './scan.ts';

export interface LiveDetectorOptions {
  /** How long a match waits for earlier ones from slower senders before correlations see it (default 5 s). */
  latenessMs?: number;
  /** Least time between two rebuilds of the correlations after late matches (default 10 s). */
  rebuildIntervalMs?: number;
  /** Least time between two stores of a growing correlation alert (default 1 s). */
  syncIntervalMs?: number;
  /** Rows matched per step; the event loop gets a turn between steps. */
  chunk?: number;
  /** Correlation inputs between two sweeps of groups whose windows are over (default 4096). */
  forgetEvery?: number;
  now?: () => number;
}

export interface LiveDetectionStats {
  /** Events matched so far (the highest id scanned). */
  scannedId: number;
  /** Matches waiting for the lateness delay before correlations see them. */
  waiting: number;
  lateMatches: number;
  rebuilds: number;
  /** Alert rows written (inserted or updated) since the start. */
  alertWrites: number;
}

/** Correlation inputs between two sweeps of groups whose windows are over. */
const FORGET_EVERY = 4096;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LiveDetector {
  onChange: (() => void) | undefined;
  private readonly db: Database;
  private readonly c: CaseDb;
  private readonly set: RuleSet;
  private readonly syncIntervalMs: number;
  private readonly chunk: number;
  private readonly now: () => number;
  private readonly matcher: RangeMatcher;
  /** The imported lists, for rules that use `iplist`; read again when a list is imported while live. */
  private readonly ipLists: LiveIpLists;
  /** The detections some correlation uses. */
  private readonly wanted: Set<CompiledDetection>;
  private readonly store: AlertStore;
  private readonly detections = new LiveDetectionAlerts();
  private readonly correlations: CorrelationFeed;
  private seeded: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private scannedId = 0;
  private targetId = 0;
  private finished = false;
  private lastSync = 0;
  private alertWrites = 0;

  constructor(c: CaseDb, set: RuleSet, opts: LiveDetectorOptions = {}) {
    this.c = c;
    this.db = c.db;
    this.set = set;
    this.syncIntervalMs = opts.syncIntervalMs ?? 1000;
    this.chunk = opts.chunk ?? 2000;
    this.now = opts.now ?? Date.now;
    this.ipLists = new LiveIpLists(c, set.detections);
    this.matcher = new RangeMatcher(this.db, set.detections, correlationRefs(set), this.ipLists.lookup);
    this.correlations = new CorrelationFeed(this.db, set, {
      latenessMs: opts.latenessMs ?? 5000, rebuildIntervalMs: opts.rebuildIntervalMs ?? 10_000, forgetEvery: opts.forgetEvery ?? FORGET_EVERY,
      now: this.now,
    });
    this.wanted = new Set(set.detections.filter((d) => this.correlations.wants(d)));
    this.correlations.onRebuilt = () => this.onChange?.();
    this.store = new AlertStore(this.db);
  }

  /** Runs the rules over what the case holds now (replacing its open alerts, as a run does), then follows new rows. */
  start(signal?: AbortSignal): Promise<void> {
    this.seeded ??= this.seed(signal);
    return this.seeded;
  }

  /** Rows up to `lastId` are stored: match them (in steps, leaving the event loop turns). */
  notify(lastId: number): void {
    if (this.finished) return;
    try {
      this.ipLists.refresh();
    } catch {
      // The case is busy (another writer's long transaction): the lists read before serve until the next batch.
    }
    this.targetId = Math.max(this.targetId, lastId);
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  /** Lets waiting matches through once their lateness delay is over, and stores grown alerts; call now and then. */
  poll(): void {
    if (this.running || !this.seeded || this.finished) return;
    this.correlations.step();
    this.sync(false);
  }

  /** Resolves once every notified row has been matched. */
  async idle(): Promise<void> {
    await this.seeded;
    while (this.running) await this.running;
  }

  /** The end of the feed: every waiting match goes through, every window is judged, every alert stored. */
  async finish(): Promise<LiveDetectionStats> {
    await this.start();
    await this.idle();
    if (!this.finished) {
      this.finished = true;
      this.correlations.finish();
      this.sync(true);
    }
    return this.status();
  }

  status(): LiveDetectionStats {
    const { lateMatches, rebuilds, alertWrites } = this.correlations.stats;
    return { scannedId: this.scannedId, waiting: this.correlations.waiting, lateMatches, rebuilds, alertWrites: alertWrites + this.alertWrites };
  }

  private async seed(signal?: AbortSignal): Promise<void> {
    const toId = this.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number;
    const matches = await scanEvents(this.c, this.set.detections, correlationRefs(this.set), {
      toId, ipLists: this.ipLists.lookup, ...(signal ? { signal } : {}),
    });
    this.scannedId = toId;
    this.targetId = Math.max(this.targetId, toId);
    const fed: BaseMatch[] = [];
    for (const d of this.set.detections) {
      const list = matches.get(d) ?? [];
      if (this.set.alerting.has(d.rule.id)) for (const m of list) this.detections.add(m);
      if (this.wanted.has(d)) fed.push(...list);
    }
    fed.sort(byTimeThenId);
    const episodes = this.correlations.seed(fed);
    // What a run stores, but without judging the windows still open: the feed goes on.
    const alerts: NewAlert[] = detectionAlerts(this.set, matches);
    const detectionCount = alerts.length;
    const owners: EpisodeState[] = [];
    for (const ep of episodes) {
      const a = this.correlations.alertOf(ep);
      if (!a) continue;
      alerts.push(a);
      owners.push(ep);
    }
    const stored = this.db.transaction(() => {
      const result = replaceAlerts(this.db, alerts);
      appendAudit(this.db, 'detections-run', {
        live: true, alerts: alerts.length, added: result.added, updated: result.updated, removed: result.removed, kept: result.kept,
      });
      return result;
    }).immediate();
    const ids = new Map<string, number>();
    for (let i = 0; i < detectionCount; i++) {
      const a = alerts[i] as NewAlert;
      ids.set(alertKey(a.rule.id, a.entity), stored.ids[i] as number);
    }
    this.detections.seeded(ids);
    owners.forEach((ep, i) => {
      ep.alertId = stored.ids[detectionCount + i] as number;
      ep.linked = new Set((alerts[detectionCount + i] as NewAlert).eventIds);
    });
    this.correlations.seeded();
    this.lastSync = this.now();
    if (alerts.length > 0) this.onChange?.();
  }

  private async run(): Promise<void> {
    await this.start();
    while (this.scannedId < this.targetId) {
      const to = Math.min(this.scannedId + this.chunk, this.targetId);
      this.matchRange(this.scannedId, to);
      this.scannedId = to;
      this.correlations.step();
      this.sync(false);
      await tick();
    }
  }

  private matchRange(from: number, to: number): void {
    const out = new Map<CompiledDetection, BaseMatch[]>();
    this.matcher.match(from, to, out);
    const fed: BaseMatch[] = [];
    // In rule order, as a run lists them: one event's matches then reach correlations in the same order.
    for (const d of this.set.detections) {
      const list = out.get(d);
      if (list === undefined) continue;
      if (this.set.alerting.has(d.rule.id)) for (const m of list) this.detections.add(m);
      if (this.wanted.has(d)) fed.push(...list);
    }
    this.correlations.add(fed);
  }

  /** Stores the alerts that changed: detection alerts each step, growing correlation alerts every `syncIntervalMs`. */
  private sync(force: boolean): void {
    const now = this.now();
    const episodes = (force || now - this.lastSync >= this.syncIntervalMs) && this.correlations.dirty;
    if (!this.detections.dirty && !episodes) return;
    let writes = 0;
    this.db.transaction(() => {
      writes += this.detections.store(this.store);
      if (!episodes) return;
      writes += this.correlations.store(this.store);
      this.lastSync = now;
    }).immediate();
    if (writes > 0) {
      this.alertWrites += writes;
      this.onChange?.();
    }
  }
}
