import { describe, expect, it } from 'vitest';
import { Rng, Weighted } from './prng.ts';

describe('Rng', () => {
  it('repeats for a seed and differs between seeds and streams', () => {
    const draw = (rng: Rng): number[] => Array.from({ length: 8 }, () => rng.u32());
    expect(draw(new Rng(1))).toEqual(draw(new Rng(1)));
    expect(draw(new Rng(1))).not.toEqual(draw(new Rng(2)));
    expect(draw(new Rng(1, 'a'))).not.toEqual(draw(new Rng(1, 'b')));
  });

  it('forks independently of what the parent drew', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    for (let i = 0; i < 100; i++) b.next();
    expect(a.fork('x').u32()).toBe(b.fork('x').u32());
  });

  it('keeps draws in range and roughly uniform', () => {
    const rng = new Rng(3);
    const counts = [0, 0, 0, 0];
    let low = 1;
    let high = 0;
    for (let i = 0; i < 40_000; i++) {
      const x = rng.next();
      low = Math.min(low, x);
      high = Math.max(high, x);
      const r = rng.range(2, 5);
      counts[r - 2] = (counts[r - 2] ?? 0) + 1;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40_000);
    for (const c of counts) expect(c).toBeGreaterThan(9_000);
  });

  it('draws by weight', () => {
    const rng = new Rng(4);
    const table = new Weighted([['rare', 1], ['common', 9], ['never', 0]] as const);
    const seen = { rare: 0, common: 0, never: 0 };
    for (let i = 0; i < 10_000; i++) seen[table.draw(rng)]++;
    expect(seen.never).toBe(0);
    expect(seen.common / seen.rare).toBeGreaterThan(6);
  });
});
