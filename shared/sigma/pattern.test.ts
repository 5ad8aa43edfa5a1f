import { describe, expect, it } from 'vitest';
import { base64Offsets, utf8 } from './encode.ts';
import { likePattern, parsePattern, patternText, windash, wrap } from './pattern.ts';
import { inCidr, ipv4TextPrefix, parseCidr, parseIp } from './ip.ts';

describe('patterns', () => {
  it('parses wildcards and escapes', () => {
    expect(parsePattern('a*b?c')).toEqual([{ t: 'lit', s: 'a' }, { t: 'any' }, { t: 'lit', s: 'b' }, { t: 'one' }, { t: 'lit', s: 'c' }]);
    expect(parsePattern('a\\*b\\?\\\\c\\d')).toEqual([{ t: 'lit', s: 'a*b?\\c\\d' }]);
    expect(patternText(parsePattern('a\\*b*'))).toBe('a\\*b*');
  });

  it('turns into LIKE patterns that match at least as much', () => {
    expect(likePattern(wrap(parsePattern('50%_off'), 'contains'), false)).toBe('%50\\%\\_off%');
    expect(likePattern(parsePattern('a**b?'), false)).toBe('a%b_');
    expect(likePattern(parsePattern('Ünïcode'), false)).toBe('%n%code');
    expect(likePattern(parsePattern('Ünïcode'), true)).toBe('Ünïcode');
    expect(likePattern(parsePattern('C:\\Windows'), false)).toBe('C:\\\\Windows');
    expect(likePattern(parsePattern('x'), false, true)).toBe('%x%');
    expect(likePattern(windash(parsePattern(' -enc')), false)).toBe(' _enc');
  });
});

describe('base64offset', () => {
  it('gives the three shifted forms, free of the unknown neighbouring bytes', () => {
    const value = '/bin/bash -i';
    const variants = base64Offsets(utf8(value));
    for (let shift = 0; shift < 3; shift++) {
      for (const tail of ['', 'x', 'xy', 'xyz']) {
        const encoded = Buffer.from(`${'ab'.slice(0, shift)}${value}${tail}`).toString('base64');
        expect(encoded.includes(variants[shift] as string), `${shift} ${tail}`).toBe(true);
      }
    }
    expect(variants).toEqual(['L2Jpbi9iYXNoIC1p', '9iaW4vYmFzaCAta', 'vYmluL2Jhc2ggLW']);
    // The forms SigmaHQ's rules list for `#!/bin/bash`.
    expect(base64Offsets(utf8('#!/bin/bash'))).toEqual(['IyEvYmluL2Jhc2', 'MhL2Jpbi9iYXNo', 'jIS9iaW4vYmFza']);
  });
});

describe('addresses', () => {
  it('parses IPv4 and IPv6 and tests networks', () => {
    expect(parseIp('2001:db8::1')?.groups).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIp('::ffff:192.0.2.1')?.groups).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIp('256.1.1.1')).toBeUndefined();
    expect(inCidr('192.0.2.200', parseCidr('192.0.2.128/25')!)).toBe(true);
    expect(inCidr('192.0.2.100', parseCidr('192.0.2.128/25')!)).toBe(false);
    expect(inCidr('fe80::1%eth0', parseCidr('fe80::/10')!)).toBe(true);
    expect(inCidr('1.2.3.4', parseCidr('0.0.0.0/0')!)).toBe(true);
  });

  it('gives the text prefix of an IPv4 network for SQL', () => {
    expect(ipv4TextPrefix(parseCidr('10.0.0.0/8')!)).toBe('10.');
    expect(ipv4TextPrefix(parseCidr('172.16.0.0/12')!)).toBe('172.');
    expect(ipv4TextPrefix(parseCidr('192.168.1.0/24')!)).toBe('192.168.1.');
    expect(ipv4TextPrefix(parseCidr('192.168.1.7')!)).toBe('192.168.1.7');
    expect(ipv4TextPrefix(parseCidr('0.0.0.0/4')!)).toBeUndefined();
    expect(ipv4TextPrefix(parseCidr('2001:db8::/32')!)).toBeUndefined();
  });
});
