/**
 * A detection rule compiled for its log source: leaf tests per search identifier and the
 * condition over them, as data (the runner derives SQL from it) and as a matcher.
 */
import type { MatchEvent } from './event-fields.ts';
import { inScope, resolveLogSource, type FieldRef, type LogSourceMap, type Scope } from './fields.ts';
import { EventCache, evalLeaf, type MatchedValue } from './matcher.ts';
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
  /** Matches one event (scope included); null when it does not. */
  match(e: MatchEvent): MatchWhy | null;
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
  const root = expand(rule.condition, [...searches.keys()]);
  const refs = [...searches.values()].flat(2).flatMap((leaf) => [
    leaf.ref,
    ...leaf.values.flat().flatMap((c) => (c.kind === 'fieldref' ? [c.other] : [])),
  ]);
  const positive = positiveRefs(root, false);
  const { scope } = fields;
  return {
    rule, scope, fields, searches, root, refs,
    match(e) {
      if (!inScope(scope, e.dataset, e.program)) return null;
      const cache = new EventCache(e);
      const memo = new Map<string, MatchedValue[] | null>();
      const search = (name: string): MatchedValue[] | null => {
        let r = memo.get(name);
        if (r === undefined) {
          r = evalSearch(searches.get(name) ?? [], cache);
          memo.set(name, r);
        }
        return r;
      };
      if (!evalNode(root, search)) return null;
      const selections: string[] = [];
      const values: MatchedValue[] = [];
      for (const name of positive) {
        const r = search(name);
        if (r === null) continue;
        selections.push(name);
        values.push(...r);
      }
      return { selections, values };
    },
  };
}

/** The values of the first alternative whose leaves all hold, or null. */
function evalSearch(alternatives: Leaf[][], cache: EventCache): MatchedValue[] | null {
  outer: for (const leaves of alternatives) {
    const values: MatchedValue[] = [];
    for (const leaf of leaves) {
      const v = evalLeaf(leaf, cache);
      if (v === undefined) continue outer;
      values.push(v);
    }
    return values;
  }
  return null;
}

function evalNode(node: Node, search: (name: string) => unknown): boolean {
  switch (node.op) {
    case 'and': return node.args.every((a) => evalNode(a, search));
    case 'or': return node.args.some((a) => evalNode(a, search));
    case 'not': return !evalNode(node.arg, search);
    case 'ref': return search(node.name) !== null;
    case 'atleast': {
      let n = 0;
      for (const name of node.names) if (search(name) !== null && ++n >= node.n) return true;
      return false;
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
