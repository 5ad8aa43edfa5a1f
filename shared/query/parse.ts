/**
 * The filter bar's language:
 *
 *   failed "invalid user"          words and phrases anywhere in the raw line (any case)
 *   user:root  url:*wp-login*      a field's value, exact; `*` matches any run of characters
 *   status>=400  bytes>10000       comparisons on number fields: > >= < <= !=
 *   ip:10.0.0.0/8  ip:2001:db8::/32  an address or network, source or destination
 *   a and b, a or b, not a, -a     any case; NOT binds tighter than AND, AND than OR
 *   a b                            AND is implied between terms
 *   (a or b) -c                    parentheses group
 *
 * `field!=value` is `-field:value`: it also keeps events without the field. A parse error says
 * what is wrong and where (offsets into the text), so the window can underline it in place.
 */
import { parseCidr, parseIp } from '../sigma/ip.ts';
import type { QueryNode, Span, Test, TermNode } from './ast.ts';
import { FIELDS, fieldByName, IP_CLASSES, type FieldDescriptor } from './fields.ts';
import { isLevel, LEVELS } from './level.ts';

export class QueryError extends Error {
  readonly start: number;
  readonly end: number;

  constructor(message: string, start: number, end: number) {
    super(message);
    this.name = 'QueryError';
    this.start = start;
    this.end = end;
  }
}

export type QueryCheck = { ok: true; ast: QueryNode | null } | { ok: false; error: { message: string; start: number; end: number } };

type Token =
  | { t: '(' | ')' | 'and' | 'or' | 'not' | '-'; start: number; end: number }
  | { t: 'word'; text: string; start: number; end: number }
  | { t: 'phrase'; text: string; start: number; end: number }
  | { t: 'field'; name: string; op: string; value: string; quoted: boolean; nameEnd: number; valueStart: number; start: number; end: number };

const MAX_DEPTH = 100;
const OPS = /^([A-Za-z_@][\w.@]*?)(>=|<=|!=|:|>|<)/;

/** Parses a query; null for one that is empty (everything matches). Throws QueryError. */
export function parseQuery(text: string): QueryNode | null {
  return new Parser(text).parse();
}

/** Like `parseQuery`, but returns the error instead of throwing it (for the filter bar as you type). */
export function checkQuery(text: string): QueryCheck {
  try {
    return { ok: true, ast: parseQuery(text) };
  } catch (err) {
    if (err instanceof QueryError) return { ok: false, error: { message: err.message, start: err.start, end: err.end } };
    throw err;
  }
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      const p = readPhrase(s, i);
      out.push({ t: 'phrase', text: p.text, start: i, end: p.end });
      i = p.end;
    } else {
      let j = i;
      while (j < s.length && !/[\s()"]/.test(s[j]!)) j++;
      const chunk = s.slice(i, j);
      if (chunk === '-') {
        if (s[j] !== '(' && s[j] !== '"') throw new QueryError('- needs a term right after it (-word, -field:value)', i, j);
        out.push({ t: '-', start: i, end: j });
        i = j;
        continue;
      }
      const negated = chunk.length > 1 && chunk.startsWith('-');
      if (negated) out.push({ t: '-', start: i, end: i + 1 });
      const start = negated ? i + 1 : i;
      const body = negated ? chunk.slice(1) : chunk;
      const keyword = body.toLowerCase();
      if (!negated && (keyword === 'and' || keyword === 'or' || keyword === 'not')) {
        out.push({ t: keyword, start, end: j });
        i = j;
        continue;
      }
      const m = OPS.exec(body);
      if (m && !looksLikeText(body, m[2]!, m[0].length)) {
        const name = m[1]!;
        const op = m[2]!;
        const valueStart = start + m[0].length;
        let value = body.slice(m[0].length);
        let end = j;
        let quoted = false;
        if (value === '' && s[j] === '"') {
          const p = readPhrase(s, j);
          value = p.text;
          end = p.end;
          quoted = true;
        }
        out.push({ t: 'field', name, op, value, quoted, nameEnd: start + name.length, valueStart, start, end });
        i = end;
        continue;
      }
      out.push({ t: 'word', text: body, start, end: j });
      i = j;
    }
  }
  return out;
}

/** `http://…`, an IPv6 address, a MAC-like `aa:bb:…` with no field of that name: text, not a field. */
function looksLikeText(body: string, op: string, opEnd: number): boolean {
  if (op !== ':') return false;
  if (body.startsWith('//', opEnd)) return true;
  return parseIp(body) !== undefined;
}

function readPhrase(s: string, open: number): { text: string; end: number } {
  let text = '';
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) text += s[++i];
    else if (c === '"') return { text, end: i + 1 };
    else text += c;
  }
  throw new QueryError('this quote is not closed: add a " at the end of the phrase', open, s.length);
}

class Parser {
  private readonly text: string;
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  parse(): QueryNode | null {
    if (this.tokens.length === 0) return null;
    const node = this.or();
    const extra = this.tokens[this.pos];
    if (extra) {
      if (extra.t === ')') throw new QueryError('this ) closes no parenthesis', extra.start, extra.end);
      throw new QueryError(`unexpected ${describe(extra)}`, extra.start, extra.end);
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private or(): QueryNode {
    const first = this.and();
    const children = [first];
    for (let t = this.peek(); t?.t === 'or'; t = this.peek()) {
      this.pos++;
      if (!this.startsOperand()) throw this.missing('OR', t);
      children.push(this.and());
    }
    return children.length === 1 ? first : { kind: 'or', children: flatten('or', children), ...spanOf(children) };
  }

  private and(): QueryNode {
    const first = this.not();
    const children = [first];
    for (;;) {
      const t = this.peek();
      if (t?.t === 'and') {
        this.pos++;
        if (!this.startsOperand()) throw this.missing('AND', t);
        children.push(this.not());
      } else if (this.startsOperand()) {
        children.push(this.not());
      } else break;
    }
    return children.length === 1 ? first : { kind: 'and', children: flatten('and', children), ...spanOf(children) };
  }

  private startsOperand(): boolean {
    const t = this.peek();
    return t !== undefined && t.t !== ')' && t.t !== 'and' && t.t !== 'or';
  }

  private missing(op: string, t: Token): QueryError {
    const next = this.peek();
    if (next === undefined) return new QueryError(`${op} needs a term after it`, t.start, t.end);
    return new QueryError(`${op} needs a term after it, not ${describe(next)}`, t.start, next.end);
  }

  private not(): QueryNode {
    const t = this.peek();
    if (t?.t === 'not' || t?.t === '-') {
      this.pos++;
      if (!this.startsOperand()) {
        throw t.t === '-'
          ? new QueryError('- needs a term right after it (-word, -field:value)', t.start, t.end)
          : this.missing('NOT', t);
      }
      this.enter(t);
      const child = this.not();
      this.depth--;
      return { kind: 'not', child, start: t.start, end: child.end };
    }
    return this.primary();
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw new QueryError(`the query nests deeper than ${MAX_DEPTH} levels`, t.start, t.end);
  }

  private primary(): QueryNode {
    const t = this.peek();
    if (t === undefined) throw new QueryError('the query ends where a term was expected', this.text.length, this.text.length);
    this.pos++;
    switch (t.t) {
      case '(': {
        if (this.peek()?.t === ')') throw new QueryError('nothing between these parentheses', t.start, this.peek()!.end);
        this.enter(t);
        const inner = this.or();
        this.depth--;
        const close = this.peek();
        if (close?.t !== ')') throw new QueryError('this parenthesis is not closed: add a )', t.start, t.end);
        this.pos++;
        return { ...inner, start: t.start, end: close.end };
      }
      case 'word':
        return { kind: 'text', text: t.text, phrase: false, start: t.start, end: t.end };
      case 'phrase':
        if (t.text === '') throw new QueryError('empty phrase', t.start, t.end);
        return { kind: 'text', text: t.text, phrase: true, start: t.start, end: t.end };
      case 'field':
        return term(t);
      default:
        throw new QueryError(`unexpected ${describe(t)}`, t.start, t.end);
    }
  }
}

function describe(t: Token): string {
  switch (t.t) {
    case 'word': case 'phrase': return `"${t.text}"`;
    case 'field': return `"${t.name}${t.op}${t.value}"`;
    case 'and': case 'or': case 'not': return t.t.toUpperCase();
    default: return t.t;
  }
}

/** `(a b) c` is `a b c`: nested groups of the same kind are one group. */
function flatten(kind: 'and' | 'or', nodes: QueryNode[]): QueryNode[] {
  return nodes.flatMap((n) => (n.kind === kind ? n.children : [n]));
}

function spanOf(nodes: readonly Span[]): Span {
  return { start: nodes[0]!.start, end: nodes[nodes.length - 1]!.end };
}

type FieldToken = Extract<Token, { t: 'field' }>;

function term(t: FieldToken): QueryNode {
  const field = fieldByName(t.name);
  if (!field) {
    throw new QueryError(
      `unknown field "${t.name}"; known fields: ${FIELDS.map((f) => f.name).join(', ')} (or their ECS names). ` +
        'To search for text with a colon in it, put it in quotes.',
      t.start, t.nameEnd,
    );
  }
  const valueSpan = { start: t.valueStart, end: t.end };
  const value = t.value;
  if (value === '') throw new QueryError(`${t.name}${t.op} needs a value`, t.start, t.end);
  const node = (test: Test): TermNode => ({ kind: 'term', field: field.name, test, start: t.start, end: t.end });
  if (t.op === '!=') {
    const inner = node(equalsTest(field, value, t.quoted, valueSpan));
    return { kind: 'not', child: inner, start: t.start, end: t.end };
  }
  if (t.op === ':') return node(equalsTest(field, value, t.quoted, valueSpan));
  if (field.type !== 'number') {
    const hint = field.type === 'ip' ? ` (for a range of addresses use a network: ${field.name}:10.0.0.0/8)` : '';
    throw new QueryError(`${t.op} compares numbers, and ${t.name} is not a number field${hint}`, t.start, t.end);
  }
  const n = numberOf(value);
  if (n === undefined) throw new QueryError(`${t.name}${t.op} needs a number, not "${value}"`, valueSpan.start, valueSpan.end);
  return node({ type: 'compare', op: t.op as '>' | '>=' | '<' | '<=', value: n });
}

function numberOf(text: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

function equalsTest(field: FieldDescriptor, raw: string, quoted: boolean, at: Span): Test {
  const value = field.normalize === 'upper' ? raw.toUpperCase() : field.normalize === 'lower' ? raw.toLowerCase() : raw;
  const wildcard = !quoted && value.includes('*');
  switch (field.type) {
    case 'text':
      return wildcard ? { type: 'pattern', pattern: value } : { type: 'equals', value };
    case 'number': {
      if (wildcard && /^[\d*]+$/.test(value)) return { type: 'digits', pattern: value };
      const n = numberOf(value);
      if (n === undefined) throw new QueryError(`${field.name} is a number field: "${value}" is not a number`, at.start, at.end);
      return { type: 'compare', op: '=', value: n };
    }
    case 'ip': {
      if (value.includes('/')) {
        const cidr = parseCidr(value);
        if (!cidr) throw new QueryError(`"${value}" is not a network: write an address, a slash and a prefix length (10.0.0.0/8, 2001:db8::/32)`, at.start, at.end);
        return { type: 'cidr', cidr };
      }
      if (wildcard) {
        if (!/^[0-9A-Fa-f.:*]+$/.test(value)) throw new QueryError(`"${value}" is not an address pattern (10.0.*)`, at.start, at.end);
        return { type: 'pattern', pattern: value };
      }
      if (!parseIp(value)) throw new QueryError(`"${value}" is not an IP address`, at.start, at.end);
      return { type: 'ip', value };
    }
    case 'level':
      if (!isLevel(value)) throw new QueryError(`"${value}" is not a level; levels: ${LEVELS.join(', ')}`, at.start, at.end);
      return { type: 'level', level: value };
    case 'source':
      if (/^\d+$/.test(value)) return { type: 'id', id: Number(value) };
      return wildcard ? { type: 'pattern', pattern: value } : { type: 'equals', value };
    case 'category':
      if (wildcard) return { type: 'pattern', pattern: value };
      if (!IP_CLASSES.includes(value)) throw new QueryError(`"${value}" is not an address class; classes: ${IP_CLASSES.join(', ')}`, at.start, at.end);
      return { type: 'equals', value };
    case 'alert':
      if (!/^\d{1,15}$/.test(value) || Number(value) === 0) throw new QueryError(`alert: takes an alert's number, not "${value}"`, at.start, at.end);
      return { type: 'id', id: Number(value) };
    default:
      return assertNever(field.type);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${String(x)}`);
}
