import { describe, expect, it } from 'vitest';
import { canonicalIp, networkText, parseIp, parseNetwork, v4RangeNetworks } from './ip.ts';

describe('parseIp / canonicalIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });

  it.each([
    '', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-1', '1.2.3.4 ', 'a.b.c.d', '1234.1.1.1', '1:2:3:4:5:6:7:8:9', '1::2::3',
    ':1', '1:', '12345::', 'g::1', '::ffff:1.2.3', 'localhost', '1.2.3.4/24',
  ])('rejects %j', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('marks IPv4-mapped addresses', () => {
    expect(parseIp('::ffff:10.0.0.1')).toEqual({ family: 4, n: 0x0a000001, mapped: true });
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, n: 0x0a000001, mapped: false });
  });
});

describe('parseNetwork', () => {
  it('gives the first and last address, ignoring host bits', () => {
    expect(parseNetwork('10.1.2.3/8')).toEqual({ family: 4, first: 0x0a000000, last: 0x0affffff, prefix: 8 });
    expect(parseNetwork('192.0.2.7')).toEqual({ family: 4, first: 0xc0000207, last: 0xc0000207, prefix: 32 });
    expect(parseNetwork('0.0.0.0/0')).toEqual({ family: 4, first: 0, last: 0xffffffff, prefix: 0 });
    expect(parseNetwork('2001:db8::/33')).toEqual({
      family: 6, first: '20010db8000000000000000000000000', last: '20010db87fffffffffffffffffffffff', prefix: 33,
    });
    expect(parseNetwork('::ffff:192.0.2.0/120')).toEqual({ family: 4, first: 0xc0000200, last: 0xc00002ff, prefix: 24 });
    expect(networkText(parseNetwork('2001:db8:1:2::/31')!)).toBe('2001:db8::/31');
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/x', '::ffff:1.2.3.4/95'])('rejects %s', (text) => {
    expect(parseNetwork(text)).toBeUndefined();
  });
});

describe('v4RangeNetworks', () => {
  it('covers a range exactly with the fewest networks', () => {
    const a = parseIp('192.0.2.10')!;
    const b = parseIp('192.0.2.20')!;
    const nets = v4RangeNetworks((a as { n: number }).n, (b as { n: number }).n).map(networkText);
    expect(nets).toEqual(['192.0.2.10/31', '192.0.2.12/30', '192.0.2.16/30', '192.0.2.20/32']);
    expect(v4RangeNetworks(0, 0xffffffff).map(networkText)).toEqual(['0.0.0.0/0']);
  });
});
