/**
 * Feeds the matches of detection rules, in time order, to every correlation over them, and the
 * hits of correlations to the correlations built on those. The same object serves a whole case
 * (the runner) and a few test lines (`matchLines`), and could serve a live feed.
 */
import type { CompiledDetection, MatchWhy } from './compile.ts';
import { Correlator, type CorrelationHit } from './correlate.ts';
import { fieldValue, valueTexts, type MatchEvent } from './event-fields.ts';
import type { FieldRef } from './fields.ts';
import type { CompiledCorrelation, RuleSet } from './ruleset.ts';

export interface BaseMatch {
  detection: CompiledDetection;
  event: MatchEvent;
  why: MatchWhy;
}

export interface CorrelationResult {
  correlation: CompiledCorrelation;
  hit: CorrelationHit;
}

interface Consumer {
  correlation: CompiledCorrelation;
  slots: number[];
}

/** A field value as a group key part; undefined when the event does not have it. */
export function groupText(e: MatchEvent, ref: FieldRef): string | undefined {
  const texts = valueTexts(fieldValue(e, ref));
  return texts.length === 0 ? undefined : texts.join(',');
}

export class CorrelationEngine {
  private readonly correlators = new Map<CompiledCorrelation, Correlator>();
  private readonly consumers = new Map<string, Consumer[]>();
  readonly results: CorrelationResult[] = [];

  constructor(set: RuleSet) {
    for (const c of set.correlations) {
      this.correlators.set(c, new Correlator(c.rule));
      c.slots.forEach((s, slot) => {
        const key = s.kind === 'detection' ? `d:${s.detection.rule.id}` : `c:${s.correlation.rule.id}`;
        const list = this.consumers.get(key) ?? [];
        const existing = list.find((x) => x.correlation === c);
        if (existing) existing.slots.push(slot);
        else list.push({ correlation: c, slots: [slot] });
        this.consumers.set(key, list);
      });
    }
  }

  /** True when some correlation uses this detection's matches. */
  wants(detection: CompiledDetection): boolean {
    return this.consumers.has(`d:${detection.rule.id}`);
  }

  /** One match of a detection rule; matches must come in (ts, id) order. Events without a time cannot be placed and are left out. */
  feed(m: BaseMatch): void {
    const ts = m.event.ts;
    if (ts === null) return;
    // One list for every correlation this match feeds: live feeds keep it in their windows.
    const eventIds = [m.event.id];
    for (const { correlation, slots } of this.consumers.get(`d:${m.detection.rule.id}`) ?? []) {
      const source = correlation.slots[slots[0] as number];
      if (source?.kind !== 'detection') continue;
      const group: string[] = [];
      for (const ref of source.group) {
        const v = groupText(m.event, ref);
        if (v === undefined) break;
        group.push(v);
      }
      if (group.length < source.group.length) continue;
      const value = source.value === undefined ? undefined : groupText(m.event, source.value);
      this.push(correlation, { slots, ts, eventIds, group, ...(value !== undefined ? { value } : {}) });
    }
  }

  /** Drops per-group state no match from `now` on can use (see Correlator.forget). */
  forget(now: number): void {
    for (const correlator of this.correlators.values()) correlator.forget(now);
  }

  /** Judges the windows still open at the end of the input; returns every hit so far. */
  finish(): CorrelationResult[] {
    for (const [c, correlator] of this.correlators) {
      for (const hit of correlator.flush()) this.record(c, hit);
    }
    return this.results;
  }

  private push(c: CompiledCorrelation, input: Parameters<Correlator['push']>[0]): void {
    const correlator = this.correlators.get(c) as Correlator;
    for (const hit of correlator.push(input)) this.record(c, hit);
  }

  private record(c: CompiledCorrelation, hit: CorrelationHit): void {
    this.results.push({ correlation: c, hit });
    for (const { correlation, slots } of this.consumers.get(`c:${c.rule.id}`) ?? []) {
      const source = correlation.slots[slots[0] as number];
      if (source?.kind !== 'correlation') continue;
      const group = source.group.map((i) => hit.group[i] as string);
      const value = source.value === undefined ? undefined : hit.group[source.value];
      this.push(correlation, { slots, ts: hit.ts, eventIds: hit.eventIds, group, ...(value !== undefined ? { value } : {}) });
    }
  }
}
