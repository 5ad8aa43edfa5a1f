import { describe, expect, it } from 'vitest';
import { isValidTimeZone, monthIndex, parseIsoTimestamp, parseOffset, zonedToUtc } from './time.ts';

describe('time helpers', () => {
  it('reads month names in any case', () => {
    expect(monthIndex('Jan')).toBe(0);
    expect(monthIndex('DEC')).toBe(11);
    expect(monthIndex('Foo')).toBe(-1);
  });

  it('converts wall time in a zone to UTC across daylight saving', () => {
    // New York is UTC-5 in January and UTC-4 in July.
    expect(new Date(zonedToUtc('America/New_York', 2026, 0, 15, 12, 0, 0)).toISOString()).toBe('2026-01-15T17:00:00.000Z');
    expect(new Date(zonedToUtc('America/New_York', 2026, 6, 15, 12, 0, 0)).toISOString()).toBe('2026-07-15T16:00:00.000Z');
    expect(new Date(zonedToUtc('Asia/Kolkata', 2026, 6, 15, 12, 0, 0)).toISOString()).toBe('2026-07-15T06:30:00.000Z');
    expect(zonedToUtc('UTC', 2026, 6, 15, 12, 0, 0)).toBe(Date.UTC(2026, 6, 15, 12));
    // Around the changes in a zone east of UTC: Berlin moves to UTC+2 at 02:00 on 29 March 2026
    // and back to UTC+1 at 03:00 on 25 October 2026.
    const berlin = (d: number, mo: number, h: number, mi: number): string => new Date(zonedToUtc('Europe/Berlin', 2026, mo, d, h, mi, 0)).toISOString();
    expect(berlin(29, 2, 1, 59)).toBe('2026-03-29T00:59:00.000Z');
    expect(berlin(29, 2, 3, 0)).toBe('2026-03-29T01:00:00.000Z');
    expect(berlin(29, 2, 2, 30)).toBe('2026-03-29T01:30:00.000Z'); // does not exist: read with the winter offset
    expect(berlin(25, 9, 2, 30)).toBe('2026-10-25T00:30:00.000Z'); // exists twice: the first (summer) one
    expect(berlin(25, 9, 3, 30)).toBe('2026-10-25T02:30:00.000Z');
  });

  it('parses RFC 3339 timestamps with and without offsets', () => {
    expect(parseIsoTimestamp('2026-11-28T08:22:48.123456+01:00')).toEqual({ ts: Date.UTC(2026, 10, 28, 7, 22, 48, 123), zoneAssumed: false });
    expect(parseIsoTimestamp('2026-11-28 08:22:48', 'Europe/Berlin')).toEqual({ ts: Date.UTC(2026, 10, 28, 7, 22, 48), zoneAssumed: true });
    expect(parseIsoTimestamp('2026-13-28T08:22:48Z')).toBeNull();
    expect(parseIsoTimestamp('yesterday')).toBeNull();
  });

  it('reads the common RFC 3339 shape by its characters exactly as the general path reads it', () => {
    const cases: [string, number | null][] = [
      ['2026-11-28T08:22:48Z', Date.UTC(2026, 10, 28, 8, 22, 48)],
      ['2026-11-28T08:22:48.1z', Date.UTC(2026, 10, 28, 8, 22, 48, 100)],
      ['2026-11-28 08:22:48,12+05:30', Date.UTC(2026, 10, 28, 2, 52, 48, 120)],
      ['2026-11-28T08:22:48.123456789-07:00', Date.UTC(2026, 10, 28, 15, 22, 48, 123)],
      ['2016-12-31T23:59:60Z', Date.UTC(2016, 11, 31, 23, 59, 60)],
      ['2026-00-10T00:00:00Z', Date.UTC(2026, -1, 10)],
      ['2026-11-28T24:00:00Z', null],
      ['2026-11-32T08:00:00+01:00', null],
      ['2026-11-28T08:22:48.Z', null],
      ['2026-11-28T08:22:48+1:00', null],
      ['2026-11-28T08:22:48Zx', null],
    ];
    for (const [text, ts] of cases) expect([text, parseIsoTimestamp(text)]).toEqual([text, ts === null ? null : { ts, zoneAssumed: false }]);
    // Shapes it leaves to the general path: an offset without a colon or minutes, a space before it.
    expect(parseIsoTimestamp('2026-11-28T08:22:48+0100')).toEqual({ ts: Date.UTC(2026, 10, 28, 7, 22, 48), zoneAssumed: false });
    expect(parseIsoTimestamp('2026-11-28T08:22:48.5 +02')).toEqual({ ts: Date.UTC(2026, 10, 28, 6, 22, 48, 500), zoneAssumed: false });
    for (let k = 0; k < 2000; k++) {
      const t = Date.UTC(1990, 0, 1) + Math.floor(k * 1_234_567_891.7) % (40 * 365 * 86_400_000);
      const off = ((k * 37) % 1680) - 840;
      const local = new Date(t + off * 60_000).toISOString().slice(0, 23);
      const sign = off < 0 ? '-' : '+';
      const text = `${local}${sign}${String(Math.trunc(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
      expect(parseIsoTimestamp(text)?.ts).toBe(new Date(text).getTime());
    }
  });

  it('parses offsets and validates zone names', () => {
    expect(parseOffset('-0700')).toBe(-7 * 3_600_000);
    expect(parseOffset('+05:30')).toBe(5.5 * 3_600_000);
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
