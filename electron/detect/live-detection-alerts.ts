/**
 * The alerts of detection rules on a live feed: one per rule and entity, as a run builds them,
 * updated in place as matches come (count, first and last time, why, new events linked).
 */
import type { CompiledDetection } from '../../shared/sigma/compile.ts';
import type { BaseMatch } from '../../shared/sigma/engine.ts';
import type { EntityType } from '../engine/alerts.ts';
import type { AlertStore } from '../engine/live-alerts.ts';
import { alertRule, entityOf, WhyMerger, type DetectionWhy } from './alert-build.ts';

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

export class LiveDetectionAlerts {
  private readonly states = new Map<string, DetectionState>();
  private readonly changed = new Set<DetectionState>();

  /** One match of an alerting detection rule. */
  add(m: BaseMatch): void {
    const entity = entityOf(m.event);
    const key = alertKey(m.detection.rule.id, entity);
    let s = this.states.get(key);
    if (!s) {
      s = {
        detection: m.detection, entity, alertId: null, firstTs: null, lastTs: null, firstEvent: { ts: m.event.ts, id: m.event.id },
        count: 0, why: new WhyMerger(), unlinked: [],
      };
      this.states.set(key, s);
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
    this.changed.add(s);
  }

  /** After the first run stored every alert (a run's `replaceAlerts`): the row of each rule and entity, its events all linked. */
  seeded(ids: ReadonlyMap<string, number>): void {
    for (const [key, id] of ids) {
      const s = this.states.get(key);
      if (!s) continue;
      s.alertId = id;
      s.unlinked = [];
    }
    this.changed.clear();
  }

  get dirty(): boolean {
    return this.changed.size > 0;
  }

  /** Writes the alerts that changed (inside the caller's transaction); returns how many. */
  store(store: AlertStore): number {
    let writes = 0;
    for (const s of this.changed) {
      const why: DetectionWhy = { kind: 'detection', condition: s.detection.rule.conditionText, ...s.why.result() };
      s.alertId = store.put({
        rule: alertRule(s.detection.rule), entity: s.entity, first: s.firstTs, last: s.lastTs, firstEventId: s.firstEvent.id,
        count: s.count, why,
      }, s.alertId, s.unlinked, s.alertId === null);
      s.unlinked = [];
      writes++;
    }
    this.changed.clear();
    return writes;
  }
}

/** What tells one detection alert from another: the rule and the entity. */
export function alertKey(ruleId: string, entity: { type: string; value: string }): string {
  return `${ruleId}\u0000${entity.type}\u0000${entity.value}`;
}
