/**
 * Sigma string values: wildcards `*` and `?`, backslash escapes, and the shapes modifiers give
 * them (https://sigmahq.io/docs/basics/rules.html, "Escaping"). A value becomes a list of parts that
 * both the JS matcher and the SQL prefilter read.
 */

export type Part =
  | { t: 'lit'; s: string }
  /** `*`: any run of characters, possibly empty. */
  | { t: 'any' }
  /** `?`: exactly one character (code point). */
  | { t: 'one' }
  /** One of these characters (what `windash` turns a dash into). */
  | { t: 'set'; chars: string };

/**
 * Parses a value as written in a rule. `\*` and `\?` are literal wildcards, `\\` is one backslash,
 * and a backslash before anything else is itself (so `C:\Windows` needs no doubling).
 */
export function parsePattern(value: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') parts.push({ t: 'lit', s: lit });
    lit = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        i++;
      } else {
        lit += c;
      }
    } else if (c === '*' || c === '?') {
      flush();
      parts.push(c === '*' ? { t: 'any' } : { t: 'one' });
    } else {
      lit += c;
    }
  }
  flush();
  return parts;
}

/** A plain string as one literal part (for values that carry no wildcards: numbers, encodings). */
export function literal(s: string): Part[] {
  return s === '' ? [] : [{ t: 'lit', s }];
}

export function isPlain(parts: readonly Part[]): boolean {
  return parts.every((p) => p.t === 'lit');
}

export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (p.t === 'lit' ? p.s : '')).join('');
}

export function wrap(parts: readonly Part[], position: 'contains' | 'startswith' | 'endswith'): Part[] {
  const any: Part = { t: 'any' };
  if (position === 'contains') return [any, ...parts, any];
  if (position === 'startswith') return [...parts, any];
  return [any, ...parts];
}

/** The characters Windows tools accept in place of a leading `-` (modifier `windash`). */
export const WINDASH_CHARS = '-/\u2013\u2014\u2015';

const WORD = /[A-Za-z0-9_]/;

/**
 * `windash`: a `-` or `/` that starts a word (not preceded by a word character, followed by one)
 * matches any of the dash characters. One character class covers every permutation of them.
 */
export function windash(parts: readonly Part[]): Part[] {
  // Flatten to single characters so neighbours across part boundaries are visible.
  const items: Part[] = [];
  for (const p of parts) {
    if (p.t === 'lit') for (const ch of p.s) items.push({ t: 'lit', s: ch });
    else items.push(p);
  }
  const isWord = (p: Part | undefined): boolean => p?.t === 'lit' && WORD.test(p.s);
  const out: Part[] = items.map((p, i) =>
    p.t === 'lit' && (p.s === '-' || p.s === '/') && !isWord(items[i - 1]) && isWord(items[i + 1])
      ? { t: 'set', chars: WINDASH_CHARS }
      : p);
  return merge(out);
}

function merge(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (p.t === 'lit' && last?.t === 'lit') out[out.length - 1] = { t: 'lit', s: last.s + p.s };
    else if (p.t === 'any' && last?.t === 'any') continue;
    else out.push(p);
  }
  return out;
}

/** The only characters outside ASCII that lower-case to ASCII (İ → i̇, the Kelvin sign → k). */
const TO_ASCII = /[\u0130\u212A]/;

/**
 * Case folding used on both sides when a rule is case-insensitive (the Sigma default). The two
 * characters that would fold to ASCII are kept as they are, so that folding agrees with SQLite's
 * LIKE, whose ASCII-only case folding the prefilter relies on.
 */
export function fold(s: string): string {
  if (!TO_ASCII.test(s)) return s.toLowerCase();
  return s.replace(/[^\u0130\u212A]+/g, (part) => part.toLowerCase());
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const escapeClass = (s: string): string => s.replace(/[\]\\^-]/g, '\\$&');

/** Regular expression source (flags `su`) matching exactly what the parts match; literals folded unless cased. */
export function patternSource(parts: readonly Part[], cased: boolean): string {
  const body = parts.map((p) => {
    switch (p.t) {
      case 'lit': return escapeRegex(cased ? p.s : fold(p.s));
      case 'any': return '.*';
      case 'one': return '.';
      case 'set': return `[${escapeClass(p.chars)}]`;
    }
  });
  // Leading and trailing `*` need no anchor, which also spares the engine a backtracking `.*`.
  const first = parts[0]?.t === 'any' ? 1 : 0;
  const last = parts.length > first && parts.at(-1)?.t === 'any' ? parts.length - 1 : parts.length;
  return `${first ? '' : '^'}${body.slice(first, last).join('')}${last < parts.length ? '' : '$'}`;
}

/**
 * A predicate over field text. Case-insensitive matchers expect the text already folded, so a
 * field is folded once however many values test it. Common shapes avoid regular expressions.
 */
export function compilePattern(input: readonly Part[], cased: boolean): (text: string) => boolean {
  const parts = merge(input.map((p) => (p.t === 'lit' && !cased ? { t: 'lit' as const, s: fold(p.s) } : p)));
  const lits = parts.filter((p) => p.t === 'lit').map((p) => p.s);
  const shape = parts.map((p) => (p.t === 'lit' ? 'L' : p.t === 'any' ? '*' : '?')).join('');
  const s = lits[0] ?? '';
  switch (shape) {
    case '': return (t) => t === '';
    case 'L': return (t) => t === s;
    case '*': return () => true;
    case '*L*': return (t) => t.includes(s);
    case 'L*': return (t) => t.startsWith(s);
    case '*L': return (t) => t.endsWith(s);
    default: break;
  }
  const re = new RegExp(patternSource(parts, true), 'su');
  return (t) => re.test(t);
}

/** The value as it reads in a rule, for explanations. */
export function patternText(parts: readonly Part[]): string {
  return parts.map((p) => {
    switch (p.t) {
      case 'lit': return p.s.replace(/[\\*?]/g, (c) => `\\${c}`);
      case 'any': return '*';
      case 'one': return '?';
      case 'set': return `[${p.chars}]`;
    }
  }).join('');
}

/**
 * A SQL LIKE pattern (ESCAPE '\') matching at least everything the parts match. LIKE folds ASCII
 * case only, so a non-ASCII character of a case-insensitive pattern becomes `%` (a wider net; the
 * JS matcher decides). `contains` widens an anchored pattern for text held inside JSON arrays.
 */
export function likePattern(parts: readonly Part[], cased: boolean, contains = false): string {
  const tokens: string[] = [];
  const any = (): void => {
    if (tokens.at(-1) !== '%') tokens.push('%');
  };
  if (contains) any();
  for (const p of parts) {
    switch (p.t) {
      case 'lit':
        for (const ch of p.s) {
          if (!cased && ch.charCodeAt(0) > 0x7f) any();
          else tokens.push(ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : ch);
        }
        break;
      case 'any': any(); break;
      case 'one': case 'set': tokens.push('_'); break;
    }
  }
  if (contains) any();
  return tokens.join('');
}
