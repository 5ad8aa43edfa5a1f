import { describe, expect, it } from 'vitest';
import { EventCache } from './event-cache.ts';
import type { MatchEvent } from './event-fields.ts';
import { detectionFrom, zeekRule } from './test-support.ts';

const ev = (id: number, f: unknown): MatchEvent => ({ id, ts: 0, dataset: 'zeek.test', extra: { f } });

describe('the per-scan event cache', () => {
  it('gives the same answers as a fresh cache, for repeated and for ever-new values', () => {
    const a = detectionFrom(zeekRule("s:\n  f|contains: ['admin', 'root', 'Ünï']\ncondition: s"));
    const b = detectionFrom(zeekRule("s:\n  f|re: '^u\\d+7$'\ncondition: s"));
    const values = [
      ...Array.from({ length: 60_000 }, (_, i) => `u${i}`),
      ...Array.from({ length: 20_000 }, (_, i) => ['ADMIN', 'guest', 'xrootx', 'ünï', 'u17', 42][i % 6]),
    ];
    const shared = new EventCache(ev(0, ''));
    let differences = 0;
    values.forEach((v, i) => {
      const e = ev(i + 1, v);
      shared.reset(e);
      for (const d of [a, b]) {
        if ((d.matchInScope(e, shared) === null) !== (d.match(e) === null)) differences++;
      }
    });
    expect(differences).toBe(0);
  });

  it('answers tests first met after a value was first seen', () => {
    const cache = new EventCache(ev(1, 'needle'));
    const first = detectionFrom(zeekRule('s:\n  f|contains: need\ncondition: s'));
    expect(first.matchInScope(ev(1, 'needle'), cache.reset(ev(1, 'needle')))).not.toBeNull();
    const later = detectionFrom(zeekRule('s:\n  f|endswith: dle\ncondition: s'));
    expect(later.matchInScope(ev(2, 'needle'), cache.reset(ev(2, 'needle')))).not.toBeNull();
    expect(later.matchInScope(ev(3, 'needles'), cache.reset(ev(3, 'needles')))).toBeNull();
  });
});
