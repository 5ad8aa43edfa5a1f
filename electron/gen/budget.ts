import type { Rng } from './prng.ts';
import type { Timeline } from './timeline.ts';

/**
 * How much of a file an activity takes: a share of the file, but never below what makes it
 * recognisable (hundreds of 404s for a brute-forcer) nor above what one actor plausibly does.
 */
export function scaled(fileLines: number, share: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(fileLines * share)));
}

/**
 * A start time for an activity lasting `duration`, away from the edges of the period so that an
 * attack is never cut by the start or the end of the logs.
 */
export function windowStart(timeline: Timeline, rng: Rng, duration: number, from = 0.03, to = 0.97): number {
  const span = timeline.end - timeline.start;
  const lo = timeline.start + from * span;
  const hi = timeline.start + to * span - duration;
  return hi > lo ? lo + rng.next() * (hi - lo) : timeline.start + Math.max(0, (span - duration) / 2);
}

/** Times of `count` events separated by gaps drawn from `gap`, starting at 0. */
export function offsets(count: number, gap: () => number): number[] {
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0) t += gap();
    out.push(t);
  }
  return out;
}
