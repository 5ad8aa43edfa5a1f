import { describe, expect, it } from 'vitest';
import type { AlertDto, HistogramDto } from '../../shared/ipc/contract.ts';
import { alertMarks, toBars } from './chart-data.ts';

const histogram = (buckets: HistogramDto['buckets']): HistogramDto => ({
  from: 0, to: 600_000, bucketMs: 60_000, series: ['apache.access', 'sshd'], buckets, total: 0, untimed: 0,
});

function alert(first: number | null, level: AlertDto['rule']['level']): AlertDto {
  return {
    id: 1, rule: { id: 'r', version: null, kind: 'detection', title: 'rule', level, author: null, tags: [] },
    entity: { type: 'ip', value: '203.0.113.7' }, first, last: first, firstEventId: 1, count: 1, status: 'open',
    note: null, why: null, createdAt: 0, updatedAt: 0,
  };
}

describe('timeline bars', () => {
  it('fill the buckets the engine left out, so time runs evenly', () => {
    const bars = toBars(histogram([{ start: 0, counts: [3, 1] }, { start: 180_000, counts: [0, 2] }]));
    expect(bars).toEqual([
      { start: 0, s0: 3, s1: 1 },
      { start: 60_000, s0: 0, s1: 0 },
      { start: 120_000, s0: 0, s1: 0 },
      { start: 180_000, s0: 0, s1: 2 },
    ]);
  });

  it('put each alert on the bar of its first event, one mark per bar and level, the most severe on top', () => {
    const bars = toBars(histogram([{ start: 0, counts: [1, 0] }, { start: 120_000, counts: [1, 0] }]));
    const marks = alertMarks([
      alert(130_000, 'critical'), alert(179_999, 'medium'), alert(125_000, 'critical'),
      alert(5_000, 'low'), alert(null, 'high'), alert(999_000, 'high'),
    ], bars, 60_000);
    expect(marks).toEqual([
      { at: 0, level: 'low', count: 1 },
      { at: 120_000, level: 'medium', count: 1 },
      { at: 120_000, level: 'critical', count: 2 },
    ]);
  });
});
