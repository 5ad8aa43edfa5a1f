// npm run bench:detect [-- --lines N] [-- --dir DIR]
//
// On a generated Apache combined log (1,000,000 lines by default), in one run: the import into a
// new case, then the built-in rule pack over that case, as `loupe import` and `loupe detect` run
// them. The floor (issue #3): detection takes less time than the import. Each measurement runs in
// its own process, pinned to one core when `taskset` exists, like bench/ingest.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCase } from '../electron/engine/case-db.ts';
import { generateScenario } from '../electron/gen/generate.ts';
import { importPaths } from '../electron/ingest/import.ts';
import { runDetections } from '../electron/detect/run.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { lines: { type: 'string' }, dir: { type: 'string' }, measure: { type: 'string' } },
});

interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Events imported, or events in the case detections ran over. */
  events: number;
  alerts?: number;
  rulesLoaded?: number;
  rulesSkipped?: number;
  /** Alerts per rule title, most first. */
  byRule?: [string, number][];
}

/** Peak resident set of this process (all threads), from the kernel's high-water mark. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Math.round((m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1_048_576) * 10) / 10;
}

/** Child process: one measurement, one JSON line on stdout. */
async function measureOne(mode: string, args: string[]): Promise<Measured> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let result: Omit<Measured, 'seconds' | 'cpuSeconds' | 'peakRssMb'>;
  if (mode === 'import') {
    const [log, casePath] = args as [string, string];
    rmSync(casePath, { force: true });
    const c = openCase(casePath, { create: true });
    result = { events: (await importPaths(c, [log])).lines };
    c.close();
  } else if (mode === 'detect') {
    const c = openCase(args[0] as string);
    const { alerts, rules } = await runDetections(c);
    const events = (c.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    c.close();
    const byRule = new Map<string, number>();
    for (const a of alerts) byRule.set(a.rule.title, (byRule.get(a.rule.title) ?? 0) + 1);
    result = {
      events, alerts: alerts.length,
      rulesLoaded: rules.filter((r) => r.status === 'loaded').length,
      rulesSkipped: rules.filter((r) => r.status !== 'loaded').length,
      byRule: [...byRule].sort((a, b) => b[1] - a[1]),
    };
  } else throw new Error(`unknown measurement ${mode}`);
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: peakRssMb(), ...result };
}

if (values.measure !== undefined) {
  console.log(JSON.stringify(await measureOne(values.measure, positionals)));
  process.exit(0);
}

const lines = Number(values.lines ?? 1_000_000);
const work = values.dir ?? join(process.cwd(), '.bench');
mkdirSync(work, { recursive: true });
const pin = spawnSync('sh', ['-c', 'command -v taskset']).status === 0 ? ['taskset', '-c', '0'] : [];
const SELF = new URL(import.meta.url).pathname;

function measure(mode: 'import' | 'detect', ...args: string[]): Measured {
  const cmd = [...pin, process.execPath, SELF, '--measure', mode, ...args];
  const out = execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 22 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

// The same log bench/ingest.ts generates (same seed and folder), so the two share it.
const logDir = join(work, `web-${lines}`);
const log = join(logDir, 'access.log');
if (!existsSync(log)) {
  process.stderr.write(`generating ${lines.toLocaleString('en-US')} lines…\n`);
  await generateScenario({ scenario: 'web', lines, seed: 42, outDir: logDir });
}
const casePath = join(work, 'bench-detect.loupe');
process.stderr.write('measuring the import…\n');
const imported = measure('import', log, casePath);
process.stderr.write('measuring the built-in rules over the case…\n');
const detected = measure('detect', casePath);
const caseBytes = statSync(casePath).size;
for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: string[][] = [
  ['measurement', 'seconds', 'cpu s', 'events/s', 'peak RSS MB'],
  ['import', fmt(imported.seconds, 2), fmt(imported.cpuSeconds, 2), fmt(imported.events / imported.seconds), fmt(imported.peakRssMb, 1)],
  ['detect (built-in pack)', fmt(detected.seconds, 2), fmt(detected.cpuSeconds, 2), fmt(detected.events / detected.seconds), fmt(detected.peakRssMb, 1)],
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
console.log(`\nDetection benchmark: ${fmt(lines)} Apache combined lines (${fmt(statSync(log).size / 1_048_576, 1)} MB, case ${fmt(caseBytes / 1_048_576, 1)} MB), ${pin.length ? 'pinned to one core' : 'not pinned (no taskset)'}`);
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
console.log('');
const ratio = detected.seconds / imported.seconds;
console.log(`rules                  ${detected.rulesLoaded ?? 0} loaded, ${detected.rulesSkipped ?? 0} skipped`);
console.log(`detect / import        ${fmt(ratio, 3)}x   floor < 1x (detection faster than the import)   ${ratio < 1 ? 'ok' : 'BELOW FLOOR'}`);
console.log(`alerts                 ${fmt(detected.alerts ?? 0)}`);
for (const [title, n] of detected.byRule ?? []) console.log(`  ${String(n).padStart(6)}  ${title}`);
