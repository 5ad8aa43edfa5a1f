/**
 * A detection rule compiled for its log source: leaf tests per search identifier and the
 * condition over them, as data (the runner derives SQL from it) and as a matcher.
 */
import type { MatchEvent } from './event-fields.ts';
import { inScope, resolveLogSource, type FieldRef, type LogSourceMap, type Scope } from './fields.ts';
import { compileLeafTest, EventCache, explainLeaf, testLeaf, type LeafTest, type MatchedValue } from './matcher.ts';
import { buildLeaf, type Leaf } from './modifiers.ts';
import { RuleError, type Condition, type DetectionRule } from './types.ts';

/** The condition with `x of` expanded to the identifiers it names. */
export type Node =
  | { op: 'and' | 'or'; args: Node[] }
  | { op: 'not'; arg: Node }
  | { op: 'ref'; name: string }
  | { op: 'atleast'; n: number; names: string[] };

/** Why an event matched: the search identifiers that held, and the values that made them hold. */
export interface MatchWhy {
  selections: string[];
  values: MatchedValue[];
}

export interface CompiledDetection {
  rule: DetectionRule;
  scope: Scope;
  fields: LogSourceMap;
  /** Per search identifier: alternatives (OR) of leaves (AND). */
  searches: Map<string, Leaf[][]>;
  root: Node;
  /** Every field the rule reads (for choosing columns). */
  refs: FieldRef[];
  /**
   * Matches one event (scope included); null when it does not. Pass one cache per event when
   * running many rules over it, so each field is read and folded once.
   */
  match(e: MatchEvent, cache?: EventCache): MatchWhy | null;
  /** `match` for a caller that already knows the event is in the rule's scope. */
  matchInScope(e: MatchEvent, cache: EventCache): MatchWhy | null;
}

export function compileDetection(rule: DetectionRule): CompiledDetection {
  const fields = resolveLogSource(rule.logsource);
  if ('error' in fields) throw new RuleError(fields.error);
  const searches = new Map<string, Leaf[][]>();
  for (const [name, def] of Object.entries(rule.searches)) {
    try {
      searches.set(name, def.map((alt) => alt.map((spec) => buildLeaf(spec, fields.field))));
    } catch (err) {
      if (err instanceof RuleError) throw new RuleError(`detection.${name}: ${err.message}`);
      throw err;
    }
  }
  const names = [...searches.keys()];
  const root = expand(rule.condition, names);
  const refs = [...searches.values()].flat(2).flatMap((leaf) => [
    leaf.ref,
    ...leaf.values.flat().flatMap((c) => (c.kind === 'fieldref' ? [c.other] : [])),
  ]);
  const byIndex = [...searches.values()];
  const searchTests = byIndex.map(compileSearch);
  const test = compileNode(root, names);
  const positive = positiveRefs(root, false).map((n) => names.indexOf(n));
  const { scope } = fields;
  // Per-call state, kept across calls to spare allocations (matching is synchronous).
  const memo = new Uint8Array(byIndex.length);
  let current: EventCache | undefined;
  // memo: 0 not evaluated yet, 1 holds, 2 does not.
  const search = (i: number): boolean => {
    if (memo[i] === 0) memo[i] = (searchTests[i] as LeafTest)(current as EventCache) ? 1 : 2;
    return memo[i] === 1;
  };
  return {
    rule, scope, fields, searches, root, refs,
    match(e, given) {
      return inScope(scope, e.dataset, e.program) ? this.matchInScope(e, given ?? new EventCache(e)) : null;
    },
    matchInScope(e, cache) {
      current = cache;
      memo.fill(0);
      if (!test(search)) return null;
      const selections: string[] = [];
      const values: MatchedValue[] = [];
      for (const i of positive) {
        if (!search(i)) continue;
        selections.push(names[i] as string);
        const leaves = (byIndex[i] as Leaf[][]).find((alt) => alt.every((leaf) => testLeaf(leaf, cache))) ?? [];
        for (const leaf of leaves) values.push(explainLeaf(leaf, cache));
      }
      return { selections, values };
    },
  };
}

/** A search identifier as one closure: some alternative whose leaves all hold. */
function compileSearch(alternatives: Leaf[][]): LeafTest {
  const alts = alternatives.map((leaves) => leaves.map(compileLeafTest));
  if (alts.length === 1 && (alts[0] as LeafTest[]).length === 1) return (alts[0] as LeafTest[])[0] as LeafTest;
  return (cache) => {
    outer: for (const tests of alts) {
      for (const t of tests) if (!t(cache)) continue outer;
      return true;
    }
    return false;
  };
}

type Test = (search: (i: number) => boolean) => boolean;

/** The condition as nested closures over search indices. */
function compileNode(node: Node, names: string[]): Test {
  switch (node.op) {
    case 'and': {
      const args = node.args.map((a) => compileNode(a, names));
      return (s) => {
        for (const a of args) if (!a(s)) return false;
        return true;
      };
    }
    case 'or': {
      const args = node.args.map((a) => compileNode(a, names));
      return (s) => {
        for (const a of args) if (a(s)) return true;
        return false;
      };
    }
    case 'not': {
      const arg = compileNode(node.arg, names);
      return (s) => !arg(s);
    }
    case 'ref': {
      const i = names.indexOf(node.name);
      return (s) => s(i);
    }
    case 'atleast': {
      const indices = node.names.map((n) => names.indexOf(n));
      const need = node.n;
      return (s) => {
        let n = 0;
        for (const i of indices) if (s(i) && ++n >= need) return true;
        return false;
      };
    }
  }
}

function expand(c: Condition, names: string[]): Node {
  switch (c.op) {
    case 'and': case 'or': return { op: c.op, args: c.args.map((a) => expand(a, names)) };
    case 'not': return { op: 'not', arg: expand(c.arg, names) };
    case 'ref':
      if (!names.includes(c.name)) throw new RuleError(`condition refers to "${c.name}", which is not a search identifier of the rule`);
      return c;
    case 'of': {
      const matched = c.pattern === null
        ? names.filter((n) => !n.startsWith('_'))
        : names.filter((n) => globMatch(c.pattern as string, n));
      if (matched.length === 0) throw new RuleError(`condition: "${c.pattern ?? 'them'}" matches no search identifier`);
      const refs: Node[] = matched.map((name) => ({ op: 'ref', name }));
      if (c.count === null) return { op: 'and', args: refs };
      if (c.count === 1) return { op: 'or', args: refs };
      return { op: 'atleast', n: c.count, names: matched };
    }
  }
}

function globMatch(pattern: string, name: string): boolean {
  const source = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(name);
}

/** Identifiers that count toward a match (not only under `not`), in first-seen order. */
function positiveRefs(node: Node, negated: boolean, out: string[] = []): string[] {
  switch (node.op) {
    case 'and': case 'or': for (const a of node.args) positiveRefs(a, negated, out); break;
    case 'not': positiveRefs(node.arg, !negated, out); break;
    case 'ref': if (!negated && !out.includes(node.name)) out.push(node.name); break;
    case 'atleast': if (!negated) for (const n of node.names) if (!out.includes(n)) out.push(n); break;
  }
  return out;
}
