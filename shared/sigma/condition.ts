/**
 * The `condition` of a detection: `and`, `or`, `not`, parentheses, `1 of pattern*`, `all of them`
 * (precedence, loosest first: or, and, not, x of, parentheses), and the legacy aggregation after
 * a pipe, `| count(field) by a, b > N` (https://sigmahq.io/docs/basics/conditions.html).
 */
import { RuleError, type Condition, type CountCondition } from './types.ts';

type Token = { t: 'word'; v: string } | { t: '(' } | { t: ')' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/\(|\)|[^\s()]+/g)) {
    const v = m[0];
    tokens.push(v === '(' ? { t: '(' } : v === ')' ? { t: ')' } : { t: 'word', v });
  }
  return tokens;
}

const isWord = (tok: Token | undefined, word: string): boolean => tok?.t === 'word' && tok.v.toLowerCase() === word;
const RESERVED = new Set(['and', 'or', 'not', 'of', 'them', 'all']);

/** Parses the part of a condition before any `|`. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let i = 0;
  const fail = (why: string): never => {
    throw new RuleError(`condition "${text}": ${why}`);
  };
  const parseOr = (): Condition => {
    const args = [parseAnd()];
    while (isWord(tokens[i], 'or')) {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? (args[0] as Condition) : { op: 'or', args };
  };
  const parseAnd = (): Condition => {
    const args = [parseNot()];
    while (isWord(tokens[i], 'and')) {
      i++;
      args.push(parseNot());
    }
    return args.length === 1 ? (args[0] as Condition) : { op: 'and', args };
  };
  const parseNot = (): Condition => {
    if (isWord(tokens[i], 'not')) {
      i++;
      return { op: 'not', arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): Condition => {
    const tok = tokens[i];
    if (tok === undefined) return fail('ends too early');
    if (tok.t === '(') {
      i++;
      const inner = parseOr();
      if (tokens[i]?.t !== ')') fail('a "(" is not closed');
      i++;
      return inner;
    }
    if (tok.t === ')') return fail('unexpected ")"');
    if (isWord(tokens[i + 1], 'of')) {
      const q = tok.v.toLowerCase();
      const count = q === 'all' ? null : /^[1-9]\d*$/.test(q) ? Number(q) : fail(`"${tok.v} of": expected "1 of" or "all of"`);
      const target = tokens[i + 2];
      if (target?.t !== 'word') return fail(`"${tok.v} of" needs a pattern or "them"`);
      i += 3;
      return { op: 'of', count, pattern: target.v.toLowerCase() === 'them' ? null : target.v };
    }
    if (RESERVED.has(tok.v.toLowerCase())) return fail(`unexpected "${tok.v}"`);
    i++;
    return { op: 'ref', name: tok.v };
  };
  if (tokens.length === 0) fail('is empty');
  const cond = parseOr();
  if (i < tokens.length) fail(`unexpected "${tokenText(tokens[i] as Token)}"`);
  return cond;
}

function tokenText(t: Token): string {
  return t.t === 'word' ? t.v : t.t;
}

export interface ParsedAggregation {
  field: string | null;
  groupBy: string[];
  condition: CountCondition;
}

const AGGREGATION = /^count\(\s*([^\s()]*)\s*\)(?:\s+by\s+([^<>=!]+?))?\s*(>=|<=|==|=|>|<)\s*(\d+)$/i;

/** Parses `count(field) by a, b > N`, the part after the pipe. */
export function parseAggregation(text: string): ParsedAggregation {
  const t = text.trim();
  if (/^near\b/i.test(t)) throw new RuleError(`condition "| ${t}": the legacy "near" aggregation is not supported; use a temporal correlation rule`);
  const m = AGGREGATION.exec(t);
  if (!m) {
    const fn = /^(\w+)\s*\(/.exec(t)?.[1];
    if (fn && fn.toLowerCase() !== 'count') throw new RuleError(`condition "| ${t}": aggregation "${fn}" is not supported (only count)`);
    throw new RuleError(`condition "| ${t}": cannot read the aggregation (expected "count(field) by field > N")`);
  }
  const n = Number(m[4]);
  const op = m[3] as string;
  const condition: CountCondition = op === '>' ? { gt: n } : op === '>=' ? { gte: n } : op === '<' ? { lt: n }
    : op === '<=' ? { lte: n } : { eq: n };
  return {
    field: m[1] === '' || m[1] === undefined ? null : m[1],
    groupBy: m[2] === undefined ? [] : m[2].split(',').map((s) => s.trim()).filter(Boolean),
    condition,
  };
}
