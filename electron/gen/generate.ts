import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActorBook } from './actors.ts';
import { createAuthDriver } from './auth-benign.ts';
import { createCast } from './cast.ts';
import { DAY, isoSecond } from './clock.ts';
import { HostIds, HostLines, type HostContext } from './host.ts';
import { planIntrusion } from './intrusion.ts';
import { Rng } from './prng.ts';
import { planSshAttacks } from './ssh-attacks.ts';
import { createSyslogDriver, planPeriodic, systemActor } from './system.ts';
import { Timeline, type Driver, type Sink } from './timeline.ts';
import {
  FILES, SCENARIOS, type GenerateOptions, type GroundTruth, type LogFileName, type ScenarioName,
} from './types.ts';
import { planWebAttacks } from './web-attacks.ts';
import { createBrowsingDriver, planUptimeMonitor, type WebContext } from './web-benign.ts';

export type { GenerateOptions, GroundTruth, GroundTruthActor, ScenarioName } from './types.ts';

export const DEFAULT_START = '2026-11-20T00:00:00Z';
export const DEFAULT_DAYS = 3;
export const GROUND_TRUTH_FILE = 'ground-truth.json';

/** A request the generator cannot honour; the message is meant for the person who made it. */
export class GenerateError extends Error {
  override name = 'GenerateError';
}

/** Fewest lines per file that hold every attacker of that file with benign traffic around it. */
const FILE_MINIMUM: Record<LogFileName, number> = { 'access.log': 500, 'auth.log': 600, syslog: 150 };

/** How a scenario's lines divide between its files, before minimums are applied. */
const SHARES: Record<ScenarioName, readonly (readonly [LogFileName, number])[]> = {
  web: [[FILES.access, 1]],
  auth: [[FILES.auth, 0.65], [FILES.syslog, 0.35]],
  mixed: [[FILES.access, 0.75], [FILES.auth, 0.15], [FILES.syslog, 0.1]],
};

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

export function minimumLines(scenario: ScenarioName): number {
  return SHARES[scenario].reduce((sum, [file]) => sum + FILE_MINIMUM[file], 0);
}

/** Exact line counts per file, summing to `lines`; every file gets at least its minimum. */
export function splitLines(scenario: ScenarioName, lines: number): Sink[] {
  const shares = SHARES[scenario];
  const counts = shares.map(([file, share]) => Math.max(FILE_MINIMUM[file], Math.floor(lines * share)));
  // The first file is the largest share: it absorbs rounding and what the minimums took.
  counts[0] = lines - counts.slice(1).reduce((a, b) => a + b, 0);
  return shares.map(([name], i) => ({
    name, style: name === FILES.access ? 'apache' : 'syslog', target: counts[i] as number,
  }));
}

function validate(options: GenerateOptions): { start: number; end: number } {
  const { scenario, lines, seed } = options;
  if (!isScenario(scenario)) {
    throw new GenerateError(`unknown scenario "${String(scenario)}"; expected one of ${SCENARIOS.join(', ')}`);
  }
  if (!Number.isSafeInteger(lines) || lines <= 0) {
    throw new GenerateError(`lines must be a positive integer, got ${String(lines)}`);
  }
  const minimum = minimumLines(scenario);
  if (lines < minimum) {
    throw new GenerateError(`scenario ${scenario} needs at least ${minimum} lines to hold every attacker, got ${lines}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new GenerateError(`seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  }
  const startText = options.start ?? DEFAULT_START;
  const start = Date.parse(startText);
  if (Number.isNaN(start)) throw new GenerateError(`start is not an ISO 8601 date: "${startText}"`);
  const days = options.days ?? DEFAULT_DAYS;
  if (!(Number.isFinite(days) && days >= 1 && days <= 366)) {
    throw new GenerateError(`days must be a number from 1 to 366, got ${String(days)}`);
  }
  return { start, end: start + Math.round(days * DAY) };
}

/**
 * Writes the scenario's log files and `ground-truth.json` into `outDir` and returns the ground
 * truth. Same options, same bytes.
 */
export async function generateScenario(options: GenerateOptions): Promise<GroundTruth> {
  const { start, end } = validate(options);
  const { scenario, seed, outDir } = options;
  const rng = new Rng(seed);
  const cast = createCast(rng.fork('cast'));
  const sinks = splitLines(scenario, options.lines);
  const book = new ActorBook(sinks.map((s) => s.name));
  const timeline = new Timeline(sinks, book, start, end);
  const drivers: Driver[] = [];
  const target = (file: number): number => (sinks[file] as Sink).target;

  if (scenario === 'web' || scenario === 'mixed') {
    const file = timeline.fileIndex(FILES.access);
    const ctx: WebContext = { timeline, book, cast, rng: rng.fork('web'), file, target: target(file) };
    planWebAttacks(ctx);
    planUptimeMonitor(ctx);
    drivers.push(createBrowsingDriver(ctx));
  }
  if (scenario === 'auth' || scenario === 'mixed') {
    const auth = timeline.fileIndex(FILES.auth);
    const syslog = timeline.fileIndex(FILES.syslog);
    const hostRng = rng.fork('host');
    const ctx: HostContext = {
      timeline, book, cast, rng: hostRng, auth, syslog, authTarget: target(auth), syslogTarget: target(syslog),
      ids: new HostIds(start, hostRng.fork('ids')), log: new HostLines(cast.host),
    };
    const system = systemActor(ctx);
    planSshAttacks(ctx, hostRng.fork('ssh'));
    planIntrusion(ctx, hostRng.fork('intrusion'));
    planPeriodic(ctx, system);
    drivers.push(createAuthDriver(ctx), createSyslogDriver(ctx, system));
  }
  sinks.forEach((sink, i) => {
    if (timeline.plannedLines(i) >= sink.target) {
      throw new GenerateError(`${sink.name} has room for ${sink.target} lines but its attacks alone take ` +
        `${timeline.plannedLines(i)}; ask for more lines`);
    }
  });

  await mkdir(outDir, { recursive: true });
  await timeline.run(outDir, drivers);
  const truth: GroundTruth = {
    scenario,
    seed,
    host: cast.host,
    lines: Object.fromEntries(sinks.map((s) => [s.name, s.target])),
    start: isoSecond(start),
    end: isoSecond(end),
    actors: book.toGroundTruth(),
  };
  await writeFile(join(outDir, GROUND_TRUTH_FILE), `${stringify(truth)}\n`);
  return truth;
}

/** Indented JSON, except that lists of numbers stay on one line (line-number lists are long). */
function stringify(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]/g, (_m, inner: string) =>
    `[${inner.replace(/\s+/g, '')}]`);
}
