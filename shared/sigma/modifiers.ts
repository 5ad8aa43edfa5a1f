/**
 * Turns one `field|modifiers: values` entry into a leaf test, checking that the modifiers exist
 * and make sense together (https://sigmahq.io/docs/basics/modifiers.html). Anything Loupe cannot
 * honour exactly is a RuleError, so the rule is reported as skipped rather than run wrongly.
 */
import { base64, base64Offsets, utf16, utf8, type Bytes } from './encode.ts';
import { fieldSlot, type FieldRef } from './fields.ts';
import { parseCidr, type Cidr } from './ip.ts';
import { compilePattern, isPlain, literal, parsePattern, patternSource, patternText, plainText, windash, wrap, type Part } from './pattern.ts';
import { RuleError, type FieldSpec, type Scalar } from './types.ts';

export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte';
export type Position = 'eq' | 'contains' | 'startswith' | 'endswith';

export type Check =
  | { kind: 'pattern'; parts: Part[]; cased: boolean; test: (text: string) => boolean; text: string }
  | { kind: 're'; re: RegExp; text: string }
  | { kind: 'cidr'; net: Cidr; text: string }
  /** `iplist`: the address is on an imported list whose name matches (a pattern, case-insensitive). */
  | { kind: 'iplist'; parts: Part[]; test: (foldedName: string) => boolean; text: string }
  | { kind: 'cmp'; op: CompareOp; n: number; text: string }
  | { kind: 'null'; text: string }
  | { kind: 'fieldref'; other: FieldRef; otherSlot: number; position: Position; cased: boolean; text: string };

/** One entry of a search identifier, ready to run. */
export interface Leaf {
  /** The entry's key as written (`cs-uri-query|contains`), or `keywords`. */
  key: string;
  /** Field name as written, or null for keywords (matched over the whole line). */
  field: string | null;
  ref: FieldRef;
  /** `fieldSlot(ref)`, computed once. */
  slot: number;
  /** `exists` test instead of values. */
  exists?: boolean;
  /** Per value of the rule, its alternatives (base64offset gives three). */
  values: Check[][];
  /** `all`: every value must match (default: any). */
  all: boolean;
  /** `neq`: the field is present and differs from the value. */
  neq: boolean;
  /**
   * For a leaf whose values are all patterns of one casing (and not `all` or `neq`): one regular
   * expression for all of them. V8 runs an alternation of many literals far faster than as many
   * `includes` calls, and rules list dozens of them.
   */
  union?: { re: RegExp; cased: boolean };
}

const POSITIONS = new Set(['contains', 'startswith', 'endswith']);
const COMPARE = new Set(['lt', 'lte', 'gt', 'gte']);
const UTF16 = new Set(['utf16le', 'wide', 'utf16be', 'utf16']);
const UNSUPPORTED: Record<string, string> = {
  expand: 'placeholders need value lists from a processing pipeline, which Loupe does not have',
  minute: 'time-part modifiers are not supported', hour: 'time-part modifiers are not supported',
  day: 'time-part modifiers are not supported', week: 'time-part modifiers are not supported',
  month: 'time-part modifiers are not supported', year: 'time-part modifiers are not supported',
};

interface Mods {
  position?: 'contains' | 'startswith' | 'endswith';
  encoding?: 'base64' | 'base64offset';
  utf?: string;
  re?: string;
  compare?: CompareOp;
  windash: boolean; all: boolean; cased: boolean; neq: boolean; exists: boolean; fieldref: boolean; cidr: boolean;
  iplist: boolean;
}

function readModifiers(key: string, modifiers: readonly string[]): Mods {
  const m: Mods = { windash: false, all: false, cased: false, neq: false, exists: false, fieldref: false, cidr: false, iplist: false };
  const fail = (why: string): never => {
    throw new RuleError(`"${key}": ${why}`);
  };
  for (const mod of modifiers) {
    if (POSITIONS.has(mod)) {
      if (m.position) fail(`"${mod}" cannot follow "${m.position}"`);
      m.position = mod as 'contains' | 'startswith' | 'endswith';
    } else if (mod === 'base64' || mod === 'base64offset') {
      if (m.encoding) fail(`"${mod}" cannot follow "${m.encoding}"`);
      if (m.position || m.windash) fail(`"${mod}" must come before contains/startswith/endswith and windash`);
      m.encoding = mod;
    } else if (UTF16.has(mod)) {
      if (m.encoding) fail(`"${mod}" must come before ${m.encoding}`);
      m.utf = mod;
    } else if (mod === 're') {
      m.re = '';
    } else if (mod === 'i' || mod === 'm' || mod === 's') {
      if (m.re === undefined) fail(`"${mod}" is a sub-modifier of "re" and must follow it`);
      m.re += mod;
    } else if (COMPARE.has(mod)) {
      if (m.compare) fail(`"${mod}" cannot follow "${m.compare}"`);
      m.compare = mod as CompareOp;
    } else if (mod === 'windash') m.windash = true;
    else if (mod === 'all') m.all = true;
    else if (mod === 'cased') m.cased = true;
    else if (mod === 'neq') m.neq = true;
    else if (mod === 'exists') m.exists = true;
    else if (mod === 'fieldref') m.fieldref = true;
    else if (mod === 'cidr') m.cidr = true;
    else if (mod === 'iplist') m.iplist = true;
    else if (Object.hasOwn(UNSUPPORTED, mod)) fail(`modifier "${mod}" is not supported: ${UNSUPPORTED[mod]}`);
    else fail(`unknown modifier "${mod}"`);
  }
  if (m.utf && !m.encoding) fail(`"${m.utf}" only works with base64 or base64offset (Loupe matches text, not bytes)`);
  const kinds = [m.re !== undefined && 're', m.cidr && 'cidr', m.iplist && 'iplist', m.compare, m.exists && 'exists', m.fieldref && 'fieldref', m.encoding]
    .filter((k): k is string => typeof k === 'string');
  if (kinds.length > 1) fail(`"${kinds.join('" and "')}" cannot be combined`);
  const kind = kinds[0];
  if (kind !== undefined && kind !== 'fieldref' && kind !== 'base64' && kind !== 'base64offset' && (m.position || m.windash)) {
    fail(`"${kind}" cannot be combined with contains/startswith/endswith or windash`);
  }
  if (m.fieldref && m.windash) fail('"fieldref" cannot be combined with windash');
  if (m.iplist && m.cased) fail('"iplist" compares list names, always without case; "cased" does not apply');
  if ((m.exists || m.compare) && (m.neq || m.all)) fail(`"${kind}" cannot be combined with neq or all`);
  return m;
}

export type ResolveField = (name: string) => FieldRef | { error: string };

export function buildLeaf(spec: FieldSpec, resolve: ResolveField): Leaf {
  const key = [spec.field ?? '', ...spec.modifiers].join('|') || 'keywords';
  const fail = (why: string): never => {
    throw new RuleError(`"${key}": ${why}`);
  };
  const m = readModifiers(key, spec.modifiers);
  const keywords = spec.field === null;
  let ref: FieldRef;
  if (keywords) {
    if (m.exists || m.fieldref || m.cidr || m.iplist || m.compare || m.neq) fail('keywords take only pattern modifiers');
    ref = { name: 'keywords', column: 'raw' };
  } else {
    const r = resolve(spec.field as string);
    if ('error' in r) fail(r.error);
    ref = r as FieldRef;
  }
  if (spec.values.length === 0) fail('no values');
  const leaf: Leaf = { key, field: spec.field, ref, slot: fieldSlot(ref), values: [], all: m.all, neq: m.neq };
  if (m.exists) {
    const v = spec.values[0];
    if (spec.values.length !== 1 || typeof v !== 'boolean') fail('exists takes true or false');
    leaf.exists = v as boolean;
    return leaf;
  }
  leaf.values = spec.values.map((v) => buildChecks(v, m, keywords, resolve, fail));
  const checks = leaf.values.flat();
  const cased = checks[0]?.kind === 'pattern' && checks[0].cased;
  if (!leaf.all && !leaf.neq && checks.length > 1 && checks.every((c) => c.kind === 'pattern' && c.cased === cased)) {
    const sources = checks.map((c) => (c.kind === 'pattern' ? patternSource(c.parts, c.cased) : ''));
    leaf.union = { re: new RegExp(sources.map((src) => `(?:${src})`).join('|'), 'su'), cased };
  }
  return leaf;
}

function buildChecks(v: Scalar, m: Mods, keywords: boolean, resolve: ResolveField, fail: (why: string) => never): Check[] {
  if (v === null) {
    if (m.position || m.encoding || m.re !== undefined || m.cidr || m.iplist || m.compare || m.fieldref || m.windash || keywords) {
      fail('null cannot be combined with modifiers or used as a keyword');
    }
    return [{ kind: 'null', text: 'null' }];
  }
  const text = String(v);
  if (m.re !== undefined) {
    try {
      return [{ kind: 're', re: new RegExp(text, m.re), text }];
    } catch (err) {
      return fail(`invalid regular expression /${text}/: ${(err as Error).message}`);
    }
  }
  if (m.cidr) {
    const net = parseCidr(text);
    return net ? [{ kind: 'cidr', net, text }] : fail(`"${text}" is not an IPv4 or IPv6 network`);
  }
  if (m.iplist) {
    // Loupe's own modifier: `source.ip|iplist: firehol_level1` (or `'*'`, any imported list).
    const parts = typeof v === 'string' ? parsePattern(v) : literal(text);
    if (text.trim() === '') fail('iplist needs a list name (or * for any list)');
    return [{ kind: 'iplist', parts, test: compilePattern(parts, false), text }];
  }
  if (m.compare) {
    const n = typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
    return n === undefined ? fail(`${m.compare} needs a number, got "${text}"`) : [{ kind: 'cmp', op: m.compare, n, text }];
  }
  if (m.fieldref) {
    const other = resolve(text);
    if ('error' in other) return fail(`fieldref: ${other.error}`);
    return [{ kind: 'fieldref', other, otherSlot: fieldSlot(other), position: m.position ?? 'eq', cased: m.cased, text }];
  }
  let variants: Part[][];
  let cased = m.cased;
  if (m.encoding) {
    const parts = typeof v === 'string' ? parsePattern(v) : literal(text);
    if (!isPlain(parts)) fail(`${m.encoding} needs a plain value without wildcards`);
    const plain = plainText(parts);
    const bytes: Bytes = m.utf === 'utf16be' ? utf16(plain, 'be') : m.utf === 'utf16' ? utf16(plain, 'le', true)
      : m.utf ? utf16(plain, 'le') : utf8(plain);
    variants = (m.encoding === 'base64' ? [base64(bytes)] : base64Offsets(bytes)).map(literal);
    // Base64 text is case-sensitive by nature; folding it would match unrelated text.
    cased = true;
  } else {
    variants = [typeof v === 'string' ? parsePattern(v) : literal(text)];
  }
  if (m.windash) variants = variants.map(windash);
  const position = m.position ?? (keywords ? 'contains' : undefined);
  if (position) variants = variants.map((p) => wrap(p, position));
  return variants.map((parts) => ({
    kind: 'pattern', parts, cased, test: compilePattern(parts, cased), text: m.encoding ? patternText(parts) : text,
  }));
}
