/**
 * IP addresses as numbers that sort: an IPv4 address is an unsigned 32-bit integer, an IPv6
 * address 32 lower-case hex digits (fixed width, so comparing the strings compares the numbers).
 * Classification and list matching run over every distinct address of a case, so parsing is a
 * hand-written scan rather than regular expressions.
 */

export type Ip =
  | { family: 4; n: number; /** Written as an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`). */ mapped: boolean }
  | { family: 6; hex: string };

export interface Network {
  family: 4 | 6;
  /** First and last address: numbers for IPv4, 32-digit hex for IPv6. */
  first: number | string;
  last: number | string;
  prefix: number;
}

function parseV4(text: string, start: number, end: number): number | undefined {
  let n = 0;
  let octets = 0;
  let value = -1;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || value > 255) return undefined;
      n = n * 256 + value;
      octets++;
      value = -1;
      digits = 0;
      if (octets > 4) return undefined;
    } else if (c >= 48 && c <= 57) {
      value = (value < 0 ? 0 : value * 10) + (c - 48);
      if (++digits > 3) return undefined;
    } else return undefined;
  }
  return octets === 4 ? n : undefined;
}

const HEX = '0123456789abcdef';

function hexGroup(g: number): string {
  return HEX[(g >> 12) & 15]! + HEX[(g >> 8) & 15]! + HEX[(g >> 4) & 15]! + HEX[g & 15]!;
}

/** The 8 groups of an IPv6 address, or undefined. Accepts `::`, an embedded IPv4 tail and a `%zone`. */
function parseV6Groups(text: string): number[] | undefined {
  let end = text.indexOf('%');
  if (end < 0) end = text.length;
  if (end < 2) return undefined;
  const head: number[] = [];
  const tail: number[] = [];
  let current = head;
  let gap = false;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return undefined;
    gap = true;
    current = tail;
    i = 2;
    if (i === end) return new Array<number>(8).fill(0);
  }
  while (i < end) {
    let j = i;
    let value = 0;
    while (j < end && j - i < 5) {
      const c = text.charCodeAt(j);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      value = value * 16 + d;
      j++;
    }
    const c = j < end ? text.charCodeAt(j) : -1;
    if (c === 46) {
      // An IPv4 tail (`::ffff:192.0.2.1`) fills the last two groups.
      const v4 = parseV4(text, i, end);
      if (v4 === undefined) return undefined;
      current.push(Math.floor(v4 / 65536), v4 % 65536);
      i = end;
      break;
    }
    if (j === i || j - i > 4) return undefined;
    current.push(value);
    if (j === end) {
      i = end;
      break;
    }
    if (c !== 58) return undefined;
    if (text.charCodeAt(j + 1) === 58) {
      if (gap) return undefined;
      gap = true;
      current = tail;
      i = j + 2;
      if (i === end) break;
    } else {
      i = j + 1;
      if (i === end) return undefined;
    }
  }
  const known = head.length + tail.length;
  if (gap ? known > 7 : known !== 8) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...tail];
}

/** The address in `text`, or undefined when it is not one. IPv4-mapped IPv6 addresses become IPv4. */
export function parseIp(text: string): Ip | undefined {
  if (text.length < 2 || text.length > 64) return undefined;
  if (text.indexOf(':') < 0) {
    const n = parseV4(text, 0, text.length);
    return n === undefined ? undefined : { family: 4, n, mapped: false };
  }
  const groups = parseV6Groups(text);
  if (!groups) return undefined;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return { family: 4, n: (groups[6] as number) * 65536 + (groups[7] as number), mapped: true };
  }
  let hex = '';
  for (const g of groups) hex += hexGroup(g);
  return { family: 6, hex };
}

export function v4Text(n: number): string {
  return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** An IPv6 address as RFC 5952 writes it: lower case, the longest run of zero groups as `::`. */
export function v6Text(hex: string): string {
  const groups: number[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(parseInt(hex.slice(i, i + 4), 16));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return part(groups);
  return `${part(groups.slice(0, bestStart))}::${part(groups.slice(bestStart + bestLen))}`;
}

/** The address written the one canonical way (IPv4-mapped addresses as IPv4). */
export function ipText(ip: Ip): string {
  return ip.family === 4 ? v4Text(ip.n) : v6Text(ip.hex);
}

/** `text` in canonical form, or undefined when it is not an address. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && ipText(ip);
}

/** Sets the low `bits` bits of a 32-digit hex number to 0 (`fill` '0') or 1 (`fill` 'f'). */
function v6Edge(hex: string, prefix: number, high: boolean): string {
  const whole = prefix >> 2;
  const rest = prefix & 3;
  let out = hex.slice(0, whole);
  if (whole < 32) {
    const nibble = parseInt(hex[whole] as string, 16);
    const keep = (0xf << (4 - rest)) & 0xf;
    out += HEX[high ? (nibble & keep) | (~keep & 0xf) : nibble & keep];
    out += (high ? 'f' : '0').repeat(31 - whole);
  }
  return out;
}

/**
 * `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits set in the address
 * (`10.1.2.3/8`) are ignored, as routers and ipset do. IPv4-mapped networks (`::ffff:0:0/104`)
 * become IPv4 networks.
 */
export function parseNetwork(text: string): Network | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (ip.family === 4 && ip.mapped) {
      if (prefix < 96 || prefix > 128) return undefined;
      prefix -= 96;
    }
    if (prefix > max) return undefined;
  }
  if (ip.family === 4) {
    const size = 2 ** (32 - prefix);
    const first = ip.n - (ip.n % size);
    return { family: 4, first, last: first + size - 1, prefix };
  }
  return { family: 6, first: v6Edge(ip.hex, prefix, false), last: v6Edge(ip.hex, prefix, true), prefix };
}

export function networkText(net: Network): string {
  const first = net.family === 4 ? v4Text(net.first as number) : v6Text(net.first as string);
  return `${first}/${net.prefix}`;
}

/** Whether the address falls in the network. */
export function inNetwork(ip: Ip, net: Network): boolean {
  if (ip.family !== net.family) return false;
  return ip.family === 4
    ? ip.n >= (net.first as number) && ip.n <= (net.last as number)
    : ip.hex >= (net.first as string) && ip.hex <= (net.last as string);
}

/**
 * The smallest set of IPv4 networks that covers `first`..`last` exactly (a range such as
 * `192.0.2.10-192.0.2.20` in a list).
 */
export function v4RangeNetworks(first: number, last: number): Network[] {
  const out: Network[] = [];
  let start = first;
  while (start <= last) {
    let size = 1;
    // Grow the block while it stays aligned and inside the range.
    while (size < 2 ** 32 && start % (size * 2) === 0 && start + size * 2 - 1 <= last) size *= 2;
    out.push({ family: 4, first: start, last: start + size - 1, prefix: 32 - Math.log2(size) });
    start += size;
  }
  return out;
}
