/** IPv4 and IPv6 addresses and networks for the `cidr` modifier. */

export interface Cidr {
  version: 4 | 6;
  /** The address as 16-bit groups (2 for IPv4, 8 for IPv6). */
  groups: number[];
  prefix: number;
  text: string;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** 16-bit groups of an address, or undefined when the text is not one. */
export function parseIp(text: string): { version: 4 | 6; groups: number[] } | undefined {
  const v4 = V4.exec(text);
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((n) => n > 255)) return undefined;
    return { version: 4, groups: [((o[0] as number) << 8) | (o[1] as number), ((o[2] as number) << 8) | (o[3] as number)] };
  }
  if (!text.includes(':')) return undefined;
  const bare = text.replace(/%[\w.-]+$/, '');
  let head = bare;
  let tail: number[] = [];
  const dotted = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (dotted) {
    const v4part = parseIp(dotted[1] as string);
    if (!v4part) return undefined;
    tail = v4part.groups;
    head = bare.slice(0, dotted.index + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = group(halves[0] as string);
  const right = halves.length === 2 ? group(halves[1] as string) : [];
  if (!left || !right) return undefined;
  const known = left.length + right.length + tail.length;
  if (halves.length === 2 ? known > 7 : known !== 8) return undefined;
  const groups = [...left, ...new Array<number>(8 - known).fill(0), ...right, ...tail];
  return { version: 6, groups };
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { ...addr, prefix, text };
}

export function inCidr(ip: string, net: Cidr): boolean {
  const a = parseIp(ip);
  if (!a || a.version !== net.version) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((a.groups[i] as number) & mask) !== ((net.groups[i] as number) & mask)) return false;
  }
  return true;
}

/**
 * The text every IPv4 address of the network starts with, for a LIKE prefilter: the whole octets
 * the prefix covers (`172.16.0.0/12` → `172.`). Undefined when that says nothing (IPv6, < /8).
 */
export function ipv4TextPrefix(net: Cidr): string | undefined {
  if (net.version !== 4 || net.prefix < 8) return undefined;
  const octets = [(net.groups[0] as number) >> 8, (net.groups[0] as number) & 255, (net.groups[1] as number) >> 8, (net.groups[1] as number) & 255];
  const whole = Math.floor(net.prefix / 8);
  const text = octets.slice(0, whole).join('.');
  return whole === 4 ? text : `${text}.`;
}
