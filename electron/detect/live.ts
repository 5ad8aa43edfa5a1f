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
 *   clock, every waiting match goes through (a brute force whose sender stopped is alerted a few
 *   seconds after its last line, not when traffic resumes). A match older than one
 *   already fed (a sender's clock far behind, a replayed file) makes the correlations be rebuilt
 *   from every match so far, at most every `rebuildIntervalMs`, and once more at the end.
 * - Windows whose condition has an upper bound (lt, lte, eq) are judged when the group's next match
 *   arrives or when the feed stops, as in a run; alerts of sliding windows (gt, gte) appear as soon
 *   as they hold.
 *
 * On start the detector runs over what the case already holds (as `loupe detect` would), so that
 * file and live events of the same attacker meet in one alert.
 */
import type { Database } from 'better-sqlite3';
import type { CompiledDetection, MatchWhy } from '../../shared/sigma/compile.ts';
import { CorrelationEngine, type BaseMatch, type CorrelationResult } from '../../shared/sigma/engine.ts';
import type { IpListLookup } from '../../shared/sigma/event-cache.ts';
import type { MatchEvent } from '../../shared/sigma/event-fields.ts';
import type { Column } from '../../shared/sigma/fields.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import { replaceAlerts, type EntityType, type NewAlert } from '../engine/alerts.ts';
import { appendAudit } from '../engine/audit.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { AlertStore } from '../engine/live-alerts.ts';
import { alertRule, correlationAlerts, detectionAlerts, entityOf, WhyMerger, type DetectionWhy } from './alert-build.ts';
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
  /** The imported lists an address is on, for rules that use `iplist` (as a run is given them). */
  ipLists?: IpListLookup;
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

interface DetectionState {
  detection: CompiledDetection;
  entity: { type: EntityType; value: string };
  alertId: number | null;
  firstTs: number | null;
  lastTs: number | null;
  /** The earliest event in (time, id) order, events without a time first: the alert's identity. */
  firstEvent: { ts: number | null; id: number };
  count: number;
  why: WhyMerger;
  unlinked: number[];
}

/**
 * One correlation episode: its hits folded into one (events in order, the largest count, the first
 * distinct values), which is all an alert is built from, so memory follows events rather than hits.
 */
interface EpisodeState {
  folded: CorrelationResult;
  ids: Set<number>;
  alertId: number | null;
  linked: Set<number>;
}

/** The most distinct values an alert's why lists (as alert-build keeps). */
const MAX_VALUES = 50;

/** Distinct whys remembered for sharing; past this the memory starts afresh. */
const MAX_INTERNED = 10_000;

/** Correlation inputs between two sweeps of groups whose windows are over. */
const FORGET_EVERY = 4096;

const byTimeThenId = (a: BaseMatch, b: BaseMatch): number => (a.event.ts ?? 0) - (b.event.ts ?? 0) || a.event.id - b.event.id;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LiveDetector {
  onChange: (() => void) | undefined;
  private readonly db: Database;
  private readonly c: CaseDb;
  private readonly set: RuleSet;
  private readonly latenessMs: number;
  private readonly rebuildIntervalMs: number;
  private readonly syncIntervalMs: number;
  private readonly chunk: number;
  private readonly forgetEvery: number;
  private readonly now: () => number;
  private readonly matcher: RangeMatcher;
  private readonly ipLists: IpListLookup | undefined;
  private readonly wanted: Set<CompiledDetection>;
  /** The fields correlations group or count by, kept on remembered matches. */
  private readonly keptColumns: Column[];
  private readonly keptExtra: string[];
  private readonly correlationRules: Set<string>;
  private readonly store: AlertStore;
  private seeded: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private scannedId = 0;
  private targetId = 0;
  private finished = false;
  private readonly detections = new Map<string, DetectionState>();
  private readonly changedDetections = new Set<DetectionState>();
  private changedEpisodes = new Set<EpisodeState>();
  private engine: CorrelationEngine;
  /** Every match a correlation uses, for a rebuild; and per event, its matches in run order. */
  private readonly fed: BaseMatch[] = [];
  private readonly byEvent = new Map<number, BaseMatch[]>();
  private readonly whys = new Map<string, MatchWhy>();
  private pending: BaseMatch[] = [];
  private lastFed: { ts: number; id: number } | null = null;
  private sinceForget = 0;
  /** The latest time among the matches seen so far: the feed's clock. */
  private latestSeen = Number.NEGATIVE_INFINITY;
  /** When (wall clock) the last match correlations use came in. */
  private lastMatchAt = Number.NEGATIVE_INFINITY;
  private resultsSeen = 0;
  private episodes = new Map<string, EpisodeState>();
  private needsRebuild = false;
  private lastRebuild = 0;
  private lastSync = 0;
  private readonly stats = { lateMatches: 0, rebuilds: 0, alertWrites: 0 };

  constructor(c: CaseDb, set: RuleSet, opts: LiveDetectorOptions = {}) {
    this.c = c;
    this.db = c.db;
    this.set = set;
    this.latenessMs = opts.latenessMs ?? 5000;
    this.rebuildIntervalMs = opts.rebuildIntervalMs ?? 10_000;
    this.syncIntervalMs = opts.syncIntervalMs ?? 1000;
    this.chunk = opts.chunk ?? 2000;
    this.forgetEvery = opts.forgetEvery ?? FORGET_EVERY;
    this.now = opts.now ?? Date.now;
    this.ipLists = opts.ipLists;
    this.matcher = new RangeMatcher(this.db, set.detections, correlationRefs(set), opts.ipLists);
    this.engine = new CorrelationEngine(set);
    this.wanted = new Set(set.detections.filter((d) => this.engine.wants(d)));
    this.correlationRules = new Set(set.correlations.map((c) => c.rule.id));
    const refs = correlationRefs(set);
    this.keptColumns = [...new Set(refs.flatMap((r) => (r.column !== undefined ? [r.column] : [])))];
    this.keptExtra = [...new Set(refs.flatMap((r) => (r.extra !== undefined ? [r.extra] : [])))];
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
    this.targetId = Math.max(this.targetId, lastId);
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  /** Lets waiting matches through once their lateness delay is over, and stores grown alerts; call now and then. */
  poll(): void {
    if (this.running || !this.seeded || this.finished) return;
    this.advance(this.watermark());
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
      this.advance(Number.POSITIVE_INFINITY, true);
      this.engine.finish();
      this.collectResults();
      this.sync(true);
    }
    return this.status();
  }

  status(): LiveDetectionStats {
    return { scannedId: this.scannedId, waiting: this.pending.length, ...this.stats };
  }

  private async seed(signal?: AbortSignal): Promise<void> {
    const toId = this.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number;
    const matches = await scanEvents(this.c, this.set.detections, correlationRefs(this.set), {
      toId, ...(signal ? { signal } : {}), ...(this.ipLists ? { ipLists: this.ipLists } : {}),
    });
    this.scannedId = toId;
    this.targetId = Math.max(this.targetId, toId);
    const fed: BaseMatch[] = [];
    for (const d of this.set.detections) {
      const list = matches.get(d) ?? [];
      if (this.set.alerting.has(d.rule.id)) for (const m of list) this.addDetectionMatch(m);
      if (this.wanted.has(d)) fed.push(...list);
    }
    fed.sort(byTimeThenId);
    this.pending = fed.map((m) => this.remember(m));
    this.advance(Number.POSITIVE_INFINITY, true);
    if (this.lastFed !== null) this.latestSeen = this.lastFed.ts;
    // What a run stores, but without judging the windows still open: the feed goes on.
    const detectionStates = [...this.detections.values()];
    const episodes = [...this.episodes.values()];
    const alerts: NewAlert[] = detectionAlerts(this.set, matches);
    const byKey = new Map(detectionStates.map((s) => [detectionKey(s.detection, s.entity), s]));
    const owners: ({ kind: 'detection'; state: DetectionState } | { kind: 'episode'; state: EpisodeState })[] = alerts.map((a) => ({
      kind: 'detection', state: byKey.get(`${a.rule.id}\u0000${a.entity.type}\u0000${a.entity.value}`) as DetectionState,
    }));
    for (const ep of episodes) {
      const a = this.episodeAlert(ep);
      if (!a) continue;
      alerts.push(a);
      owners.push({ kind: 'episode', state: ep });
    }
    const stored = this.db.transaction(() => {
      const result = replaceAlerts(this.db, alerts);
      appendAudit(this.db, 'detections-run', {
        live: true, alerts: alerts.length, added: result.added, updated: result.updated, removed: result.removed, kept: result.kept,
      });
      return result;
    }).immediate();
    owners.forEach((o, i) => {
      o.state.alertId = stored.ids[i] as number;
      if (o.kind === 'detection') o.state.unlinked = [];
      else o.state.linked = new Set((alerts[i] as NewAlert).eventIds);
    });
    this.changedDetections.clear();
    this.changedEpisodes.clear();
    this.lastSync = this.now();
    if (alerts.length > 0) this.onChange?.();
  }

  private async run(): Promise<void> {
    await this.start();
    while (this.scannedId < this.targetId) {
      const to = Math.min(this.scannedId + this.chunk, this.targetId);
      this.matchRange(this.scannedId, to);
      this.scannedId = to;
      this.advance(this.watermark());
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
      if (this.set.alerting.has(d.rule.id)) for (const m of list) this.addDetectionMatch(m);
      if (this.wanted.has(d)) fed.push(...list);
    }
    fed.sort(byTimeThenId);
    const kept: BaseMatch[] = [];
    for (const match of fed) {
      const m = this.remember(match);
      kept.push(m);
      const ts = m.event.ts;
      if (ts !== null && ts > this.latestSeen) this.latestSeen = ts;
      if (ts !== null && this.lastFed !== null && (ts < this.lastFed.ts || (ts === this.lastFed.ts && m.event.id < this.lastFed.id))) {
        this.stats.lateMatches++;
        this.needsRebuild = true;
      }
    }
    if (kept.length > 0) this.lastMatchAt = this.now();
    this.pending = mergeSorted(this.pending, kept);
  }

  /**
   * Keeps a match for later rebuilds and alerts with only the fields they read (time, entity,
   * group-by and counted fields): a correlation input then costs a few hundred bytes, not the
   * whole event with its parsed `extra`.
   */
  private remember(m: BaseMatch): BaseMatch {
    const e = m.event;
    const slim: Record<string, unknown> = { id: e.id, ts: e.ts, dataset: e.dataset };
    for (const key of ENTITY_KEYS) if (e[key] !== undefined) slim[key] = e[key];
    for (const column of this.keptColumns) if (e[column] !== undefined) slim[column] = e[column];
    if (this.keptExtra.length > 0 && e.extra !== undefined) {
      const extra: Record<string, unknown> = {};
      for (const key of this.keptExtra) if (Object.hasOwn(e.extra, key)) extra[key] = e.extra[key];
      slim['extra'] = extra;
    }
    const kept: BaseMatch = { detection: m.detection, event: slim as MatchEvent, why: this.intern(m.why) };
    this.fed.push(kept);
    const list = this.byEvent.get(e.id);
    if (list) list.push(kept);
    else this.byEvent.set(e.id, [kept]);
    return kept;
  }

  /**
   * One object per distinct why: most matches of a rule hold for the same reasons (`action: login,
   * outcome: failure`), and a why costs about a kilobyte (measured).
   */
  private intern(why: MatchWhy): MatchWhy {
    const key = JSON.stringify(why);
    const known = this.whys.get(key);
    if (known) return known;
    if (this.whys.size >= MAX_INTERNED) this.whys.clear();
    this.whys.set(key, why);
    return why;
  }

  /** The time up to which waiting matches go through: the feed's time, less the lateness allowed; all of them once the feed is quiet. */
  private watermark(): number {
    const now = this.now();
    if (now - this.lastMatchAt >= this.latenessMs) return Number.POSITIVE_INFINITY;
    return Math.min(this.latestSeen, now) - this.latenessMs;
  }

  /** Feeds the waiting matches up to `watermark` in (time, id) order, or rebuilds when a late one came. */
  private advance(watermark: number, force = false): void {
    if (this.needsRebuild) {
      if (force || this.now() - this.lastRebuild >= this.rebuildIntervalMs) this.rebuild(watermark);
      return;
    }
    if (this.pending.length === 0) return;
    let i = 0;
    for (; i < this.pending.length; i++) {
      const m = this.pending[i] as BaseMatch;
      const ts = m.event.ts;
      if (ts !== null && ts > watermark) break;
      this.engine.feed(m);
      if (ts === null) continue;
      this.lastFed = { ts, id: m.event.id };
      // Groups whose windows are over hold memory for nothing; nothing older than ts is fed after.
      if (++this.sinceForget >= this.forgetEvery) {
        this.sinceForget = 0;
        this.engine.forget(ts);
      }
    }
    this.pending = i === this.pending.length ? [] : this.pending.slice(i);
    this.collectResults();
  }

  /** Replays every match in order into a new engine and replaces the correlation alerts with what it gives. */
  private rebuild(watermark: number): void {
    this.engine = new CorrelationEngine(this.set);
    // Stable: one event's matches keep their rule order.
    this.pending = [...this.fed].sort(byTimeThenId);
    this.lastFed = null;
    this.needsRebuild = false;
    this.resultsSeen = 0;
    this.episodes = new Map();
    this.advance(watermark);
    const entries = [...this.episodes.values()].flatMap((ep) => {
      const a = this.episodeAlert(ep);
      return a ? [{ ep, a }] : [];
    });
    const stored = this.db.transaction(() => replaceAlerts(this.db, entries.map((e) => e.a), Date.now(), { onlyRules: this.correlationRules }))
      .immediate();
    entries.forEach(({ ep, a }, i) => {
      ep.alertId = stored.ids[i] as number;
      ep.linked = new Set(a.eventIds);
    });
    this.changedEpisodes = new Set();
    this.stats.rebuilds++;
    this.stats.alertWrites += entries.length;
    this.lastRebuild = this.now();
    this.onChange?.();
  }

  private collectResults(): void {
    const results = this.engine.results;
    for (; this.resultsSeen < results.length; this.resultsSeen++) {
      const r = results[this.resultsSeen] as CorrelationResult;
      if (!this.set.alerting.has(r.correlation.rule.id)) continue;
      const key = `${r.correlation.rule.id}\u0000${r.hit.episode}`;
      let ep = this.episodes.get(key);
      if (!ep) {
        const hit = { ...r.hit, eventIds: [] as number[], ...(r.hit.values ? { values: [] as string[] } : {}) };
        ep = { folded: { correlation: r.correlation, hit }, ids: new Set(), alertId: null, linked: new Set() };
        this.episodes.set(key, ep);
      }
      const f = ep.folded.hit;
      f.count = Math.max(f.count, r.hit.count);
      for (const id of r.hit.eventIds) {
        if (ep.ids.has(id)) continue;
        ep.ids.add(id);
        f.eventIds.push(id);
      }
      if (f.values && r.hit.values) {
        for (const v of r.hit.values) if (f.values.length < MAX_VALUES && !f.values.includes(v)) f.values.push(v);
      }
      this.changedEpisodes.add(ep);
    }
    // The engine's list of hits would grow for ever; what alerts need is folded above.
    results.length = 0;
    this.resultsSeen = 0;
  }

  private addDetectionMatch(m: BaseMatch): void {
    const entity = entityOf(m.event);
    const key = detectionKey(m.detection, entity);
    let s = this.detections.get(key);
    if (!s) {
      s = {
        detection: m.detection, entity, alertId: null, firstTs: null, lastTs: null, firstEvent: { ts: m.event.ts, id: m.event.id },
        count: 0, why: new WhyMerger(), unlinked: [],
      };
      this.detections.set(key, s);
    }
    const { ts, id } = m.event;
    s.count++;
    s.why.add(m.why);
    if (ts !== null) {
      s.firstTs = s.firstTs === null ? ts : Math.min(s.firstTs, ts);
      s.lastTs = s.lastTs === null ? ts : Math.max(s.lastTs, ts);
    }
    const first = s.firstEvent;
    if ((ts ?? Number.NEGATIVE_INFINITY) - (first.ts ?? Number.NEGATIVE_INFINITY) < 0 || (ts === first.ts && id < first.id)) {
      s.firstEvent = { ts, id };
    }
    s.unlinked.push(id);
    this.changedDetections.add(s);
  }

  /** The alert of one correlation episode, built as a run builds it. */
  private episodeAlert(ep: EpisodeState): NewAlert | undefined {
    const base = ep.folded.hit.eventIds.flatMap((id) => this.byEvent.get(id) ?? []);
    return correlationAlerts(this.set, [ep.folded], base)[0];
  }

  /** Stores the alerts that changed: detection alerts each step, growing correlation alerts every `syncIntervalMs`. */
  private sync(force: boolean): void {
    const now = this.now();
    const episodes = (force || now - this.lastSync >= this.syncIntervalMs) && this.changedEpisodes.size > 0;
    if (this.changedDetections.size === 0 && !episodes) return;
    let writes = 0;
    this.db.transaction(() => {
      for (const s of this.changedDetections) {
        const why: DetectionWhy = { kind: 'detection', condition: s.detection.rule.conditionText, ...s.why.result() };
        s.alertId = this.store.put({
          rule: alertRule(s.detection.rule), entity: s.entity, first: s.firstTs, last: s.lastTs, firstEventId: s.firstEvent.id,
          count: s.count, why,
        }, s.alertId, s.unlinked, s.alertId === null);
        s.unlinked = [];
        writes++;
      }
      this.changedDetections.clear();
      if (!episodes) return;
      for (const ep of this.changedEpisodes) {
        const a = this.episodeAlert(ep);
        if (!a) continue;
        const fresh = a.eventIds.filter((id) => !ep.linked.has(id));
        ep.alertId = this.store.put({ ...a, count: a.eventIds.length }, ep.alertId, fresh, ep.alertId === null);
        for (const id of fresh) ep.linked.add(id);
        writes++;
      }
      this.changedEpisodes.clear();
      this.lastSync = now;
    }).immediate();
    if (writes > 0) {
      this.stats.alertWrites += writes;
      this.onChange?.();
    }
  }
}

/** What an alert's entity is taken from. */
const ENTITY_KEYS = ['srcIp', 'dstIp', 'user', 'host', 'program'] as const;

/**
 * Two lists in (time, id) order as one; on a tie the first list's come first, as a stable sort of
 * their concatenation would give. Usually the new matches all come after the waiting ones.
 */
function mergeSorted(a: BaseMatch[], b: BaseMatch[]): BaseMatch[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  if (byTimeThenId(a[a.length - 1] as BaseMatch, b[0] as BaseMatch) <= 0) {
    for (const m of b) a.push(m);
    return a;
  }
  const out: BaseMatch[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byTimeThenId(b[j] as BaseMatch, a[i] as BaseMatch) < 0 ? (b[j++] as BaseMatch) : (a[i++] as BaseMatch));
  while (i < a.length) out.push(a[i++] as BaseMatch);
  while (j < b.length) out.push(b[j++] as BaseMatch);
  return out;
}

function detectionKey(d: CompiledDetection, entity: { type: string; value: string }): string {
  return `${d.rule.id}\u0000${entity.type}\u0000${entity.value}`;
}
