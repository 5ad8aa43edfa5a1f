/**
 * The correlation side of live detections: matches wait for earlier ones from slower senders,
 * then reach the correlation engine in (time, id) order as a run feeds them; late matches make it
 * be rebuilt; groups whose windows are over are forgotten. What the engine finds is folded into one
 * episode per correlation episode, which is what its alert is built from (see live.ts for the rules
 * of waiting).
 */
import type { Database } from 'better-sqlite3';
import type { CompiledDetection, MatchWhy } from '../../shared/sigma/compile.ts';
import { CorrelationEngine, type BaseMatch, type CorrelationResult } from '../../shared/sigma/engine.ts';
import type { MatchEvent } from '../../shared/sigma/event-fields.ts';
import type { Column } from '../../shared/sigma/fields.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import { replaceAlerts, type NewAlert } from '../engine/alerts.ts';
import type { AlertStore } from '../engine/live-alerts.ts';
import { correlationAlerts } from './alert-build.ts';
import { correlationRefs } from './run.ts';

/**
 * One correlation episode: its hits folded into one (events in order, the largest count, the first
 * distinct values), which is all an alert is built from, so memory follows events rather than hits.
 */
export interface EpisodeState {
  folded: CorrelationResult;
  ids: Set<number>;
  alertId: number | null;
  linked: Set<number>;
}

export interface CorrelationFeedOptions {
  latenessMs: number;
  rebuildIntervalMs: number;
  forgetEvery: number;
  now: () => number;
}

/** The most distinct values an alert's why lists (as alert-build keeps). */
const MAX_VALUES = 50;

/** Distinct whys remembered for sharing; past this the memory starts afresh. */
const MAX_INTERNED = 10_000;

/** What an alert's entity is taken from. */
const ENTITY_KEYS = ['srcIp', 'dstIp', 'user', 'host', 'program'] as const;

export const byTimeThenId = (a: BaseMatch, b: BaseMatch): number => (a.event.ts ?? 0) - (b.event.ts ?? 0) || a.event.id - b.event.id;

export class CorrelationFeed {
  /** A rebuild replaced the correlation alerts. */
  onRebuilt: (() => void) | undefined;
  readonly stats = { lateMatches: 0, rebuilds: 0, alertWrites: 0 };
  private readonly db: Database;
  private readonly set: RuleSet;
  private readonly opts: CorrelationFeedOptions;
  /** The fields correlations group or count by, kept on remembered matches. */
  private readonly keptColumns: Column[];
  private readonly keptExtra: string[];
  private readonly correlationRules: Set<string>;
  private engine: CorrelationEngine;
  /** Every match a correlation uses, for a rebuild; and per event, its matches in run order. */
  private readonly fed: BaseMatch[] = [];
  private readonly byEvent = new Map<number, BaseMatch[]>();
  private readonly whys = new Map<string, MatchWhy>();
  private readonly values = new Map<string, string>();
  private pending: BaseMatch[] = [];
  private lastFed: { ts: number; id: number } | null = null;
  private sinceForget = 0;
  /** The latest time among the matches seen so far: the feed's clock. */
  private latestSeen = Number.NEGATIVE_INFINITY;
  /** When (wall clock) the last match came in. */
  private lastMatchAt = Number.NEGATIVE_INFINITY;
  private resultsSeen = 0;
  private episodes = new Map<string, EpisodeState>();
  private changed = new Set<EpisodeState>();
  private needsRebuild = false;
  private lastRebuild = 0;

  constructor(db: Database, set: RuleSet, opts: CorrelationFeedOptions) {
    this.db = db;
    this.set = set;
    this.opts = opts;
    this.engine = new CorrelationEngine(set);
    this.correlationRules = new Set(set.correlations.map((c) => c.rule.id));
    const refs = correlationRefs(set);
    this.keptColumns = [...new Set(refs.flatMap((r) => (r.column !== undefined ? [r.column] : [])))];
    this.keptExtra = [...new Set(refs.flatMap((r) => (r.extra !== undefined ? [r.extra] : [])))];
  }

  /** True when some correlation uses this detection's matches. */
  wants(detection: CompiledDetection): boolean {
    return this.engine.wants(detection);
  }

  /** Matches waiting for the lateness delay. */
  get waiting(): number {
    return this.pending.length;
  }

  get dirty(): boolean {
    return this.changed.size > 0;
  }

  /** The matches of what the case held at the start, in (time, id) order: fed at once, windows left open. */
  seed(sorted: readonly BaseMatch[]): EpisodeState[] {
    this.pending = sorted.map((m) => this.remember(m));
    this.advance(Number.POSITIVE_INFINITY, true);
    if (this.lastFed !== null) this.latestSeen = this.lastFed.ts;
    return [...this.episodes.values()];
  }

  /** After the first run stored every alert: the row of each episode and the events it links. */
  seeded(): void {
    this.changed.clear();
  }

  /** New matches, each event's in rule order: they wait for the lateness delay (a late one asks for a rebuild). */
  add(matches: readonly BaseMatch[]): void {
    const sorted = [...matches].sort(byTimeThenId);
    const kept: BaseMatch[] = [];
    for (const match of sorted) {
      const m = this.remember(match);
      kept.push(m);
      const ts = m.event.ts;
      if (ts !== null && ts > this.latestSeen) this.latestSeen = ts;
      if (ts !== null && this.lastFed !== null && (ts < this.lastFed.ts || (ts === this.lastFed.ts && m.event.id < this.lastFed.id))) {
        this.stats.lateMatches++;
        this.needsRebuild = true;
      }
    }
    if (kept.length > 0) this.lastMatchAt = this.opts.now();
    this.pending = mergeSorted(this.pending, kept);
  }

  /** Lets through the matches whose lateness delay is over. */
  step(): void {
    this.advance(this.watermark());
  }

  /** The end of the feed: every waiting match goes through, every window is judged. */
  finish(): void {
    this.advance(Number.POSITIVE_INFINITY, true);
    this.engine.finish();
    this.collectResults();
  }

  /** The alert of one episode, built as a run builds it. */
  alertOf(ep: EpisodeState): NewAlert | undefined {
    const base = ep.folded.hit.eventIds.flatMap((id) => this.byEvent.get(id) ?? []);
    return correlationAlerts(this.set, [ep.folded], base)[0];
  }

  /** Writes the episodes that grew (inside the caller's transaction); returns how many. */
  store(store: AlertStore): number {
    let writes = 0;
    for (const ep of this.changed) {
      const a = this.alertOf(ep);
      if (!a) continue;
      const fresh = a.eventIds.filter((id) => !ep.linked.has(id));
      ep.alertId = store.put({ ...a, count: a.eventIds.length }, ep.alertId, fresh, ep.alertId === null);
      for (const id of fresh) ep.linked.add(id);
      writes++;
    }
    this.changed.clear();
    return writes;
  }

  /**
   * Keeps a match for later rebuilds and alerts with only the fields they read (time, entity,
   * group-by and counted fields): a correlation input then costs a few hundred bytes, not the
   * whole event with its parsed `extra`.
   */
  private remember(m: BaseMatch): BaseMatch {
    const e = m.event;
    const list = this.byEvent.get(e.id);
    // An event's several matches (a failure is also a failure before a success) share its slim copy,
    // and its values are shared with earlier events' (hosts, programs, users repeat): measured on
    // 420,000 messages, the remembered matches went from 45 MB to about 10.
    const kept: BaseMatch = { detection: m.detection, event: list?.[0]?.event ?? this.slim(e), why: this.intern(m.why) };
    this.fed.push(kept);
    if (list) list.push(kept);
    else this.byEvent.set(e.id, [kept]);
    return kept;
  }

  private slim(e: MatchEvent): MatchEvent {
    const slim: Record<string, unknown> = { id: e.id, ts: e.ts, dataset: this.share(e.dataset) };
    for (const key of ENTITY_KEYS) if (e[key] !== undefined) slim[key] = this.share(e[key]);
    for (const column of this.keptColumns) if (e[column] !== undefined) slim[column] = this.share(e[column]);
    if (this.keptExtra.length > 0 && e.extra !== undefined) {
      const extra: Record<string, unknown> = {};
      for (const key of this.keptExtra) if (Object.hasOwn(e.extra, key)) extra[key] = this.share(e.extra[key]);
      slim['extra'] = extra;
    }
    return slim as MatchEvent;
  }

  /** One string for equal values; other values as they are. */
  private share<T>(value: T): T {
    if (typeof value !== 'string' || value.length > 64) return value;
    const known = this.values.get(value);
    if (known !== undefined) return known as T;
    if (this.values.size >= MAX_INTERNED) this.values.clear();
    this.values.set(value, value);
    return value;
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

  /**
   * The time up to which waiting matches go through: the feed's time, less the lateness allowed;
   * once the feed is quiet, the wall clock. A match stamped ahead of the clock (a sender whose clock
   * runs fast) waits for the clock or the end: fed now, it would make every other match late.
   */
  private watermark(): number {
    const now = this.opts.now();
    if (now - this.lastMatchAt >= this.opts.latenessMs) return now;
    return Math.min(this.latestSeen, now) - this.opts.latenessMs;
  }

  /** Feeds the waiting matches up to `watermark` in (time, id) order, or rebuilds when a late one came. */
  private advance(watermark: number, force = false): void {
    if (this.needsRebuild) {
      if (force || this.opts.now() - this.lastRebuild >= this.opts.rebuildIntervalMs) this.rebuild(watermark);
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
      if (++this.sinceForget >= this.opts.forgetEvery) {
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
      const a = this.alertOf(ep);
      return a ? [{ ep, a }] : [];
    });
    const stored = this.db.transaction(() => replaceAlerts(this.db, entries.map((e) => e.a), Date.now(), { onlyRules: this.correlationRules }))
      .immediate();
    entries.forEach(({ ep, a }, i) => {
      ep.alertId = stored.ids[i] as number;
      ep.linked = new Set(a.eventIds);
    });
    this.changed = new Set();
    this.stats.rebuilds++;
    this.stats.alertWrites += entries.length;
    this.lastRebuild = this.opts.now();
    this.onRebuilt?.();
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
      this.changed.add(ep);
    }
    // The engine's list of hits would grow for ever; what alerts need is folded above.
    results.length = 0;
    this.resultsSeen = 0;
  }
}

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
