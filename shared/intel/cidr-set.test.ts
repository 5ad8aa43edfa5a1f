import { describe, expect, it } from 'vitest';
import { CidrSet } from './cidr-set.ts';
import { parseNetwork, type Network } from './ip.ts';

const nets = (...texts: string[]): Network[] => texts.map((t) => parseNetwork(t) as Network);

describe('CidrSet', () => {
  const set = new CidrSet(nets('10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.200.0.0/16', '192.0.2.7', '2001:db8::/32', '2001:db8:5::/48'));

  it.each([
    ['10.0.0.1', 0], ['10.1.9.9', 1], ['10.1.2.3', 2], ['10.1.3.0', 1], ['10.2.0.0', 0], ['10.200.5.5', 3], ['10.255.255.255', 0],
    ['11.0.0.0', -1], ['9.255.255.255', -1], ['192.0.2.7', 4], ['192.0.2.8', -1],
    ['2001:db8::1', 5], ['2001:db8:5::9', 6], ['2001:db8:6::', 5], ['2001:db9::', -1], ['::ffff:10.1.2.9', 2], ['not an ip', -1],
  ])('%s → entry %i (the most specific that contains it)', (ip, ref) => {
    expect(set.lookupText(ip)).toBe(ref);
  });

  it('returns the caller\'s refs and keeps one entry per network', () => {
    const s = new CidrSet(nets('192.0.2.0/24', '192.0.2.0/24', '198.51.100.0/24'), [7, 8, 9]);
    expect(s.size).toBe(2);
    expect(s.lookupText('192.0.2.1')).toBe(7);
    expect(s.lookupText('198.51.100.255')).toBe(9);
  });

  it('agrees with a linear scan on random networks and addresses', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const list = Array.from({ length: 2000 }, () => {
      const prefix = 8 + Math.floor(rand() * 25);
      const n = Math.floor(rand() * 2 ** 32);
      return parseNetwork(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${prefix}`) as Network;
    });
    const s = new CidrSet(list);
    for (let i = 0; i < 1000; i++) {
      const n = Math.floor(rand() * 2 ** 32);
      const got = s.lookup({ family: 4, n, mapped: false });
      const containing = list.map((net, k) => ({ net, k })).filter(({ net }) => n >= (net.first as number) && n <= (net.last as number));
      if (containing.length === 0) expect(got).toBe(-1);
      else {
        const best = Math.max(...containing.map(({ net }) => net.prefix));
        expect(list[got]?.prefix).toBe(best);
      }
    }
  });
});
