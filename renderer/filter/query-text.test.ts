import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../shared/query/parse.ts';
import { andClause, entityClause, fieldClause } from './query-text.ts';

/** The one term a clause parses to. */
function term(query: string) {
  const node = parseQuery(query);
  if (node?.kind !== 'term') throw new Error(`${query} is not one term: ${JSON.stringify(node)}`);
  return node;
}

const HOSTILE_TEXT = [
  'alice', 'root', '<b>mallory</b>', 'a b', 'say "hi"', 'back\\slash', 'tab\there', 'and', 'OR', 'not',
  '(x)', 'a*b', '*', '-x', 'x:y', 'https://example.test/a?b=c&d', 'status>=400', 'ünïcødé', '\x1b[31mred',
  "it's", '', ' ',
].filter((v) => v !== '');

describe('filter-to-value clauses', () => {
  it('select exactly the value, whatever it holds', () => {
    for (const value of HOSTILE_TEXT) {
      for (const field of ['user', 'url', 'ua', 'host', 'referrer']) {
        expect(term(fieldClause(field, value)).test, `${field} = ${JSON.stringify(value)}`).toEqual({ type: 'equals', value });
      }
    }
  });

  it('select an address exactly, IPv4 or IPv6', () => {
    for (const ip of ['203.0.113.7', '2001:db8::1', '::1', 'fe80::1']) {
      expect(term(fieldClause('src', ip)).test).toEqual({ type: 'ip', value: ip });
      expect(term(entityClause('ip', ip)).test).toEqual({ type: 'ip', value: ip });
    }
  });

  it('select a number field by its value', () => {
    expect(term(fieldClause('status', '404')).test).toEqual({ type: 'compare', op: '=', value: 404 });
  });

  it('narrow a query without changing what it meant', () => {
    expect(andClause('', 'user:root')).toBe('user:root');
    expect(andClause('sshd', 'user:root')).toBe('sshd and user:root');
    expect(andClause('dataset:sudo status>=400', 'user:root')).toBe('dataset:sudo status>=400 and user:root');
    expect(andClause('a or b', 'user:root')).toBe('(a or b) and user:root');
    expect(andClause('(a', 'user:root')).toBe('((a) and user:root');
    const narrowed = parseQuery(andClause('a or b', 'user:root'));
    expect(narrowed?.kind).toBe('and');
    if (narrowed?.kind === 'and') expect(narrowed.children.map((c) => c.kind)).toEqual(['or', 'term']);
  });
});
