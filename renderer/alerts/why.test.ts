import { describe, expect, it } from 'vitest';
import { parseWhy, thresholdText } from './why.ts';

describe('parseWhy', () => {
  it('reads a detection: condition, selections and the values per field', () => {
    const why = parseWhy({
      kind: 'detection', condition: '1 of selection_*', selections: ['selection_tags'],
      matches: [{ field: 'cs-uri', values: ['/search?q=<script>alert(1)</script>'] }, { field: null, values: ['union select'] }],
    });
    expect(why).toEqual({
      kind: 'detection', condition: '1 of selection_*', selections: ['selection_tags'],
      matches: [{ field: 'cs-uri', values: ['/search?q=<script>alert(1)</script>'] }, { field: null, values: ['union select'] }],
    });
  });

  it('reads a correlation: bounds, group, count and the rules behind it', () => {
    const why = parseWhy({
      kind: 'correlation', type: 'event_count', timespan: '10m', condition: { gte: 10 },
      groupBy: { 'source.ip': '203.0.113.7' }, count: 57,
      rules: [{ id: 'r1', title: 'SSH login failure', selections: ['selection'], matches: [] }],
    });
    expect(why).toMatchObject({
      kind: 'correlation', bounds: [{ op: '≥', value: 10 }], field: null, count: 57,
      groupBy: [{ field: 'source.ip', value: '203.0.113.7' }], values: [],
      rules: [{ id: 'r1', title: 'SSH login failure', selections: ['selection'], matches: [] }],
    });
    if (why.kind !== 'correlation') throw new Error('not a correlation');
    expect(thresholdText(why)).toBe('≥ 10 matching events within 10m');
  });

  it('says what a value_count counts, and a whole-case span', () => {
    const why = parseWhy({ kind: 'correlation', type: 'value_count', timespan: 'whole case', condition: { gt: 4, field: 'user.name' }, groupBy: {}, count: 9, values: ['a', 'b'] });
    if (why.kind !== 'correlation') throw new Error('not a correlation');
    expect(thresholdText(why)).toBe('> 4 distinct user.name values over the whole case');
    expect(why.values).toEqual(['a', 'b']);
  });

  it('never trusts the shape: odd values become text, unknown kinds are shown as JSON', () => {
    expect(parseWhy('plain')).toEqual({ kind: 'unknown', text: 'plain' });
    expect(parseWhy({ kind: 'other', x: 1 })).toEqual({ kind: 'unknown', text: '{\n  "kind": "other",\n  "x": 1\n}' });
    const odd = parseWhy({ kind: 'detection', condition: 5, selections: 'x', matches: [{ field: 3, values: [1, null] }, 'junk'] });
    expect(odd).toEqual({ kind: 'detection', condition: '5', selections: [], matches: [{ field: null, values: ['1', ''] }] });
  });
});
