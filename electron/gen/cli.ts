import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { DEFAULT_DAYS, DEFAULT_START, GenerateError, generateScenario, isScenario, minimumLines } from './generate.ts';
import { SCENARIOS } from './types.ts';

const USAGE = `Usage: npm run gen -- --scenario NAME --lines N --out DIR [--seed S] [--start ISO] [--days D]

Writes synthetic logs mixing benign traffic and attacks, plus DIR/ground-truth.json saying which
actor wrote which lines.

  --scenario NAME  web    access.log (Apache combined)
                   auth   auth.log and syslog (Debian, RFC 3164)
                   mixed  all three, with the same actors
  --lines N        total lines over the scenario's files (web: ≥ ${minimumLines('web')}, auth: ≥ ${minimumLines('auth')}, mixed: ≥ ${minimumLines('mixed')})
  --out DIR        output folder, created when missing
  --seed S         integer 0–4294967295 (default 1); the same seed gives the same bytes
  --start ISO      first timestamp (default ${DEFAULT_START})
  --days D         length of the period in days, 1–366 (default ${DEFAULT_DAYS})
  --help           this text
`;

class UsageError extends Error {}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' }, lines: { type: 'string' }, out: { type: 'string' },
        seed: { type: 'string' }, start: { type: 'string' }, days: { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const { scenario, out } = values;
    if (scenario === undefined) throw new UsageError(`--scenario is required (${SCENARIOS.join(', ')})`);
    if (!isScenario(scenario)) throw new UsageError(`unknown scenario "${scenario}"; expected one of ${SCENARIOS.join(', ')}`);
    const lines = integer('lines', values.lines);
    if (lines === undefined) throw new UsageError('--lines is required');
    if (out === undefined) throw new UsageError('--out is required');
    let days: number | undefined;
    if (values.days !== undefined) {
      days = Number(values.days);
      if (values.days.trim() === '' || Number.isNaN(days)) throw new UsageError(`--days must be a number, got "${values.days}"`);
    }
    const began = performance.now();
    const truth = await generateScenario({
      scenario, lines, outDir: resolve(out), seed: integer('seed', values.seed) ?? 1,
      ...(values.start === undefined ? {} : { start: values.start }),
      ...(days === undefined ? {} : { days }),
    });
    const seconds = (performance.now() - began) / 1000;
    const attackers = truth.actors.filter((a) => a.kind === 'attacker').length;
    const files = Object.entries(truth.lines).map(([name, count]) => `${name} ${count}`).join(', ');
    process.stdout.write(`${truth.scenario}: ${files}; ${attackers} attackers, ${truth.actors.length - attackers} ` +
      `benign actors; ${seconds.toFixed(1)} s (${Math.round(lines / seconds).toLocaleString('en-US')} lines/s) → ${resolve(out)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof GenerateError) return fail(error.message);
    // File system errors (EACCES, ENOSPC…) say what went wrong in their message; no stack needed.
    if (error instanceof Error && 'code' in error) {
      process.stderr.write(`gen: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function fail(message: string): number {
  process.stderr.write(`gen: ${message}\nRun with --help for usage.\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
