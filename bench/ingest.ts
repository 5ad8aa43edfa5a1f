// npm run bench:ingest [-- --lines N] [-- --big N | --no-big]
//
// On a generated Apache combined log, in one run: the parse-only floor (read, split, detect,
// parse, normalise; no database), Loupe's full import into an indexed case, GoAccess on the same
// file where it is installed, and the import of a 10x larger log to show memory stays flat.
// Each measurement runs in its own process, pinned to one core when `taskset` exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateScenario } from '../electron/gen/generate.ts';

const { values } = parseArgs({
  options: { lines: { type: 'string' }, big: { type: 'string' }, 'no-big': { type: 'boolean' }, dir: { type: 'string' } },
});
const lines = Number(values.lines ?? 1_000_000);
const bigLines = values['no-big'] ? 0 : Number(values.big ?? lines * 10);
const work = values.dir ?? join(process.cwd(), '.bench');
mkdirSync(work, { recursive: true });

const FLOOR = { linesPerSecond: 120_000, ratioToFloor: 4, ratioToGoaccess: 2, peakRssMb: 150, flatRss: 1.2 };
const pin = hasCommand('taskset') ? ['taskset', '-c', '0'] : [];
const MEASURE = new URL('./measure.ts', import.meta.url).pathname;

interface Measured { seconds: number; cpuSeconds: number; lines: number; peakRssMb: number }

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

async function accessLog(n: number): Promise<string> {
  const dir = join(work, `web-${n}`);
  const log = join(dir, 'access.log');
  if (!existsSync(log)) {
    process.stderr.write(`generating ${n.toLocaleString('en-US')} lines…\n`);
    await generateScenario({ scenario: 'web', lines: n, seed: 42, outDir: dir });
  }
  return log;
}

function measure(mode: 'floor' | 'import', log: string, casePath?: string): Measured {
  const cmd = [...pin, process.execPath, MEASURE, mode, log, ...(casePath ? [casePath] : [])];
  const out = execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

function goaccess(log: string): { seconds: number; cpuSeconds: number | null } | { skipped: string } {
  if (!hasCommand('goaccess')) return { skipped: 'goaccess is not installed (apt-get install goaccess)' };
  const report = join(work, 'goaccess.json');
  // The shell's `times` prints the CPU time of its children (GoAccess) on its second line.
  const script = '"$@" >/dev/null; s=$?; times; exit $s';
  const started = performance.now();
  const r = spawnSync('sh', ['-c', script, 'sh', ...pin, 'goaccess', log,
    '--log-format=COMBINED', '--no-progress', '--no-global-config', '-o', report], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) return { skipped: `goaccess failed: ${r.stderr.trim().slice(0, 200)}` };
  const children = r.stdout.trim().split('\n').at(-1)?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  const cpuSeconds = children ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]) : null;
  return { seconds, cpuSeconds };
}

/** The machine's 1-minute load average: figures taken beside other work say little. */
function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
  } catch {
    return '?';
  }
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rate = (m: { seconds: number }, n: number): number => n / m.seconds;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'BELOW FLOOR');

const log = await accessLog(lines);
const loadBefore = loadAverage();
const logBytes = statSync(log).size;
process.stderr.write('measuring the parse-only floor…\n');
const floor = measure('floor', log);
process.stderr.write('measuring the import…\n');
const casePath = join(work, 'bench.loupe');
const imported = measure('import', log, casePath);
const caseBytes = statSync(casePath).size;
rmSync(casePath, { force: true });
process.stderr.write('measuring GoAccess…\n');
const goa = goaccess(log);

let big: Measured | null = null;
if (bigLines > 0) {
  const bigLog = await accessLog(bigLines);
  process.stderr.write(`measuring the import of ${fmt(bigLines)} lines…\n`);
  const bigCase = join(work, 'bench-big.loupe');
  big = measure('import', bigLog, bigCase);
  rmSync(bigCase, { force: true });
}

const importRate = rate(imported, lines);
const rows: string[][] = [
  ['measurement', 'seconds', 'cpu s', 'lines/s', 'peak RSS MB'],
  ['parse-only floor', fmt(floor.seconds, 2), fmt(floor.cpuSeconds, 2), fmt(rate(floor, lines)), fmt(floor.peakRssMb, 1)],
  ['Loupe import', fmt(imported.seconds, 2), fmt(imported.cpuSeconds, 2), fmt(importRate), fmt(imported.peakRssMb, 1)],
];
if ('seconds' in goa) rows.push(['GoAccess', fmt(goa.seconds, 2), goa.cpuSeconds === null ? '' : fmt(goa.cpuSeconds, 2), fmt(rate(goa, lines)), '']);
if (big) rows.push([`Loupe import, ${fmt(bigLines)} lines`, fmt(big.seconds, 2), fmt(big.cpuSeconds, 2), fmt(rate(big, bigLines)), fmt(big.peakRssMb, 1)]);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
console.log(`\nIngest benchmark: ${fmt(lines)} Apache combined lines (${fmt(logBytes / 1_048_576, 1)} MB), ${pin.length ? 'pinned to one core' : 'not pinned (no taskset)'}, load average ${loadBefore} before and ${loadAverage()} after`);
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
console.log('');
const ratioFloor = imported.seconds / floor.seconds;
console.log(`import rate            ${fmt(importRate)} lines/s   floor ≥ ${fmt(FLOOR.linesPerSecond)}   ${verdict(importRate >= FLOOR.linesPerSecond)}`);
console.log(`import / parse-only    ${fmt(ratioFloor, 2)}x   floor ≤ ${FLOOR.ratioToFloor}x   ${verdict(ratioFloor <= FLOOR.ratioToFloor)}`);
if ('seconds' in goa) {
  const ratioGoa = importRate / rate(goa, lines);
  console.log(`Loupe / GoAccess rate  ${fmt(ratioGoa, 2)}x   floor ≥ ${FLOOR.ratioToGoaccess}x   ${verdict(ratioGoa >= FLOOR.ratioToGoaccess)}`);
  // On a busy machine both wait for the core they are pinned to; their CPU times wait for nothing.
  if (goa.cpuSeconds !== null) console.log(`  the same by CPU time  ${fmt(goa.cpuSeconds / imported.cpuSeconds, 2)}x (GoAccess ${fmt(goa.cpuSeconds, 2)} s, Loupe ${fmt(imported.cpuSeconds, 2)} s)`);
} else console.log(`Loupe / GoAccess rate  skipped: ${goa.skipped}`);
console.log(`import peak RSS        ${fmt(imported.peakRssMb, 1)} MB   floor ≤ ${FLOOR.peakRssMb} MB   ${verdict(imported.peakRssMb <= FLOOR.peakRssMb)}`);
if (big) {
  const flat = big.peakRssMb / imported.peakRssMb;
  console.log(`RSS ${fmt(bigLines)} / ${fmt(lines)} lines   ${fmt(flat, 2)}x   floor ≤ ${FLOOR.flatRss}x   ${verdict(flat <= FLOOR.flatRss)}`);
}
console.log(`case size / log size   ${fmt(caseBytes / logBytes, 2)}x (${fmt(caseBytes / 1_048_576, 1)} MB for ${fmt(logBytes / 1_048_576, 1)} MB)`);
