/** Evaluates leaf tests on one event, remembering which value matched (for "why"). */
import { fieldValue, numeric, valueTexts, type MatchEvent } from './event-fields.ts';
import { inCidr } from './ip.ts';
import type { Check, Leaf } from './modifiers.ts';
import { fold } from './pattern.ts';

/** A field value that made a leaf true. */
export interface MatchedValue {
  /** Field name as the rule wrote it; null for keywords. */
  field: string | null;
  /** The event's value (for keywords: the keyword that was found). */
  value: string;
}

const MAX_SHOWN = 300;
const shown = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);

/** Per-event memo of folded field texts, so many rules reading one field fold it once. */
export class EventCache {
  readonly event: MatchEvent;
  private readonly folded = new Map<string, string[]>();
  constructor(event: MatchEvent) {
    this.event = event;
  }
  texts(leafRef: Leaf['ref'], cased: boolean): string[] {
    const texts = valueTexts(fieldValue(this.event, leafRef));
    if (cased || texts.length === 0) return texts;
    const key = `${leafRef.column ?? ''}\u0000${leafRef.extra ?? ''}\u0000${leafRef.part ?? ''}`;
    let f = this.folded.get(key);
    if (f === undefined) {
      f = texts.map(fold);
      this.folded.set(key, f);
    }
    return f;
  }
}

/** The leaf's result: undefined when false, else the value to show. */
export function evalLeaf(leaf: Leaf, cache: EventCache): MatchedValue | undefined {
  const e = cache.event;
  const raw = fieldValue(e, leaf.ref);
  const present = raw !== undefined;
  if (leaf.exists !== undefined) {
    return present === leaf.exists ? { field: leaf.field, value: present ? shown(valueTexts(raw).join(', ')) : '(absent)' } : undefined;
  }
  let hit: string | undefined;
  const one = (alts: Check[]): boolean => {
    for (const check of alts) {
      const found = evalCheck(check, leaf, cache, present);
      if (found !== undefined) {
        hit ??= found;
        return true;
      }
    }
    return false;
  };
  let ok: boolean;
  if (leaf.neq) {
    const differs = (alts: Check[]): boolean => present && !one(alts);
    ok = leaf.all ? leaf.values.every(differs) : leaf.values.some(differs);
    hit = valueTexts(raw).join(', ');
  } else {
    ok = leaf.all ? leaf.values.every(one) : leaf.values.some(one);
  }
  if (!ok) return undefined;
  return { field: leaf.field, value: shown(hit ?? '') };
}

/** The matching text, or undefined. */
function evalCheck(check: Check, leaf: Leaf, cache: EventCache, present: boolean): string | undefined {
  switch (check.kind) {
    case 'null':
      return present ? undefined : '(absent)';
    case 'pattern': {
      const texts = cache.texts(leaf.ref, check.cased);
      for (let i = 0; i < texts.length; i++) {
        if (check.test(texts[i] as string)) return leaf.field === null ? check.text : originalText(leaf, cache, i);
      }
      return undefined;
    }
    case 're':
      return cache.texts(leaf.ref, true).find((t) => check.re.test(t));
    case 'cidr':
      return cache.texts(leaf.ref, true).find((t) => inCidr(t, check.net));
    case 'cmp':
      return cache.texts(leaf.ref, true).find((t) => {
        const n = numeric(t);
        if (n === undefined) return false;
        switch (check.op) {
          case 'lt': return n < check.n;
          case 'lte': return n <= check.n;
          case 'gt': return n > check.n;
          case 'gte': return n >= check.n;
        }
      });
    case 'fieldref': {
      const others = cache.texts(check.other, check.cased);
      if (others.length === 0) return undefined;
      const texts = cache.texts(leaf.ref, check.cased);
      const i = texts.findIndex((t) => others.some((o) => {
        switch (check.position) {
          case 'eq': return t === o;
          case 'contains': return t.includes(o);
          case 'startswith': return t.startsWith(o);
          case 'endswith': return t.endsWith(o);
        }
      }));
      return i < 0 ? undefined : originalText(leaf, cache, i);
    }
  }
}

function originalText(leaf: Leaf, cache: EventCache, i: number): string {
  return cache.texts(leaf.ref, true)[i] ?? '';
}
