/**
 * Offline classification of an address against the IANA special-purpose registries
 * (special-ranges.ts). Pure and allocation-light: it runs over every distinct address of a case.
 */
import { inNetwork, ipText, parseIp, parseNetwork, type Ip, type Network } from './ip.ts';
import { IPV4_SPECIAL, IPV6_SPECIAL, type IpCategory, type SpecialRange } from './special-ranges.ts';

export interface IpClass {
  /** The address in canonical form (IPv4-mapped IPv6 addresses as IPv4). */
  ip: string;
  family: 4 | 6;
  category: IpCategory;
  /** The registry's name of the block (`Private-Use`, `Documentation (TEST-NET-3)`), or `Global unicast`. */
  name: string;
  /** The block the address is in (`10.0.0.0/8`); null for a public address. */
  network: string | null;
  /** The RFC that defines the block; null for a public address. */
  rfc: string | null;
  /** Whether packets to it can cross the Internet: public addresses and the globally reachable special blocks. */
  globallyReachable: boolean;
  /** The text was an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`). */
  mapped: boolean;
}

interface Compiled {
  range: SpecialRange;
  net: Network;
}

/** Most specific first, so the first block that contains an address is the one that names it. */
function compile(ranges: readonly SpecialRange[]): Compiled[] {
  return ranges
    .map((range) => ({ range, net: parseNetwork(range.network) as Network }))
    .sort((a, b) => b.net.prefix - a.net.prefix);
}

const V4 = compile(IPV4_SPECIAL);
const V6 = compile(IPV6_SPECIAL);
const GLOBAL_UNICAST = parseNetwork('2000::/3') as Network;

/** Classifies a parsed address. */
export function classifyParsed(ip: Ip): IpClass {
  const text = ipText(ip);
  const mapped = ip.family === 4 && ip.mapped;
  for (const { range, net } of ip.family === 4 ? V4 : V6) {
    if (inNetwork(ip, net)) {
      return {
        ip: text, family: ip.family, category: range.category, name: range.name, network: range.network, rfc: range.rfc,
        globallyReachable: range.global, mapped,
      };
    }
  }
  if (ip.family === 6 && !inNetwork(ip, GLOBAL_UNICAST)) {
    return {
      ip: text, family: 6, category: 'reserved', name: 'Reserved by IETF (not allocated for global unicast)',
      network: null, rfc: 'RFC 4291', globallyReachable: false, mapped,
    };
  }
  return { ip: text, family: ip.family, category: 'public', name: 'Global unicast', network: null, rfc: null, globallyReachable: true, mapped };
}

/** Classifies `text`; undefined when it is not an IP address. */
export function classifyIp(text: string): IpClass | undefined {
  const ip = parseIp(text);
  return ip && classifyParsed(ip);
}

/**
 * Whether an online provider could know anything about the address: only public ones. Loupe never
 * sends the others (private, documentation, …) anywhere, however the analyst asks.
 */
export function isLookupWorthy(c: IpClass): boolean {
  return c.category === 'public';
}
