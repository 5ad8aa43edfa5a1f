import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../shared/parse/detect.ts';
import { FORMATS } from '../../shared/parse/registry.ts';
import { goldenLines, listGoldenCases, renderGolden } from './golden.ts';

describe('golden parser output (regenerate with `npm run golden:update`)', () => {
  const cases = listGoldenCases();

  it.each(cases.map((c) => [`${c.formatId}/${c.name}`, c] as const))('%s', (_name, c) => {
    expect(renderGolden(c)).toBe(readFileSync(c.expectedPath, 'utf8'));
    if (c.detect) {
      const detection = detectFormat(FORMATS, goldenLines(c).slice(0, 200), c.ctx);
      expect(detection?.format.id).toBe(c.formatId);
    }
  });

  it('every format has golden cases and is registered from its module', () => {
    const modules = readdirSync(new URL('../../shared/parse/formats/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(FORMATS.length).toBe(modules.length);
    for (const format of FORMATS) {
      expect(cases.some((c) => c.formatId === format.id), `golden cases for ${format.id}`).toBe(true);
    }
  });
});
