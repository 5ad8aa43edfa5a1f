import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedEvent } from '../../shared/event.ts';
import { UNPARSED } from '../../shared/event.ts';
import { formatById } from '../../shared/parse/registry.ts';
import type { ParseContext } from '../../shared/parse/types.ts';

/**
 * Golden cases: `resources/golden/<format-id>/<case>.log` is parsed with that format and compared
 * with `<case>.jsonl` (one normalised JSON object per input line). An optional `<case>.json`
 * sets `timezone` and `referenceTime` (ISO); the defaults are UTC and 2026-06-30T00:00:00Z.
 */
export const GOLDEN_DIR = new URL('../../resources/golden/', import.meta.url).pathname;

export interface GoldenCase {
  formatId: string;
  name: string;
  logPath: string;
  expectedPath: string;
  ctx: ParseContext;
  /** False when the case shows lines the format must reject, so detection is not asserted. */
  detect: boolean;
}

export function listGoldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const formatId of readdirSync(GOLDEN_DIR).sort()) {
    const dir = join(GOLDEN_DIR, formatId);
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.log')) continue;
      const name = file.slice(0, -4);
      const ctxPath = join(dir, `${name}.json`);
      const opts = existsSync(ctxPath)
        ? (JSON.parse(readFileSync(ctxPath, 'utf8')) as { timezone?: string; referenceTime?: string; detect?: boolean })
        : {};
      cases.push({
        formatId, name,
        logPath: join(dir, file),
        expectedPath: join(dir, `${name}.jsonl`),
        ctx: {
          timezone: opts.timezone ?? 'UTC',
          referenceTime: Date.parse(opts.referenceTime ?? '2026-06-30T00:00:00Z'),
        },
        detect: opts.detect ?? true,
      });
    }
  }
  return cases;
}

export function goldenLines(c: GoldenCase): string[] {
  const lines = readFileSync(c.logPath, 'utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Parses a golden case and renders one stable JSON line per input line. */
export function renderGolden(c: GoldenCase): string {
  const format = formatById(c.formatId);
  if (!format) throw new Error(`golden folder ${c.formatId}: no such format`);
  const parser = format.create(c.ctx);
  const out = goldenLines(c).map((line, i) => JSON.stringify(normalise(i + 1, parser.parse(line))));
  const assumptions = parser.assumptions?.() ?? [];
  if (assumptions.length > 0) out.push(JSON.stringify({ assumptions }));
  return out.join('\n') + '\n';
}

function normalise(n: number, e: ParsedEvent | null): Record<string, unknown> {
  if (e === null) return { n, dataset: UNPARSED };
  const { ts, dataset, extra, ...fields } = e;
  const row: Record<string, unknown> = { n, dataset, ts: ts === null ? null : new Date(ts).toISOString() };
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key as keyof typeof fields];
    if (value !== undefined) row[key] = value;
  }
  if (extra && Object.keys(extra).length > 0) row['extra'] = extra;
  return row;
}
