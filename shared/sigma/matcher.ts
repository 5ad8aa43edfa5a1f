/**
 * Evaluates leaf tests on one event. The boolean path is the hot one (every candidate event, every
 * rule); the explanation (which value matched) is only worked out for events that matched.
 */
import { EventCache } from './event-cache.ts';
import { numeric } from './event-fields.ts';
import type { FieldRef } from './fields.ts';
import { inCidr } from './ip.ts';
import type { Check, Leaf } from './modifiers.ts';
import { fold } from './pattern.ts';

export { EventCache };

/** A field value that made a leaf true. */
export interface MatchedValue {
  /** Field name as the rule wrote it; null for keywords. */
  field: string | null;
  /** The event's value (for keywords: the keyword that was found). */
  value: string;
}

const MAX_SHOWN = 300;
const shown = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);

function compare(n: number, check: Extract<Check, { kind: 'cmp' }>): boolean {
  switch (check.op) {
    case 'lt': return n < check.n;
    case 'lte': return n <= check.n;
    case 'gt': return n > check.n;
    case 'gte': return n >= check.n;
  }
}

/** The lists an address is on whose names the `iplist` check accepts. */
function listed(ip: string, check: Extract<Check, { kind: 'iplist' }>, cache: EventCache): readonly string[] {
  const lists = cache.ipLists?.(ip);
  if (lists === undefined || lists.length === 0) return lists ?? [];
  return lists.filter((name) => check.test(fold(name)));
}

/** The index of the first field text the check accepts, or -1 (for `null`: 0 when absent). */
function checkIndex(check: Check, leaf: Leaf, cache: EventCache): number {
  switch (check.kind) {
    case 'null':
      return cache.present(leaf.slot, leaf.ref) ? -1 : 0;
    case 'pattern': {
      const texts = cache.texts(leaf.slot, leaf.ref, !check.cased);
      for (let i = 0; i < texts.length; i++) if (check.test(texts[i] as string)) return i;
      return -1;
    }
    case 're': {
      const texts = cache.texts(leaf.slot, leaf.ref, false);
      for (let i = 0; i < texts.length; i++) if (check.re.test(texts[i] as string)) return i;
      return -1;
    }
    case 'cidr': {
      const texts = cache.texts(leaf.slot, leaf.ref, false);
      for (let i = 0; i < texts.length; i++) if (inCidr(texts[i] as string, check.net)) return i;
      return -1;
    }
    case 'iplist': {
      const texts = cache.texts(leaf.slot, leaf.ref, false);
      for (let i = 0; i < texts.length; i++) if (listed(texts[i] as string, check, cache).length > 0) return i;
      return -1;
    }
    case 'cmp': {
      const v = cache.value(leaf.slot, leaf.ref);
      if (typeof v === 'number') return compare(v, check) ? 0 : -1;
      const texts = cache.texts(leaf.slot, leaf.ref, false);
      for (let i = 0; i < texts.length; i++) {
        const n = numeric(texts[i] as string);
        if (n !== undefined && compare(n, check)) return i;
      }
      return -1;
    }
    case 'fieldref': {
      const others = cache.texts(check.otherSlot, check.other, !check.cased);
      if (others.length === 0) return -1;
      const texts = cache.texts(leaf.slot, leaf.ref, !check.cased);
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i] as string;
        for (const o of others) {
          if (check.position === 'eq' ? t === o : check.position === 'contains' ? t.includes(o)
            : check.position === 'startswith' ? t.startsWith(o) : t.endsWith(o)) return i;
        }
      }
      return -1;
    }
  }
}

/** The index of the first matching text among a value's alternatives, and the check that gave it. */
function valueMatch(alts: readonly Check[], leaf: Leaf, cache: EventCache): { check: Check; index: number } | undefined {
  for (const check of alts) {
    const index = checkIndex(check, leaf, cache);
    if (index >= 0) return { check, index };
  }
  return undefined;
}

function valueHolds(alts: readonly Check[], leaf: Leaf, cache: EventCache): boolean {
  const eq = valueMatch(alts, leaf, cache) !== undefined;
  return leaf.neq ? !eq && cache.present(leaf.slot, leaf.ref) : eq;
}

export type LeafTest = (cache: EventCache) => boolean;

/** A leaf over one field whose values are all text tests: any text that passes. */
function textLeaf(slot: number, ref: FieldRef, folded: boolean, test: (text: string) => boolean): LeafTest {
  return (cache) => cache.textTest(slot, ref, folded, test);
}

/**
 * The leaf as a closure specialised to its shape. Matching runs every rule on every candidate,
 * and one generic function over leaves of many shapes was measured at twice the time of these.
 */
export function compileLeafTest(leaf: Leaf): LeafTest {
  const { slot, ref } = leaf;
  if (leaf.exists !== undefined) {
    const want = leaf.exists;
    return (cache) => cache.present(slot, ref) === want;
  }
  if (leaf.union) {
    const { re } = leaf.union;
    return textLeaf(slot, ref, !leaf.union.cased, (t) => re.test(t));
  }
  const only = leaf.values.length === 1 && leaf.values[0]?.length === 1 && !leaf.neq ? leaf.values[0][0] : undefined;
  if (only?.kind === 'pattern') return textLeaf(slot, ref, !only.cased, only.test);
  if (only?.kind === 're') {
    const re = only.re;
    return textLeaf(slot, ref, false, (t) => re.test(t));
  }
  if (only?.kind === 'cmp') {
    const check = only;
    return (cache) => checkIndex(check, leaf, cache) >= 0;
  }
  return (cache) => testLeaf(leaf, cache);
}

/** Whether the leaf holds for the event (the general case of `compileLeafTest`). */
export function testLeaf(leaf: Leaf, cache: EventCache): boolean {
  if (leaf.exists !== undefined) return cache.present(leaf.slot, leaf.ref) === leaf.exists;
  if (leaf.union) {
    const { re, cased } = leaf.union;
    for (const t of cache.texts(leaf.slot, leaf.ref, !cased)) if (re.test(t)) return true;
    return false;
  }
  const values = leaf.values;
  if (leaf.all) {
    for (const alts of values) if (!valueHolds(alts, leaf, cache)) return false;
    return true;
  }
  for (const alts of values) if (valueHolds(alts, leaf, cache)) return true;
  return false;
}

/** What made a leaf that holds hold: the field's value (or the keyword found). */
export function explainLeaf(leaf: Leaf, cache: EventCache): MatchedValue {
  const raw = cache.texts(leaf.slot, leaf.ref, false);
  const whole = (): MatchedValue => ({ field: leaf.field, value: shown(raw.length === 0 ? '(absent)' : raw.join(', ')) });
  if (leaf.exists !== undefined || leaf.neq) return whole();
  for (const alts of leaf.values) {
    const m = valueMatch(alts, leaf, cache);
    if (m === undefined) continue;
    if (leaf.field === null) return { field: null, value: shown(m.check.text) };
    if (m.check.kind === 'null') return whole();
    const value = raw[m.index] ?? '';
    if (m.check.kind === 'iplist') return { field: leaf.field, value: shown(`${value} (on ${listed(value, m.check, cache).join(', ')})`) };
    return { field: leaf.field, value: shown(value) };
  }
  return whole();
}
