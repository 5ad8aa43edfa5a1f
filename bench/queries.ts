// npm run bench:queries [-- --events N] [-- --big] [-- --big-events N] [-- --runs N] [-- --dir DIR]
//
// The analyst's window on a generated case: p50 and p95 of the calls the grid, the timeline and
// the dossier make, measured as the window makes them, through the validating dispatcher and the
// engine worker (electron/main/compose.ts). Floors (issue #4), at p95: grid pages ≤ 25 ms, the
// timeline and an IP dossier ≤ 100 ms, on 1,000,000 events and on 10,000,000 (`--big`, or
// LOUPE_BENCH_BIG=1). Cases are built once with the generator and the import (with detections)
// and kept in .bench/ for the next run.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openCase } from '../electron/engine/case-db.ts';
import { runDetections } from '../electron/detect/run.ts';
import { generateScenario } from '../electron/gen/generate.ts';
import { importPaths } from '../electron/ingest/import.ts';
import { createLoupe } from '../electron/main/compose.ts';
import { scriptedDialogs } from '../electron/main/dialogs.ts';
import { createDispatch } from '../electron/main/dispatch.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string' }, big: { type: 'boolean' }, 'big-events': { type: 'string' }, runs: { type: 'string' }, dir: { type: 'string' },
  },
});
const work = values.dir ?? join(process.cwd(), '.bench');
const runs = Number(values.runs ?? 40);
const sizes = [Number(values.events ?? 1_000_000)];
if (values.big === true || process.env.LOUPE_BENCH_BIG === '1') sizes.push(Number(values['big-events'] ?? 10_000_000));
mkdirSync(work, { recursive: true });

const FLOOR = { page: 25, histogram: 100, dossier: 100 } as const;
const APP_URL = 'http://127.0.0.1:4000/index.html';
const PAGE = 500;
const BARS = 120;

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const log = (m: string): void => void process.stderr.write(`${m}\n`);

/** A case of `n` events from the generator's web scenario (the log bench:ingest uses), with its alerts. */
async function buildCase(n: number): Promise<string> {
  const casePath = join(work, `queries-${n}.loupe`);
  if (existsSync(casePath) && isComplete(casePath, n)) return casePath;
  const dir = join(work, `web-${n}`);
  const logPath = join(dir, 'access.log');
  if (!existsSync(logPath)) {
    log(`generating ${fmt(n)} lines…`);
    await generateScenario({ scenario: 'web', lines: n, seed: 42, outDir: dir });
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(casePath + suffix, { force: true });
  log(`importing ${fmt(n)} lines into ${casePath}…`);
  const c = openCase(casePath, { create: true });
  await importPaths(c, [logPath]);
  log('running the built-in detections…');
  await runDetections(c);
  c.db.prepare("INSERT OR REPLACE INTO case_meta (key, value) VALUES ('bench_complete', ?)").run(String(n));
  c.close();
  return casePath;
}

function isComplete(casePath: string, n: number): boolean {
  try {
    const db = new Database(casePath, { readonly: true });
    try {
      return db.prepare("SELECT value FROM case_meta WHERE key = 'bench_complete'").pluck().get() === String(n);
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

interface Facts {
  deep: { ts: number; id: number };
  busiestIp: string;
  busiestCount: number;
  mid: { from: number; to: number };
}

/** What the measured calls need to know about the case, read directly (not measured). */
function factsOf(casePath: string): Facts {
  const db = new Database(casePath, { readonly: true });
  try {
    const n = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const deep = db.prepare('SELECT ts, id FROM events ORDER BY ts, id LIMIT 1 OFFSET ?').get(Math.floor(n * 0.9)) as { ts: number; id: number };
    const busiest = db.prepare('SELECT src_ip AS ip, count(*) AS n FROM events WHERE src_ip IS NOT NULL GROUP BY src_ip ORDER BY n DESC LIMIT 1')
      .get() as { ip: string; n: number };
    const span = db.prepare('SELECT min(ts) AS lo, max(ts) AS hi FROM events').get() as { lo: number; hi: number };
    // A brushed range: a third of the case, its ends at odd milliseconds.
    const third = (span.hi - span.lo) / 3;
    return { deep, busiestIp: busiest.ip, busiestCount: busiest.n, mid: { from: Math.round(span.lo + third) + 1234, to: Math.round(span.hi - third) + 567 } };
  } finally {
    db.close();
  }
}

interface Measured {
  name: string;
  floor: number | null;
  p50: number;
  p95: number;
  /** CPU time of the process (the engine worker's and the dispatcher's), less sensitive to a busy machine. */
  cpuP50: number;
  cpuP95: number;
  note: string;
}

async function measureCase(casePath: string, events: number): Promise<Measured[]> {
  const facts = factsOf(casePath);
  const dataDir = join(tmpdir(), `loupe-bench-${process.pid}`);
  const loupe = createLoupe({ dataDir, dialogs: scriptedDialogs(), push: () => {}, log });
  const dispatch = createDispatch(loupe.handlers, { isTrustedSender: (u) => u === APP_URL, log });
  const call = async (channel: string, request: unknown): Promise<unknown> => {
    const r = await dispatch(channel, request, { url: APP_URL });
    if (!r.ok) throw new Error(`${channel}: ${r.error}`);
    return r.value;
  };
  try {
    const opened = await call('case:open', { path: casePath }) as { eventCount: number };
    if (opened.eventCount !== events) throw new Error(`${casePath} holds ${opened.eventCount} events, not ${events}`);
    const cases: { name: string; floor: number | null; channel: string; request: unknown; note?: string }[] = [
      { name: 'grid: first page', floor: FLOOR.page, channel: 'events:query-page', request: { filter: {}, limit: PAGE } },
      { name: 'grid: page at 90% of the case', floor: FLOOR.page, channel: 'events:query-page', request: { filter: {}, limit: PAGE, after: facts.deep } },
      { name: 'grid: first page, newest first', floor: FLOOR.page, channel: 'events:query-page', request: { filter: {}, limit: PAGE, order: 'desc' } },
      { name: 'grid: page at 10% from the end, newest first', floor: FLOOR.page, channel: 'events:query-page', request: { filter: {}, limit: PAGE, order: 'desc', after: facts.deep } },
      { name: 'timeline, whole case by dataset', floor: FLOOR.histogram, channel: 'events:get-histogram', request: { filter: {}, stackBy: 'dataset', targetBuckets: BARS } },
      { name: 'timeline, whole case by level', floor: FLOOR.histogram, channel: 'events:get-histogram', request: { filter: {}, stackBy: 'level', targetBuckets: BARS } },
      { name: 'timeline, brushed third, level:failure', floor: FLOOR.histogram, channel: 'events:get-histogram', request: { filter: { ...facts.mid, query: 'level:failure' }, stackBy: 'level', targetBuckets: BARS } },
      { name: 'dossier of the busiest IP', floor: FLOOR.dossier, channel: 'entity:get-dossier', request: { type: 'ip', value: facts.busiestIp }, note: `${facts.busiestIp}, ${fmt(facts.busiestCount)} events` },
      { name: 'count, whole case', floor: null, channel: 'events:count', request: { filter: {} } },
      { name: 'count, busiest IP', floor: null, channel: 'events:count', request: { filter: { ip: facts.busiestIp } } },
      { name: 'grid: busiest IP, first page', floor: null, channel: 'events:query-page', request: { filter: { ip: facts.busiestIp }, limit: PAGE } },
      { name: 'grid: status>=500, first page', floor: null, channel: 'events:query-page', request: { filter: { query: 'status>=500' }, limit: PAGE } },
      { name: 'timeline, busiest IP (scanned)', floor: null, channel: 'events:get-histogram', request: { filter: { ip: facts.busiestIp }, stackBy: 'level', targetBuckets: BARS } },
    ];
    const out: Measured[] = [];
    for (const c of cases) {
      for (let i = 0; i < 3; i++) await call(c.channel, c.request);
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const used = process.cpuUsage();
        const t = performance.now();
        await call(c.channel, c.request);
        times.push(performance.now() - t);
        const d = process.cpuUsage(used);
        cpu.push((d.user + d.system) / 1000);
      }
      const q = (list: number[], p: number): number => {
        const sorted = [...list].sort((a, b) => a - b);
        return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
      };
      out.push({ name: c.name, floor: c.floor, p50: q(times, 0.5), p95: q(times, 0.95), cpuP50: q(cpu, 0.5), cpuP95: q(cpu, 0.95), note: c.note ?? '' });
    }
    return out;
  } finally {
    await loupe.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function cpuInfo(): string {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${model.trim()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

let failed = false;
for (const n of sizes) {
  const casePath = await buildCase(n);
  log(`measuring ${runs} runs per call on ${fmt(n)} events…`);
  const results = await measureCase(casePath, n);
  console.log(`\nQuery benchmark: ${fmt(n)} events (${casePath}), through the dispatcher and the engine worker`);
  console.log(`${cpuInfo()}`);
  const rows = [['call', 'p50 ms', 'p95 ms', 'floor', 'p95 / floor', 'cpu p50', 'cpu p95', ''], ...results.map((r) => [
    r.name, fmt(r.p50, 1), fmt(r.p95, 1), r.floor === null ? '' : `≤ ${r.floor} ms`,
    r.floor === null ? '' : `${fmt(r.p95 / r.floor, 2)}x ${r.p95 <= r.floor ? 'ok' : 'ABOVE FLOOR'}`, fmt(r.cpuP50, 1), fmt(r.cpuP95, 1), r.note,
  ])];
  for (const r of results) if (r.floor !== null && r.p95 > r.floor) failed = true;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const last = rows[0]!.length - 1;
  for (const r of rows) console.log(r.map((c, i) => (i === 0 || i === last ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}
process.exitCode = failed ? 1 : 0;
