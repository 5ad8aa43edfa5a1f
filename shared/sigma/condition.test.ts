import { describe, expect, it } from 'vitest';
import { parseAggregation, parseCondition } from './condition.ts';
import { detectionFrom, zeekEvent, zeekRule } from './test-support.ts';

/** A rule with selections a: f=a, b: f=b, c: g=c, _hidden: h=x, filter_1/filter_2 and the condition. */
function ruleWith(condition: string) {
  return detectionFrom(zeekRule([
    'a: { f: a }', 'b: { f: b }', 'c: { g: c }', '_hidden: { h: x }',
    'filter_1: { k: one }', 'filter_2: { k: two }', `condition: ${condition}`,
  ].join('\n')));
}

function matches(condition: string, extra: Record<string, unknown>): boolean {
  return ruleWith(condition).match(zeekEvent(extra)) !== null;
}

describe('conditions', () => {
  it('and, or, not, with and binding tighter than or', () => {
    expect(matches('a or b and c', { f: 'a' })).toBe(true);
    expect(matches('a or b and c', { f: 'b' })).toBe(false);
    expect(matches('a or b and c', { f: 'b', g: 'c' })).toBe(true);
    expect(matches('(a or b) and c', { f: 'a' })).toBe(false);
    expect(matches('(a or b) and c', { f: 'a', g: 'c' })).toBe(true);
    expect(matches('a and not c', { f: 'a' })).toBe(true);
    expect(matches('a and not c', { f: 'a', g: 'c' })).toBe(false);
    expect(matches('not not a', { f: 'a' })).toBe(true);
    expect(matches('not (a or c)', { f: 'b' })).toBe(true);
    expect(matches('NOT a AND c', { g: 'c' })).toBe(true);
  });

  it('1 of and all of a pattern', () => {
    expect(matches('1 of filter_*', { k: 'two' })).toBe(true);
    expect(matches('1 of filter_*', { k: 'three' })).toBe(false);
    expect(matches('all of filter_*', { k: 'two' })).toBe(false);
    expect(matches('c and not 1 of filter*', { g: 'c', k: 'one' })).toBe(false);
    expect(matches('c and not 1 of filter*', { g: 'c' })).toBe(true);
  });

  it('1 of them and all of them leave out identifiers starting with _', () => {
    expect(matches('1 of them', { h: 'x' })).toBe(false);
    expect(matches('1 of them', { g: 'c' })).toBe(true);
    expect(matches('all of them', { f: 'a', g: 'c', k: 'one' })).toBe(false);
    const all = detectionFrom(zeekRule('a: { f: a }\nc: { g: c }\n_x: { h: never }\ncondition: all of them'));
    expect(all.match(zeekEvent({ f: 'a', g: 'c' }))).not.toBeNull();
  });

  it('says which identifiers held and what matched', () => {
    const d = ruleWith('(a or b) and c and not filter_1');
    expect(d.match(zeekEvent({ f: 'A', g: 'c' }))).toEqual({
      selections: ['a', 'c'],
      values: [{ field: 'f', value: 'A' }, { field: 'g', value: 'c' }],
    });
  });

  it('refuses conditions it cannot read, or that name nothing', () => {
    expect(() => ruleWith('a and')).toThrow(/ends too early/);
    expect(() => ruleWith('(a or b')).toThrow(/"\(" is not closed/);
    expect(() => ruleWith('a b')).toThrow(/unexpected "b"/);
    expect(() => ruleWith('selection')).toThrow(/refers to "selection", which is not a search identifier/);
    expect(() => ruleWith('1 of sel*')).toThrow(/"sel\*" matches no search identifier/);
    expect(() => ruleWith('any of them')).toThrow(/expected "1 of" or "all of"/);
  });

  it('parses the tree with precedence or < and < not < of < ()', () => {
    expect(parseCondition('a or not b and 1 of c*')).toEqual({
      op: 'or', args: [{ op: 'ref', name: 'a' }, { op: 'and', args: [{ op: 'not', arg: { op: 'ref', name: 'b' } }, { op: 'of', count: 1, pattern: 'c*' }] }],
    });
    expect(parseCondition('all of them')).toEqual({ op: 'of', count: null, pattern: null });
    expect(parseCondition('2 of sel*')).toEqual({ op: 'of', count: 2, pattern: 'sel*' });
  });

  it('at least N of a pattern', () => {
    const d = detectionFrom(zeekRule('s1: { a: 1 }\ns2: { b: 1 }\ns3: { c: 1 }\ncondition: 2 of s*'));
    expect(d.match(zeekEvent({ a: 1 }))).toBeNull();
    expect(d.match(zeekEvent({ a: 1, c: 1 }))).not.toBeNull();
  });

  it('a list of conditions is their OR', () => {
    const d = detectionFrom(zeekRule('a: { f: a }\nb: { f: b }\ncondition:\n  - a\n  - b'));
    expect(d.match(zeekEvent({ f: 'b' }))).not.toBeNull();
  });
});

describe('legacy aggregations', () => {
  it('reads count(), count(field), by, and the comparison', () => {
    expect(parseAggregation('count() by c-ip > 10')).toEqual({ field: null, groupBy: ['c-ip'], condition: { gt: 10 } });
    expect(parseAggregation('count(user.name) by source.ip, host.name >= 5')).toEqual({
      field: 'user.name', groupBy: ['source.ip', 'host.name'], condition: { gte: 5 },
    });
    expect(parseAggregation('count() < 3')).toEqual({ field: null, groupBy: [], condition: { lt: 3 } });
    expect(() => parseAggregation('near selection2')).toThrow(/"near" aggregation is not supported/);
    expect(() => parseAggregation('max(bytes) by ip > 3')).toThrow(/aggregation "max" is not supported/);
    expect(() => parseAggregation('count() by ip')).toThrow(/cannot read the aggregation/);
  });
});
