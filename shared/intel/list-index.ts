/**
 * Which imported lists an address is on: one CIDR set per list, answers remembered per address
 * (a case's addresses repeat on every line they appear).
 */
import { CidrSet } from './cidr-set.ts';
import { parseIp, type Network } from './ip.ts';
import { indicatorNetworks } from './list-parse.ts';

export interface IndexedList {
  name: string;
  networks: readonly Network[];
}

/** A list's entry that contains an address. */
export interface ListHit {
  list: string;
  /** Index of the entry in the list's `networks`. */
  entry: number;
}

const NONE: readonly string[] = Object.freeze([]);
const MEMO_LIMIT = 200_000;

export class IpListIndex {
  private readonly sets: { name: string; set: CidrSet }[];
  private readonly memo = new Map<string, readonly string[]>();

  constructor(lists: readonly IndexedList[]) {
    this.sets = lists.map((l) => ({ name: l.name, set: new CidrSet(l.networks) }));
  }

  /** From list names and entries as text (rule tests, `x-loupe-tests.lists`). Unreadable entries are an error. */
  static fromText(lists: Record<string, readonly string[]>): IpListIndex {
    return new IpListIndex(Object.entries(lists).map(([name, entries]) => ({
      name,
      networks: entries.flatMap((e) => {
        const nets = indicatorNetworks(e);
        if (nets.length === 0) throw new Error(`list "${name}": "${e}" is not an address or network`);
        return nets;
      }),
    })));
  }

  get names(): string[] {
    return this.sets.map((s) => s.name);
  }

  /** The lists the address is on, in list order (none for text that is not an address). */
  listsOf(text: string): readonly string[] {
    const known = this.memo.get(text);
    if (known !== undefined) return known;
    const ip = parseIp(text);
    let out: readonly string[] = NONE;
    if (ip) {
      const names = this.sets.filter((s) => s.set.lookup(ip) >= 0).map((s) => s.name);
      if (names.length > 0) out = names;
    }
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(text, out);
    return out;
  }

  /** Every list the address is on, with the entry that contains it. */
  hits(text: string): ListHit[] {
    const ip = parseIp(text);
    if (!ip) return [];
    return this.sets.flatMap((s) => {
      const entry = s.set.lookup(ip);
      return entry < 0 ? [] : [{ list: s.name, entry }];
    });
  }
}
