import type { AlertDto, HistogramDto } from '../../shared/ipc/contract.ts';
import { LEVELS } from './levels.ts';

/** One bar: its start and the count of each stack under `s0`, `s1`… (series names are log text, not keys). */
export type Bar = { start: number } & Record<`s${number}`, number>;

/** Bars from the engine's buckets, with empty buckets filled in so time runs evenly along the axis. */
export function toBars(h: HistogramDto): Bar[] {
  const bar = (start: number, counts: readonly number[]): Bar => {
    const b: Bar = { start };
    counts.forEach((c, i) => { b[`s${i}`] = c; });
    return b;
  };
  const byStart = new Map(h.buckets.map((b) => [b.start, b.counts]));
  const first = h.buckets[0]?.start;
  const last = h.buckets.at(-1)?.start;
  if (first === undefined || last === undefined || (last - first) / h.bucketMs > 5000) {
    return h.buckets.map((b) => bar(b.start, b.counts));
  }
  const zeros = h.series.map(() => 0);
  const bars: Bar[] = [];
  for (let t = first; t <= last; t += h.bucketMs) bars.push(bar(t, byStart.get(t) ?? zeros));
  return bars;
}

export interface AlertMark {
  /** The start of the bar the alert's first event falls in. */
  at: number;
  level: AlertDto['rule']['level'];
  count: number;
}

/** One mark per bar and level, most severe drawn last (on top). */
export function alertMarks(alerts: readonly AlertDto[], bars: readonly Bar[], bucketMs: number): AlertMark[] {
  const first = bars[0]?.start;
  const last = bars.at(-1)?.start;
  if (first === undefined || last === undefined) return [];
  const marks = new Map<string, AlertMark>();
  for (const a of alerts) {
    if (a.first === null) continue;
    const at = first + Math.floor((a.first - first) / bucketMs) * bucketMs;
    if (at < first || at > last) continue;
    const key = `${at}|${a.rule.level}`;
    const mark = marks.get(key) ?? { at, level: a.rule.level, count: 0 };
    mark.count += 1;
    marks.set(key, mark);
  }
  return [...marks.values()].sort((x, y) => LEVELS.indexOf(x.level) - LEVELS.indexOf(y.level));
}
