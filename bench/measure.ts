// One measurement in a fresh process, so each figure's memory is its own:
//   node bench/measure.ts floor LOG            read + split + detect + parse + normalise, no database
//   node bench/measure.ts import LOG CASE      the real import into a new, indexed case
// Prints one JSON line: { seconds, cpuSeconds, lines, peakRssMb }.
import { readFileSync, rmSync } from 'node:fs';
import { runPipeline } from '../electron/ingest/pipeline.ts';
import { openCase } from '../electron/engine/case-db.ts';
import { importPaths } from '../electron/ingest/import.ts';
import { rowValues } from '../electron/engine/event-writer.ts';

const [mode, log, casePath] = process.argv.slice(2);
if (!log || (mode !== 'floor' && mode !== 'import') || (mode === 'import' && !casePath)) {
  console.error('usage: measure.ts floor LOG | import LOG CASE');
  process.exit(2);
}

/** Peak resident set of this process (all threads), from the kernel's high-water mark. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : Math.round(process.memoryUsage().rss / 1_048_576);
}

const started = performance.now();
const cpu = process.cpuUsage();
let lines = 0;
if (mode === 'floor') {
  // The same pipeline the import runs, and the same row values the writer would bind: everything
  // but SQLite.
  const values: unknown[] = [];
  const got: unknown[] = [];
  await runPipeline(log, false, { ctx: { timezone: 'UTC', referenceTime: Date.now() }, maxLineBytes: 64 * 1024 }, (line, event) => {
    rowValues(values, got, line, event);
    lines++;
  });
} else {
  // As `loupe import` runs it: in this process, into a new case.
  rmSync(casePath!, { force: true });
  const c = openCase(casePath!, { create: true });
  lines = (await importPaths(c, [log])).lines;
  c.close();
}
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  seconds: (performance.now() - started) / 1000,
  cpuSeconds: (used.user + used.system) / 1e6,
  lines,
  peakRssMb: Math.round(peakRssMb() * 10) / 10,
}));
