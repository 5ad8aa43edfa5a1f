import { zonedToUtc } from '../time.ts';
import type { BsdHeader } from './syslog-header.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** No zone is further than this from UTC (Pacific/Kiritimati is +14). */
const MAX_OFFSET = 14 * HOUR;

/** The wall-clock fields of a BSD timestamp. */
export type WallTime = Pick<BsdHeader, 'month0' | 'day' | 'hour' | 'minute' | 'second' | 'ms'>;

/**
 * Resolves the year of BSD timestamps: each line takes the latest year that does not put it more
 * than a day after `referenceTime` (the file's mtime, or the time a message was received). A file
 * that runs from December into January therefore rolls over, and a late-written December line
 * after January lines stays in December. Files spanning more than a year cannot be told apart.
 */
export class YearInference {
  readonly referenceTime: number;
  readonly zone: string;
  private readonly latestYear: number;
  private readonly used = new Set<number>();
  // Consecutive lines mostly share an hour: its start is converted once.
  private hourKey = -1;
  private hourStart = 0;

  constructor(referenceTime: number, zone: string) {
    this.referenceTime = referenceTime;
    this.zone = zone;
    const year = new Date(referenceTime).getUTCFullYear();
    // East of Greenwich, New Year comes before it does in UTC.
    this.latestYear = referenceTime + DAY + MAX_OFFSET >= Date.UTC(year + 1, 0, 1) ? year + 1 : year;
  }

  /** UTC ms of a BSD wall-clock time in this file's zone, its year inferred. */
  resolve(h: WallTime): number {
    const limit = this.referenceTime + DAY;
    let year = this.latestYear;
    for (;;) {
      // Compare as wall time first; convert only when the zone offset could change the answer.
      const wall = Date.UTC(year, h.month0, h.day, h.hour, h.minute, h.second, h.ms);
      if (wall - MAX_OFFSET <= limit && (wall + MAX_OFFSET <= limit || this.at(year, h) <= limit)) break;
      year--;
    }
    this.used.add(year);
    return this.at(year, h);
  }

  /** UTC ms of a wall-clock time in this file's zone in a known year. */
  at(year: number, h: WallTime): number {
    const key = ((year * 12 + h.month0) * 32 + h.day) * 24 + h.hour;
    if (key !== this.hourKey) {
      this.hourKey = key;
      this.hourStart = zonedToUtc(this.zone, year, h.month0, h.day, h.hour, 0, 0, 0);
    }
    return this.hourStart + h.minute * 60_000 + h.second * 1000 + h.ms;
  }

  /** In words, for the source record; empty when no year had to be inferred. */
  describe(): string[] {
    if (this.used.size === 0) return [];
    const years = [...this.used].sort((a, b) => a - b).map(String);
    const list = years.length === 1 ? years[0] : `${years.slice(0, -1).join(', ')} and ${years.at(-1)}`;
    const fileDate = new Date(this.referenceTime).toISOString().slice(0, 10);
    return [`year inferred from file time ${fileDate}: lines dated ${list}`];
  }
}
