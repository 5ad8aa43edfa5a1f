/**
 * Incremental correlation (Sigma correlation types event_count, value_count, temporal,
 * temporal_ordered). A correlator is fed the matches of the rules it correlates in time order and
 * keeps per-group windows, so a live feed can feed it event by event and a case can feed it in
 * batches with the same result.
 *
 * Conditions with only lower bounds (gt, gte: "at least N in any span") use a sliding window and
 * fire as soon as they hold, and again for every further match while they hold. Conditions with an
 * upper bound (lt, lte, eq) can only be judged once a window is over: those use windows that open
 * at a group's first match and close `timespan` later (on a later match, `advance`, or `flush`).
 */
import type { CorrelationRule, CountCondition } from './types.ts';

export interface CorrelationInput {
  /** Positions in the correlation's `rules` list that the match belongs to (one event can match several). */
  slots: number[];
  ts: number;
  eventIds: readonly number[];
  /** The group-by values, in `group-by` order. */
  group: string[];
  /** value_count: the counted field's value (matches without it are not counted). */
  value?: string;
}

export interface CorrelationHit {
  /** Hits of one episode (overlapping windows of one group) make one alert. */
  episode: string;
  group: string[];
  /** When the condition held: the time of the match that completed it (or the window's end). */
  ts: number;
  /** The earliest match in the window. */
  first: number;
  /** Matches (event_count), distinct values (value_count) or distinct rules (temporal) in the window. */
  count: number;
  values?: string[];
  /** Events of the window not already given by an earlier hit of the same correlator. */
  eventIds: number[];
}

interface Entry {
  ts: number;
  slots: number[];
  ids: readonly number[];
  value?: string;
}

interface GroupState {
  group: string[];
  /** Matches in time order; those before `head` have left the window. */
  entries: Entry[];
  head: number;
  /** Index of the first entry no hit has reported yet. */
  reported: number;
  /** Matches per counted value (value_count) or per rule slot (temporal), for the entries in the window. */
  tally: Map<string, number>;
  /** Tumbling windows: when the open one started. */
  windowStart?: number;
  /** temporal_ordered: per slot, the latest start of an ordered chain ending there. */
  chainStart?: (number | undefined)[];
  episodes: number;
  /** Sliding windows: the last time the condition held in the running episode. */
  episodeEnd?: number;
}

export function satisfies(c: CountCondition, n: number): boolean {
  return (c.gt === undefined || n > c.gt) && (c.gte === undefined || n >= c.gte) && (c.lt === undefined || n < c.lt)
    && (c.lte === undefined || n <= c.lte) && (c.eq === undefined || n === c.eq);
}

const MAX_VALUES = 50;

export class Correlator {
  readonly rule: CorrelationRule;
  private readonly groups = new Map<string, GroupState>();
  /** Episode counts of groups dropped by `forget`. */
  private readonly retired = new Map<string, number>();
  private readonly sliding: boolean;
  private readonly span: number;

  constructor(rule: CorrelationRule, timespanMs: number = rule.timespanMs) {
    this.rule = rule;
    this.span = timespanMs;
    const c = rule.condition;
    this.sliding = c.lt === undefined && c.lte === undefined && c.eq === undefined;
  }

  /** Feeds one match (inputs must come in time order); returns the hits it completes. */
  push(input: CorrelationInput): CorrelationHit[] {
    if (this.rule.type === 'value_count' && input.value === undefined) return [];
    const key = JSON.stringify(input.group);
    let g = this.groups.get(key);
    if (!g) {
      // A forgotten group's next episode carries on its numbering, as if it had never gone.
      g = { group: input.group, entries: [], head: 0, reported: 0, tally: new Map(), episodes: this.retired.get(key) ?? 0 };
      this.retired.delete(key);
      this.groups.set(key, g);
    }
    const hits: CorrelationHit[] = [];
    if (!this.sliding && g.windowStart !== undefined && input.ts - g.windowStart > this.span) {
      const hit = this.closeWindow(key, g);
      if (hit) hits.push(hit);
    }
    const entry: Entry = { ts: input.ts, slots: input.slots, ids: input.eventIds };
    if (input.value !== undefined) entry.value = input.value;
    g.entries.push(entry);
    if (!this.sliding) {
      g.windowStart ??= input.ts;
      return hits;
    }
    this.tallyAdd(g, entry, 1);
    this.evict(g, input.ts);
    const from = this.rule.type === 'temporal_ordered' ? this.orderedStart(g, input) : (g.entries[g.head] as Entry).ts;
    if (from === undefined) return hits;
    const count = this.rule.type === 'event_count' ? g.entries.length - g.head : g.tally.size;
    if (this.rule.type === 'temporal_ordered' || satisfies(this.rule.condition, count)) {
      if (g.episodeEnd === undefined || from > g.episodeEnd) g.episodes++;
      g.episodeEnd = input.ts;
      hits.push(this.hit(key, g, this.firstAtOrAfter(g, from), input.ts, count));
    }
    return hits;
  }

  /** Closes the windows that end before `now` (for a live feed whose clock moves on without matches). */
  advance(now: number): CorrelationHit[] {
    const hits: CorrelationHit[] = [];
    for (const [key, g] of this.groups) {
      if (this.sliding) {
        this.evict(g, now);
      } else if (g.windowStart !== undefined && now - g.windowStart > this.span) {
        const hit = this.closeWindow(key, g);
        if (hit) hits.push(hit);
      }
      if (g.entries.length === g.head) this.groups.delete(key);
    }
    return hits;
  }

  /**
   * Drops the groups of sliding windows whose matches are all older than `now` − timespan, keeping
   * only their episode count: a live feed then holds state for recent groups, not every address it
   * ever saw. Safe only when no match older than `now` comes afterwards (the caller feeds in time
   * order); the hits are then exactly those without it. Tumbling windows (upper-bound conditions)
   * are left alone: closing them early would change when their hits reach chained correlations.
   */
  forget(now: number): void {
    if (!this.sliding) return;
    for (const [key, g] of this.groups) {
      this.evict(g, now);
      if (g.entries.length !== g.head) continue;
      this.groups.delete(key);
      if (g.episodes > 0) this.retired.set(key, g.episodes);
    }
  }

  /** The end of the input: judges every open window. */
  flush(): CorrelationHit[] {
    return this.advance(Number.POSITIVE_INFINITY);
  }

  private tallyKeys(e: Entry): string[] {
    if (this.rule.type === 'value_count') return e.value === undefined ? [] : [e.value];
    if (this.rule.type === 'event_count') return [];
    return e.slots.map(String);
  }

  private tallyAdd(g: GroupState, e: Entry, by: 1 | -1): void {
    for (const k of this.tallyKeys(e)) {
      const n = (g.tally.get(k) ?? 0) + by;
      if (n === 0) g.tally.delete(k);
      else g.tally.set(k, n);
    }
  }

  private evict(g: GroupState, now: number): void {
    while (g.head < g.entries.length && (g.entries[g.head] as Entry).ts < now - this.span) {
      this.tallyAdd(g, g.entries[g.head] as Entry, -1);
      g.head++;
    }
    g.reported = Math.max(g.reported, g.head);
    // Drop the dead prefix now and then, keeping the cost per match constant.
    if (g.head > 1024 && g.head * 2 > g.entries.length) {
      g.entries = g.entries.slice(g.head);
      g.reported -= g.head;
      g.head = 0;
    }
  }

  private firstAtOrAfter(g: GroupState, ts: number): number {
    let lo = g.head;
    let hi = g.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((g.entries[mid] as Entry).ts < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** temporal_ordered: the latest start of a chain rules[0] → … → rules[n-1] ending now, if any. */
  private orderedStart(g: GroupState, input: CorrelationInput): number | undefined {
    const n = this.rule.rules.length;
    const chain = (g.chainStart ??= new Array<number | undefined>(n).fill(undefined));
    // Highest slot first, so one event matching two steps does not stand for both.
    for (const slot of [...input.slots].sort((a, b) => b - a)) {
      if (slot === 0) chain[0] = input.ts;
      else {
        const prev = chain[slot - 1];
        if (prev !== undefined && input.ts - prev <= this.span) chain[slot] = prev;
      }
    }
    const start = chain[n - 1];
    if (!input.slots.includes(n - 1) || start === undefined || input.ts - start > this.span) return undefined;
    return start;
  }

  private closeWindow(key: string, g: GroupState): CorrelationHit | undefined {
    const end = (g.windowStart as number) + this.span;
    delete g.windowStart;
    const entries = g.entries;
    g.tally = new Map();
    for (const e of entries) this.tallyAdd(g, e, 1);
    const count = this.rule.type === 'event_count' ? entries.length : g.tally.size;
    let hit: CorrelationHit | undefined;
    if (entries.length > 0 && satisfies(this.rule.condition, count)) {
      g.episodes++;
      hit = this.hit(key, g, 0, Math.min(end, (entries.at(-1) as Entry).ts), count);
    }
    g.entries = [];
    g.head = 0;
    g.reported = 0;
    g.tally = new Map();
    return hit;
  }

  private hit(key: string, g: GroupState, from: number, ts: number, count: number): CorrelationHit {
    const eventIds: number[] = [];
    for (let i = Math.max(from, g.reported); i < g.entries.length; i++) {
      for (const id of (g.entries[i] as Entry).ids) eventIds.push(id);
    }
    g.reported = g.entries.length;
    const hit: CorrelationHit = { episode: `${key}#${g.episodes}`, group: g.group, ts, first: (g.entries[from] as Entry).ts, count, eventIds };
    if (this.rule.type === 'value_count') {
      const values: string[] = [];
      for (const v of g.tally.keys()) if (values.push(v) >= MAX_VALUES) break;
      hit.values = values;
    }
    return hit;
  }
}
