/**
 * Turns matches into alerts. A detection rule raises one alert per entity (its events' source IP,
 * else user, else host); a correlation one alert per episode (overlapping windows of a group),
 * whose entity is its group-by field when that names an IP, user or host. Each alert says why.
 */
import type { CompiledDetection, MatchWhy } from '../../shared/sigma/compile.ts';
import type { BaseMatch, CorrelationResult } from '../../shared/sigma/engine.ts';
import type { MatchEvent } from '../../shared/sigma/event-fields.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import type { Rule } from '../../shared/sigma/types.ts';
import type { AlertRule, EntityType, NewAlert } from '../engine/alerts.ts';

/** Distinct values shown per field in an alert's explanation. */
const MAX_VALUES = 10;

export interface SelectionWhy {
  /** The search identifiers that held, over all the alert's events. */
  selections: string[];
  /** Per field (null: keywords), the distinct values that matched (the first few). */
  matches: { field: string | null; values: string[] }[];
}

export interface DetectionWhy extends SelectionWhy {
  kind: 'detection';
  condition: string;
}

export interface CorrelationWhy {
  kind: 'correlation';
  type: string;
  timespan: string;
  condition: Record<string, unknown>;
  groupBy: Record<string, string>;
  /** The largest count a window reached (events, distinct values or rules). */
  count: number;
  values?: string[];
  /** Per correlated detection rule: why its events matched. */
  rules: ({ id: string; title: string } & SelectionWhy)[];
}

export function entityOf(e: MatchEvent): { type: EntityType; value: string } {
  if (e.srcIp !== undefined) return { type: 'ip', value: e.srcIp };
  if (e.user !== undefined) return { type: 'user', value: e.user };
  if (e.host !== undefined) return { type: 'host', value: e.host };
  return { type: 'none', value: '' };
}

export function alertRule(rule: Rule): AlertRule {
  return {
    id: rule.id, version: rule.modified ?? rule.date ?? null, kind: rule.kind === 'detection' && !rule.aggregation ? 'detection' : 'correlation',
    title: rule.title, level: rule.level, author: rule.author ?? null, tags: rule.tags,
  };
}

const byTime = (a: MatchEvent, b: MatchEvent): number =>
  (a.ts ?? Number.NEGATIVE_INFINITY) - (b.ts ?? Number.NEGATIVE_INFINITY) || a.id - b.id;

/** First and last time of events sorted by time (events without one sort first). */
function span(sorted: readonly MatchEvent[]): { first: number | null; last: number | null } {
  return { first: sorted.find((e) => e.ts !== null)?.ts ?? null, last: sorted.at(-1)?.ts ?? null };
}

/**
 * Merges the whys of an alert's matches, in match order: the selections that held, and per field
 * the first few distinct values. Incremental, so that live detections build the same why as a run.
 */
export class WhyMerger {
  private readonly selections: string[] = [];
  private readonly fields = new Map<string | null, string[]>();

  add(why: MatchWhy): void {
    for (const s of why.selections) if (!this.selections.includes(s)) this.selections.push(s);
    for (const v of why.values) {
      const list = this.fields.get(v.field) ?? [];
      if (list.length < MAX_VALUES && !list.includes(v.value)) list.push(v.value);
      this.fields.set(v.field, list);
    }
  }

  result(): SelectionWhy {
    return { selections: [...this.selections], matches: [...this.fields].map(([field, values]) => ({ field, values: [...values] })) };
  }
}

function mergeWhys(whys: readonly MatchWhy[]): SelectionWhy {
  const merger = new WhyMerger();
  for (const why of whys) merger.add(why);
  return merger.result();
}

export function detectionAlerts(set: RuleSet, matches: Map<CompiledDetection, BaseMatch[]>): NewAlert[] {
  const alerts: NewAlert[] = [];
  for (const [d, list] of matches) {
    if (!set.alerting.has(d.rule.id) || list.length === 0) continue;
    const groups = new Map<string, BaseMatch[]>();
    for (const m of list) {
      const key = JSON.stringify(entityOf(m.event));
      const g = groups.get(key) ?? [];
      g.push(m);
      groups.set(key, g);
    }
    for (const group of groups.values()) {
      const events = group.map((m) => m.event).sort(byTime);
      const why: DetectionWhy = { kind: 'detection', condition: d.rule.conditionText, ...mergeWhys(group.map((m) => m.why)) };
      alerts.push({
        rule: alertRule(d.rule), entity: entityOf(events[0] as MatchEvent), ...span(events),
        eventIds: events.map((e) => e.id).sort((a, b) => a - b), firstEventId: (events[0] as MatchEvent).id, why,
      });
    }
  }
  return alerts;
}

export function correlationAlerts(set: RuleSet, results: readonly CorrelationResult[], base: readonly BaseMatch[]): NewAlert[] {
  const byEvent = new Map<number, BaseMatch[]>();
  for (const m of base) {
    const list = byEvent.get(m.event.id) ?? [];
    list.push(m);
    byEvent.set(m.event.id, list);
  }
  const episodes = new Map<string, CorrelationResult[]>();
  for (const r of results) {
    if (!set.alerting.has(r.correlation.rule.id)) continue;
    const key = `${r.correlation.rule.id}\u0000${r.hit.episode}`;
    const list = episodes.get(key) ?? [];
    list.push(r);
    episodes.set(key, list);
  }
  const alerts: NewAlert[] = [];
  for (const hits of episodes.values()) {
    const { correlation } = hits[0] as CorrelationResult;
    const rule = correlation.rule;
    const ids = [...new Set(hits.flatMap((h) => h.hit.eventIds))];
    const matched = ids.flatMap((id) => byEvent.get(id) ?? []);
    const events = [...new Map(matched.map((m) => [m.event.id, m.event])).values()].sort(byTime);
    if (events.length === 0) continue;
    const group = (hits[0] as CorrelationResult).hit.group;
    const perRule = new Map<CompiledDetection, MatchWhy[]>();
    for (const m of matched) {
      const list = perRule.get(m.detection) ?? [];
      list.push(m.why);
      perRule.set(m.detection, list);
    }
    const values = [...new Set(hits.flatMap((h) => h.hit.values ?? []))].slice(0, 50);
    const why: CorrelationWhy = {
      kind: 'correlation', type: rule.type, timespan: formatSpan(rule.timespanMs),
      condition: { ...rule.condition, ...(rule.field !== undefined ? { field: rule.field } : {}) },
      groupBy: Object.fromEntries(rule.groupBy.map((name, i) => [name, group[i] ?? ''])),
      count: hits.reduce((n, h) => Math.max(n, h.hit.count), 0),
      ...(rule.type === 'value_count' ? { values } : {}),
      rules: [...perRule].map(([d, whys]) => ({ id: d.rule.id, title: d.rule.title, ...mergeWhys(whys) })),
    };
    const entity = correlation.entity
      ? { type: correlation.entity.type, value: group[correlation.entity.index] ?? '' }
      : entityOf(events[0] as MatchEvent);
    alerts.push({
      rule: alertRule(rule), entity, ...span(events), eventIds: events.map((e) => e.id).sort((a, b) => a - b),
      firstEventId: (events[0] as MatchEvent).id, why,
    });
  }
  return alerts;
}

function formatSpan(ms: number): string {
  if (!Number.isFinite(ms)) return 'whole case';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms / 1000}s`;
}
