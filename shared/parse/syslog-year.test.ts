import { describe, expect, it } from 'vitest';
import { YearInference } from './syslog-year.ts';

describe('year inference', () => {
  const at = (month0: number, day: number, hour = 12) => ({ month0, day, hour, minute: 0, second: 0, ms: 0 });
  const iso = (ts: number) => new Date(ts).toISOString();

  it('uses the file year unless that puts the line after the file time', () => {
    const years = new YearInference(Date.parse('2026-06-30T00:00:00Z'), 'UTC');
    expect(iso(years.resolve(at(5, 30, 12)))).toBe('2026-06-30T12:00:00.000Z');
    expect(iso(years.resolve(at(6, 2)))).toBe('2025-07-02T12:00:00.000Z');
    expect(years.describe()).toEqual(['year inferred from file time 2026-06-30: lines dated 2025 and 2026']);
  });

  it('rolls over from December to January inside a file', () => {
    const years = new YearInference(Date.parse('2026-01-05T00:00:00Z'), 'UTC');
    expect([at(11, 31), at(0, 1), at(11, 31), at(0, 4)].map((h) => iso(years.resolve(h)).slice(0, 10)))
      .toEqual(['2025-12-31', '2026-01-01', '2025-12-31', '2026-01-04']);
  });

  it('reads New Year in the file zone, ahead of UTC', () => {
    // 05:00 on 1 January in Tokyo is still 31 December in UTC.
    const years = new YearInference(Date.parse('2025-12-31T20:00:00Z'), 'Asia/Tokyo');
    expect(iso(years.resolve(at(0, 1, 4)))).toBe('2025-12-31T19:00:00.000Z');
  });

  it('says nothing when no year was inferred', () => {
    expect(new YearInference(0, 'UTC').describe()).toEqual([]);
  });
});

describe('wall time in the file zone', () => {
  it('follows a daylight saving change between consecutive lines', () => {
    const years = new YearInference(Date.parse('2026-06-30T00:00:00Z'), 'Europe/Berlin');
    const at = (hour: number, minute: number) => new Date(years.resolve({ month0: 2, day: 29, hour, minute, second: 0, ms: 0 })).toISOString();
    // Berlin moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
    expect([at(1, 59), at(3, 0), at(3, 1)]).toEqual(['2026-03-29T00:59:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:01:00.000Z']);
  });
});
