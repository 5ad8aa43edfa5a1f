import { describe, expect, it } from 'vitest';
import { apacheStamp, browsingHours, DAY, HOUR, isoSecond, RateCurve, syslogStamp } from './clock.ts';
import { splitLines, minimumLines } from './generate.ts';

describe('timestamps', () => {
  it('formats Apache, RFC 3164 (space-padded day) and ISO forms', () => {
    const t = Date.UTC(2026, 10, 5, 7, 8, 9, 654);
    expect(apacheStamp(t)).toBe('05/Nov/2026:07:08:09 +0000');
    expect(syslogStamp(t)).toBe('Nov  5 07:08:09');
    expect(syslogStamp(Date.UTC(2026, 10, 20))).toBe('Nov 20 00:00:00');
    expect(isoSecond(t)).toBe('2026-11-05T07:08:09Z');
  });
});

describe('RateCurve', () => {
  it('maps shares of activity to times inside the period, in order, busier by day', () => {
    const start = Date.UTC(2026, 10, 20);
    const curve = new RateCurve(start, start + 3 * DAY, browsingHours);
    let last = start;
    for (let u = 0; u <= 1; u += 0.001) {
      const t = curve.at(u);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(curve.at(0)).toBe(start);
    expect(curve.at(1)).toBe(start + 3 * DAY);
    // The first fifth of a day's traffic is over before mid-morning, not at 04:48 as it would be if flat.
    expect(curve.at(0.2 / 3) - start).toBeGreaterThan(8 * HOUR);
  });
});

describe('splitLines', () => {
  it('gives each file its share, at least its minimum, summing exactly', () => {
    for (const lines of [minimumLines('mixed'), 2000, 3001, 1_000_003]) {
      const sinks = splitLines('mixed', lines);
      expect(sinks.reduce((sum, s) => sum + s.target, 0)).toBe(lines);
      expect(sinks.find((s) => s.name === 'auth.log')?.target).toBeGreaterThanOrEqual(600);
    }
    expect(splitLines('web', 1234)).toEqual([{ name: 'access.log', style: 'apache', target: 1234 }]);
  });
});
