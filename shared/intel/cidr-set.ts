/**
 * A set of networks that answers "which entry contains this address" in O(log n). Networks
 * either nest or are disjoint, never partly overlap, so the entries sorted by (first, widest) form
 * a forest: the entry with the last start at or before an address either contains it or has an
 * ancestor that does. Each entry keeps its parent, and a lookup walks up at most 32 (128) levels.
 */
import { parseIp, type Ip, type Network } from './ip.ts';

interface Side<K> {
  first: K[];
  last: K[];
  /** Index of the nearest enclosing entry, or -1. */
  parent: Int32Array;
  /** The caller's id of each entry. */
  ref: Int32Array;
}

function build<K extends number | string>(items: { first: K; last: K; ref: number }[]): Side<K> {
  items.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.last > b.last ? -1 : a.last < b.last ? 1 : 0));
  const side: Side<K> = { first: [], last: [], parent: new Int32Array(items.length), ref: new Int32Array(items.length) };
  const stack: number[] = [];
  for (const item of items) {
    const n = side.first.length;
    // The same network twice keeps its first entry.
    if (n > 0 && side.first[n - 1] === item.first && side.last[n - 1] === item.last) continue;
    while (stack.length > 0 && (side.last[stack.at(-1) as number] as K) < item.first) stack.pop();
    side.first.push(item.first);
    side.last.push(item.last);
    side.parent[n] = stack.length > 0 ? (stack.at(-1) as number) : -1;
    side.ref[n] = item.ref;
    stack.push(n);
  }
  return { ...side, parent: side.parent.slice(0, side.first.length), ref: side.ref.slice(0, side.first.length) };
}

function find<K extends number | string>(side: Side<K>, key: K): number {
  let lo = 0;
  let hi = side.first.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((side.first[mid] as K) <= key) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  while (at >= 0 && (side.last[at] as K) < key) at = side.parent[at] as number;
  return at < 0 ? -1 : (side.ref[at] as number);
}

export class CidrSet {
  readonly size: number;
  private readonly v4: Side<number>;
  private readonly v6: Side<string>;

  /** `refs[i]` is what a lookup returns for `networks[i]` (default: i). */
  constructor(networks: readonly Network[], refs?: readonly number[]) {
    const v4: { first: number; last: number; ref: number }[] = [];
    const v6: { first: string; last: string; ref: number }[] = [];
    networks.forEach((net, i) => {
      const ref = refs?.[i] ?? i;
      if (net.family === 4) v4.push({ first: net.first as number, last: net.last as number, ref });
      else v6.push({ first: net.first as string, last: net.last as string, ref });
    });
    this.v4 = build(v4);
    this.v6 = build(v6);
    this.size = this.v4.first.length + this.v6.first.length;
  }

  /** The ref of the most specific network that contains the address, or -1. */
  lookup(ip: Ip): number {
    return ip.family === 4 ? find(this.v4, ip.n) : find(this.v6, ip.hex);
  }

  /** `lookup` for a text address; -1 when it is not one. */
  lookupText(text: string): number {
    const ip = parseIp(text);
    return ip ? this.lookup(ip) : -1;
  }
}
