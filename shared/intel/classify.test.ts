import { describe, expect, it } from 'vitest';
import { classifyIp, isLookupWorthy } from './classify.ts';

describe('classifyIp', () => {
  it.each([
    ['8.8.8.8', 'public', 'Global unicast'],
    ['10.20.30.40', 'private', 'Private-Use'],
    ['172.16.0.1', 'private', 'Private-Use'],
    ['172.31.255.255', 'private', 'Private-Use'],
    ['172.32.0.1', 'public', 'Global unicast'],
    ['192.168.1.1', 'private', 'Private-Use'],
    ['100.64.0.1', 'cgnat', 'Shared Address Space'],
    ['100.127.255.255', 'cgnat', 'Shared Address Space'],
    ['100.128.0.0', 'public', 'Global unicast'],
    ['127.0.0.1', 'loopback', 'Loopback'],
    ['169.254.169.254', 'link-local', 'Link Local'],
    ['224.0.0.251', 'multicast', 'Multicast'],
    ['239.255.255.250', 'multicast', 'Multicast'],
    ['192.0.2.10', 'documentation', 'Documentation (TEST-NET-1)'],
    ['198.51.100.7', 'documentation', 'Documentation (TEST-NET-2)'],
    ['203.0.113.9', 'documentation', 'Documentation (TEST-NET-3)'],
    ['198.19.0.1', 'benchmarking', 'Benchmarking'],
    ['0.0.0.0', 'unspecified', '"This host on this network"'],
    ['0.1.2.3', 'reserved', '"This network"'],
    ['240.0.0.1', 'reserved', 'Reserved'],
    ['255.255.255.255', 'broadcast', 'Limited Broadcast'],
    ['192.0.0.9', 'special', 'Port Control Protocol Anycast'],
    ['192.0.0.100', 'special', 'IETF Protocol Assignments'],
    ['192.88.99.1', 'reserved', 'Deprecated (6to4 Relay Anycast)'],
    ['2606:4700:4700::1111', 'public', 'Global unicast'],
    ['::1', 'loopback', 'Loopback Address'],
    ['::', 'unspecified', 'Unspecified Address'],
    ['fe80::1', 'link-local', 'Link-Local Unicast'],
    ['fd12:3456::1', 'private', 'Unique-Local'],
    ['ff02::1', 'multicast', 'Multicast'],
    ['2001:db8::1', 'documentation', 'Documentation'],
    ['3fff:1::1', 'documentation', 'Documentation'],
    ['2001:2::5', 'benchmarking', 'Benchmarking'],
    ['2001:0:4136:e378::1', 'special', 'TEREDO'],
    ['2002:c000:201::1', 'special', '6to4'],
    ['64:ff9b::808:808', 'special', 'IPv4-IPv6 Translation'],
    ['100::1', 'special', 'Discard-Only Address Block'],
    ['4000::1', 'reserved', 'Reserved by IETF (not allocated for global unicast)'],
  ])('%s is %s (%s)', (ip, category, name) => {
    expect(classifyIp(ip)).toMatchObject({ category, name });
  });

  it('classifies an IPv4-mapped address as the IPv4 address it carries', () => {
    expect(classifyIp('::ffff:10.0.0.5')).toEqual({
      ip: '10.0.0.5', family: 4, category: 'private', name: 'Private-Use', network: '10.0.0.0/8', rfc: 'RFC 1918',
      globallyReachable: false, mapped: true,
    });
  });

  it('names the block and the RFC, and whether it is globally reachable', () => {
    expect(classifyIp('192.31.196.1')).toMatchObject({ network: '192.31.196.0/24', rfc: 'RFC 7535', globallyReachable: true });
    expect(classifyIp('8.8.4.4')).toMatchObject({ network: null, rfc: null, globallyReachable: true });
  });

  it('is undefined for text that is not an address', () => {
    expect(classifyIp('example.com')).toBeUndefined();
    expect(classifyIp('-')).toBeUndefined();
  });

  it('only public addresses are worth an online lookup', () => {
    expect(isLookupWorthy(classifyIp('8.8.8.8')!)).toBe(true);
    for (const ip of ['10.0.0.1', '192.0.2.1', '::1', 'fe80::1', '100.64.1.1', '2001:db8::5']) {
      expect(isLookupWorthy(classifyIp(ip)!), ip).toBe(false);
    }
  });
});
