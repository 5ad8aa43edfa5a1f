/**
 * The special-purpose address blocks, as IANA lists them (RFC 6890 defines the registries):
 *  - IPv4: https://www.iana.org/assignments/iana-ipv4-special-registry/
 *  - IPv6: https://www.iana.org/assignments/iana-ipv6-special-registry/
 * plus the multicast blocks (RFC 5771 for IPv4, RFC 4291 §2.7 for IPv6), which have registries of
 * their own, and the IPv6 space IANA has not allocated for global unicast (everything outside
 * 2000::/3, https://www.iana.org/assignments/ipv6-address-space/). Names are IANA's.
 */

export const IP_CATEGORIES = [
  'public', 'private', 'cgnat', 'loopback', 'link-local', 'multicast', 'documentation', 'benchmarking',
  'unspecified', 'broadcast', 'reserved', 'special',
] as const;

/**
 * What an address is, in one word a filter can use:
 * - `public`: global unicast with no special purpose (the addresses worth looking up online)
 * - `private`: RFC 1918 and IPv6 unique-local (fc00::/7)
 * - `cgnat`: shared address space of carrier-grade NAT (100.64.0.0/10, RFC 6598)
 * - `special`: other IETF protocol blocks (anycast services, AS112, 6to4, Teredo, NAT64, discard…)
 * - `reserved`: reserved for future use, deprecated, or not allocated (IPv6 outside 2000::/3)
 */
export type IpCategory = (typeof IP_CATEGORIES)[number];

export interface SpecialRange {
  network: string;
  category: IpCategory;
  name: string;
  rfc: string;
  /** IANA's "Globally Reachable" column (false where it says False or N/A). */
  global: boolean;
}

const r = (network: string, category: IpCategory, name: string, rfc: string, global = false): SpecialRange =>
  ({ network, category, name, rfc, global });

export const IPV4_SPECIAL: readonly SpecialRange[] = [
  r('0.0.0.0/8', 'reserved', '"This network"', 'RFC 791'),
  r('0.0.0.0/32', 'unspecified', '"This host on this network"', 'RFC 1122'),
  r('10.0.0.0/8', 'private', 'Private-Use', 'RFC 1918'),
  r('100.64.0.0/10', 'cgnat', 'Shared Address Space', 'RFC 6598'),
  r('127.0.0.0/8', 'loopback', 'Loopback', 'RFC 1122'),
  r('169.254.0.0/16', 'link-local', 'Link Local', 'RFC 3927'),
  r('172.16.0.0/12', 'private', 'Private-Use', 'RFC 1918'),
  r('192.0.0.0/24', 'special', 'IETF Protocol Assignments', 'RFC 6890'),
  r('192.0.0.0/29', 'special', 'IPv4 Service Continuity Prefix', 'RFC 7335'),
  r('192.0.0.8/32', 'special', 'IPv4 dummy address', 'RFC 7600'),
  r('192.0.0.9/32', 'special', 'Port Control Protocol Anycast', 'RFC 7723', true),
  r('192.0.0.10/32', 'special', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true),
  r('192.0.0.170/32', 'special', 'NAT64/DNS64 Discovery', 'RFC 8880'),
  r('192.0.0.171/32', 'special', 'NAT64/DNS64 Discovery', 'RFC 8880'),
  r('192.0.2.0/24', 'documentation', 'Documentation (TEST-NET-1)', 'RFC 5737'),
  r('192.31.196.0/24', 'special', 'AS112-v4', 'RFC 7535', true),
  r('192.52.193.0/24', 'special', 'AMT', 'RFC 7450', true),
  r('192.88.99.0/24', 'reserved', 'Deprecated (6to4 Relay Anycast)', 'RFC 7526'),
  r('192.168.0.0/16', 'private', 'Private-Use', 'RFC 1918'),
  r('192.175.48.0/24', 'special', 'Direct Delegation AS112 Service', 'RFC 7534', true),
  r('198.18.0.0/15', 'benchmarking', 'Benchmarking', 'RFC 2544'),
  r('198.51.100.0/24', 'documentation', 'Documentation (TEST-NET-2)', 'RFC 5737'),
  r('203.0.113.0/24', 'documentation', 'Documentation (TEST-NET-3)', 'RFC 5737'),
  r('224.0.0.0/4', 'multicast', 'Multicast', 'RFC 5771'),
  r('240.0.0.0/4', 'reserved', 'Reserved', 'RFC 1112'),
  r('255.255.255.255/32', 'broadcast', 'Limited Broadcast', 'RFC 919'),
];

export const IPV6_SPECIAL: readonly SpecialRange[] = [
  r('::/128', 'unspecified', 'Unspecified Address', 'RFC 4291'),
  r('::1/128', 'loopback', 'Loopback Address', 'RFC 4291'),
  r('64:ff9b::/96', 'special', 'IPv4-IPv6 Translation', 'RFC 6052', true),
  r('64:ff9b:1::/48', 'special', 'IPv4-IPv6 Translation (local use)', 'RFC 8215'),
  r('100::/64', 'special', 'Discard-Only Address Block', 'RFC 6666'),
  r('100:0:0:1::/64', 'special', 'Dummy IPv6 Prefix', 'RFC 9780'),
  r('2001::/23', 'special', 'IETF Protocol Assignments', 'RFC 2928'),
  r('2001::/32', 'special', 'TEREDO', 'RFC 4380', true),
  r('2001:1::1/128', 'special', 'Port Control Protocol Anycast', 'RFC 7723', true),
  r('2001:1::2/128', 'special', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true),
  r('2001:1::3/128', 'special', 'DNS-SD Service Registration Protocol Anycast', 'RFC 9665', true),
  r('2001:2::/48', 'benchmarking', 'Benchmarking', 'RFC 5180'),
  r('2001:3::/32', 'special', 'AMT', 'RFC 7450', true),
  r('2001:4:112::/48', 'special', 'AS112-v6', 'RFC 7535', true),
  r('2001:10::/28', 'reserved', 'Deprecated (previously ORCHID)', 'RFC 4843'),
  r('2001:20::/28', 'special', 'ORCHIDv2', 'RFC 7343', true),
  r('2001:30::/28', 'special', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', 'RFC 9374', true),
  r('2001:db8::/32', 'documentation', 'Documentation', 'RFC 3849'),
  r('2002::/16', 'special', '6to4', 'RFC 3056'),
  r('2620:4f:8000::/48', 'special', 'Direct Delegation AS112 Service', 'RFC 7534', true),
  r('3fff::/20', 'documentation', 'Documentation', 'RFC 9637'),
  r('5f00::/16', 'special', 'Segment Routing (SRv6) SIDs', 'RFC 9602'),
  r('fc00::/7', 'private', 'Unique-Local', 'RFC 4193'),
  r('fe80::/10', 'link-local', 'Link-Local Unicast', 'RFC 4291'),
  r('ff00::/8', 'multicast', 'Multicast', 'RFC 4291'),
];
