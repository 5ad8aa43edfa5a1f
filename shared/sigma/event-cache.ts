/**
 * What the matcher reads of one event, computed once however many rules look: field values,
 * their texts, folded texts. A scan reuses one cache for every event (`reset` moves a generation
 * counter instead of clearing), which also lets it remember text tests across events: log fields
 * repeat (user agents, paths, referrers), so the answers of every rule's tests on a value are kept
 * per distinct value, and a repeated value costs one map lookup instead of a regular expression
 * per rule.
 */
import { fieldValue, valueTexts, type MatchEvent } from './event-fields.ts';
import type { FieldRef } from './fields.ts';
import { fold } from './pattern.ts';

/** Distinct values remembered per field before the memory is judged (and kept or given up). */
const DICTIONARY_SIZE = 50_000;
/** Longer values (whole lines, long URLs) rarely repeat and would make the memory large. */
const LONGEST_REMEMBERED = 512;

type TextTest = (text: string) => boolean;

/** The names of the imported lists (blocklists, IoC lists) an address is on; none when it is on none. */
export type IpListLookup = (ip: string) => readonly string[];

interface Known {
  /** Per test of the field (its position in `tests`): 0 not run yet, 1 passes, 2 fails. */
  results: Uint8Array;
  folded?: string;
}

export class EventCache {
  event: MatchEvent;
  /** What `iplist` tests ask; without it no address is on any list. */
  readonly ipLists: IpListLookup | undefined;
  private gen = 1;
  private readonly valueGen: number[] = [];
  private readonly values: unknown[] = [];
  private readonly textGen: number[] = [];
  private readonly raw: string[][] = [];
  private readonly foldGen: number[] = [];
  private readonly folded: string[][] = [];
  private readonly knownGen: number[] = [];
  private readonly known: (Known | undefined)[] = [];
  /** Per slot: the values seen, null once the field proved too diverse to be worth remembering. */
  private readonly dictionaries: (Map<string, Known> | null | undefined)[] = [];
  private readonly lookups: number[] = [];
  private readonly hits: number[] = [];
  /** Per slot: the text tests seen, each with its position in a value's results. */
  private readonly tests: Map<TextTest, number>[] = [];

  constructor(event: MatchEvent, ipLists?: IpListLookup) {
    this.event = event;
    this.ipLists = ipLists;
  }

  reset(event: MatchEvent): this {
    this.event = event;
    this.gen++;
    return this;
  }

  /** The field's value as stored (a number stays a number); undefined when absent. */
  value(slot: number, ref: FieldRef): unknown {
    if (this.valueGen[slot] !== this.gen) {
      this.values[slot] = fieldValue(this.event, ref);
      this.valueGen[slot] = this.gen;
    }
    return this.values[slot];
  }

  present(slot: number, ref: FieldRef): boolean {
    return this.value(slot, ref) !== undefined;
  }

  /** The field as texts (a list gives one per element), case-folded when asked. */
  texts(slot: number, ref: FieldRef, folded: boolean): string[] {
    if (this.textGen[slot] !== this.gen) {
      this.raw[slot] = valueTexts(this.value(slot, ref));
      this.textGen[slot] = this.gen;
    }
    const raw = this.raw[slot] as string[];
    if (!folded) return raw;
    if (this.foldGen[slot] !== this.gen) {
      this.folded[slot] = raw.length === 1 ? [fold(raw[0] as string)] : raw.map(fold);
      this.foldGen[slot] = this.gen;
    }
    return this.folded[slot] as string[];
  }

  /** Whether some text of the field passes `test` (the same function each time for the same test). */
  textTest(slot: number, ref: FieldRef, folded: boolean, test: TextTest): boolean {
    const v = this.value(slot, ref);
    if (typeof v === 'string' && v.length <= LONGEST_REMEMBERED) {
      const known = this.remembered(slot, v);
      if (known !== undefined) {
        const index = this.indexOf(slot, test);
        if (index >= known.results.length) {
          const grown = new Uint8Array(Math.max(8, index * 2));
          grown.set(known.results);
          known.results = grown;
        }
        const r = known.results[index];
        if (r !== 0) return r === 1;
        const pass = test(folded ? (known.folded ??= fold(v)) : v);
        known.results[index] = pass ? 1 : 2;
        return pass;
      }
    }
    const texts = this.texts(slot, ref, folded);
    for (let i = 0; i < texts.length; i++) if (test(texts[i] as string)) return true;
    return false;
  }

  private indexOf(slot: number, test: TextTest): number {
    let tests = this.tests[slot];
    if (tests === undefined) {
      tests = new Map();
      this.tests[slot] = tests;
    }
    let index = tests.get(test);
    if (index === undefined) {
      index = tests.size;
      tests.set(test, index);
    }
    return index;
  }

  /** This event's entry in the field's dictionary, or undefined when the field is not remembered. */
  private remembered(slot: number, v: string): Known | undefined {
    if (this.knownGen[slot] === this.gen) return this.known[slot];
    this.knownGen[slot] = this.gen;
    let dict = this.dictionaries[slot];
    if (dict === undefined) {
      dict = new Map();
      this.dictionaries[slot] = dict;
      this.lookups[slot] = 0;
      this.hits[slot] = 0;
    }
    if (dict === null) return (this.known[slot] = undefined);
    this.lookups[slot] = (this.lookups[slot] as number) + 1;
    let known = dict.get(v);
    if (known !== undefined) {
      this.hits[slot] = (this.hits[slot] as number) + 1;
      return (this.known[slot] = known);
    }
    if (dict.size >= DICTIONARY_SIZE) {
      // Full: worth starting over only if values came back at least half the time.
      if ((this.hits[slot] as number) * 2 < (this.lookups[slot] as number)) {
        this.dictionaries[slot] = null;
        return (this.known[slot] = undefined);
      }
      dict.clear();
      this.lookups[slot] = 0;
      this.hits[slot] = 0;
    }
    known = { results: new Uint8Array(this.tests[slot]?.size ?? 8) };
    dict.set(v, known);
    return (this.known[slot] = known);
  }
}
