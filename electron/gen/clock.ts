/** Timestamps as the log formats print them, and the daily rhythm of benign activity. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const SECOND = 1000;
export const DAY = 24 * HOUR;

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `20/Nov/2026:00:00:01 +0000`, the Apache `%t` form (without brackets), always UTC. */
export function apacheStamp(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** `Nov 20 00:00:01`, the RFC 3164 TIMESTAMP: day padded with a space, no year. */
export function syslogStamp(ms: number): string {
  const d = new Date(ms);
  const day = d.getUTCDate();
  return `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** ISO 8601 at second precision, which is all the logs carry. */
export function isoSecond(ms: number): string {
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().replace('.000Z', 'Z');
}

/** Formats at most once per second: lines arrive in time order, so the last result is reused. */
export class StampCache {
  private second = Number.NaN;
  private text = '';
  private readonly format: (ms: number) => string;

  constructor(format: (ms: number) => string) {
    this.format = format;
  }

  get(ms: number): string {
    const second = Math.floor(ms / SECOND);
    if (second !== this.second) {
      this.second = second;
      this.text = this.format(second * SECOND);
    }
    return this.text;
  }
}

/** Relative activity at an hour of the UTC day (0–23) on a weekday (0 = Sunday). */
export type HourWeight = (hour: number, weekday: number) => number;

/** Visitors: quiet before dawn, busy from late morning to late evening, a little lower at weekends. */
export const browsingHours: HourWeight = (hour, weekday) => {
  const day = 0.15 + 0.85 * Math.max(0, Math.sin(((hour - 5) / 20) * Math.PI)) ** 1.5;
  return day * (weekday === 0 || weekday === 6 ? 0.8 : 1);
};

/** People at work: office hours on weekdays, a trickle otherwise. */
export const officeHours: HourWeight = (hour, weekday) => {
  const weekend = weekday === 0 || weekday === 6;
  if (hour >= 8 && hour < 18) return weekend ? 0.15 : 1;
  if (hour >= 6 && hour < 22) return weekend ? 0.08 : 0.25;
  return 0.03;
};

export const flatHours: HourWeight = () => 1;

/**
 * Maps a fraction of a file's benign lines to the time by which that fraction has been written,
 * following an hourly rhythm: the inverse of the cumulative activity over [start, end].
 */
export class RateCurve {
  readonly start: number;
  readonly end: number;
  private readonly edges: number[] = [];
  private readonly cumulative: number[] = [];
  private cursor = 0;

  constructor(start: number, end: number, weight: HourWeight) {
    this.start = start;
    this.end = end;
    let total = 0;
    for (let t = start; t < end; t += HOUR) {
      const stop = Math.min(end, t + HOUR);
      const mid = new Date((t + stop) / 2);
      total += weight(mid.getUTCHours(), mid.getUTCDay()) * ((stop - t) / HOUR);
      this.edges.push(t);
      this.cumulative.push(total);
    }
    this.edges.push(end);
    for (let i = 0; i < this.cumulative.length; i++) {
      this.cumulative[i] = (this.cumulative[i] as number) / total;
    }
  }

  /** Time at which a fraction `u` of the activity is done. Expects `u` to rarely go backwards. */
  at(u: number): number {
    const x = Math.min(1, Math.max(0, u));
    const last = this.cumulative.length - 1;
    while (this.cursor > 0 && (this.cumulative[this.cursor - 1] as number) > x) this.cursor--;
    while (this.cursor < last && (this.cumulative[this.cursor] as number) < x) this.cursor++;
    const lo = this.cursor === 0 ? 0 : (this.cumulative[this.cursor - 1] as number);
    const hi = this.cumulative[this.cursor] as number;
    const from = this.edges[this.cursor] as number;
    const to = this.edges[this.cursor + 1] as number;
    const within = hi > lo ? (x - lo) / (hi - lo) : 0;
    return from + within * (to - from);
  }
}
