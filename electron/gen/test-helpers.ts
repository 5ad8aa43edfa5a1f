import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from './generate.ts';
import type { GenerateOptions, GroundTruth, GroundTruthActor, LogFileName } from './types.ts';

/** Shapes the tests hold every line to: Apache combined and RFC 3164 as Debian writes them. */
export const COMBINED = /^(\S+) - (\S+) \[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000\] "([A-Z]+) (\S+) HTTP\/1\.1" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/;
export const SYSLOG = /^(\w{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) web01 ([\w./-]+)(?:\[(\d+)\])?: (.+)$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** UTC ms of a parsed line; syslog lines take the year from `year`. */
export function lineTime(file: LogFileName, line: string, year = 2026): number {
  if (file === 'access.log') {
    const m = COMBINED.exec(line);
    if (!m) throw new Error(`not combined: ${line}`);
    return Date.UTC(Number(m[5]), MONTHS.indexOf(m[4] as string), Number(m[3]), Number(m[6]), Number(m[7]), Number(m[8]));
  }
  const m = SYSLOG.exec(line);
  if (!m) throw new Error(`not syslog: ${line}`);
  return Date.UTC(year, MONTHS.indexOf(m[1] as string), Number((m[2] as string).trim()), Number(m[3]), Number(m[4]), Number(m[5]));
}

export interface Generated {
  dir: string;
  truth: GroundTruth;
  text: Partial<Record<LogFileName, string>>;
  lines: Partial<Record<LogFileName, string[]>>;
  cleanup: () => void;
}

export async function generateInTemp(options: Omit<GenerateOptions, 'outDir'>): Promise<Generated> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-gen-'));
  const truth = await generateScenario({ ...options, outDir: dir });
  const text: Generated['text'] = {};
  const lines: Generated['lines'] = {};
  for (const name of Object.keys(truth.lines) as LogFileName[]) {
    const content = readFileSync(join(dir, name), 'latin1');
    text[name] = content;
    lines[name] = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
  }
  return { dir, truth, text, lines, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function attackers(truth: GroundTruth): GroundTruthActor[] {
  return truth.actors.filter((a) => a.kind === 'attacker');
}

export function benign(truth: GroundTruth): GroundTruthActor[] {
  return truth.actors.filter((a) => a.kind === 'benign');
}

/** Largest number of `times` (ms, any order) inside any window of `window` ms. */
export function densest(times: number[], window: number): number {
  const sorted = times.slice().sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[from] as number) >= window) from++;
    best = Math.max(best, i - from + 1);
  }
  return best;
}
