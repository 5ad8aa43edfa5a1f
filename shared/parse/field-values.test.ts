import { describe, expect, it } from 'vitest';
import { epochToMs, isIp, toOutcome, toTimestamp } from './field-values.ts';
import { hexText, unescapeBackslashHex, utf8Text } from './text-decode.ts';

describe('field values', () => {
  it('recognises IPv4 and IPv6 addresses and nothing else', () => {
    for (const ip of ['1.2.3.4', '255.255.255.255', '::', '::1', 'fe80::1%eth0', '2001:db8::7', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8']) {
      expect(isIp(ip), ip).toBe(true);
    }
    for (const text of ['256.1.1.1', '1.2.3', '01.2.3.4', 'abc', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', 'example.com', '']) {
      expect(isIp(text), text).toBe(false);
    }
  });

  it('tells epoch seconds, ms, µs and ns apart', () => {
    expect(epochToMs(1781600000)).toBe(1781600000000);
    expect(epochToMs(1781600000123)).toBe(1781600000123);
    expect(epochToMs(1781600000123456)).toBe(1781600000123);
    expect(epochToMs(1781600000123456789)).toBe(1781600000123);
    expect(epochToMs(12)).toBeUndefined();
  });

  it('reads Common Log Format times with their offset', () => {
    expect(toTimestamp('16/Jun/2026:10:06:00 +0200', 'UTC')).toEqual({ ts: Date.UTC(2026, 5, 16, 8, 6), zoneAssumed: false });
  });

  it('maps outcome words', () => {
    expect(toOutcome('Succeeded')).toBe('success');
    expect(toOutcome('DENIED')).toBe('failure');
    expect(toOutcome(false)).toBe('failure');
    expect(toOutcome('maybe')).toBeUndefined();
  });
});

describe('text decoding', () => {
  it('decodes UTF-8 and replaces invalid bytes', () => {
    expect(utf8Text([0x68, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80])).toBe('hé😀');
    expect(utf8Text([0xff, 0x41, 0xc3])).toBe('\uFFFDA\uFFFD');
    expect(utf8Text([0xc0, 0x80])).toBe('\uFFFD\uFFFD');
    expect(hexText('2F746D70')).toBe('/tmp');
  });

  it('undoes Zeek escapes, multi-byte ones included', () => {
    expect(unescapeBackslashHex('a\\x09b\\xe2\\x9c\\x93c\\\\x07\\d')).toBe('a\tb✓c\\x07\\d');
  });
});
