#!/usr/bin/env node
// Runs the unit tests (`vitest run`, arguments passed through) and tolerates one known upstream
// crash, once. V8's registry of JIT code pages can be raced when one thread of a process tears its
// isolate down while another compiles (nodejs/node#64500; it aborts with `Check failed: jit_page…`).
// Tests that start and stop worker threads (the engine, listeners, detections) now and then hit it,
// and the whole test process dies, taking the rest of its file with it. When that is the only thing
// wrong with a run (no test failed, and the fatal message is V8's JIT-page check), the files that
// were cut short are run again once, said loudly, and their new results replace the old in
// test-results/vitest.json. Any other crash, or a second one, fails the run as before.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reportPath = `${root}test-results/vitest.json`;
const KNOWN_CRASH = /Check failed: jit_page|jit_page_->allocations_/g;
const DIED = /Worker exited unexpectedly/g;

/**
 * The files to run again, or null when the run must fail as it is: only when nothing failed, some
 * file's tests were left unfinished ('pending': its process died), and every test process that
 * died reported the known V8 check (one report per death; a death of any other kind fails the run).
 */
export function filesToRerun(report, output) {
  if (!report) return null;
  const deaths = output.match(DIED)?.length ?? 0;
  const known = output.match(KNOWN_CRASH)?.length ?? 0;
  if (deaths === 0 || known !== deaths) return null;
  if ((report.numFailedTests ?? 0) > 0 || report.testResults.some((f) => f.status === 'failed')) return null;
  const cut = report.testResults.filter((f) => f.assertionResults.some((a) => a.status === 'pending')).map((f) => f.name);
  return cut.length > 0 && cut.length <= deaths ? cut : null;
}

/** The first report with the files of the second in place of its own, its counts recomputed. */
export function mergeReports(first, rerun) {
  const replaced = new Map(rerun.testResults.map((f) => [f.name, f]));
  const testResults = first.testResults.map((f) => replaced.get(f.name) ?? f);
  const tests = testResults.flatMap((f) => f.assertionResults);
  const count = (status) => tests.filter((a) => a.status === status).length;
  return {
    ...first,
    numTotalTests: tests.length,
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('pending') + count('skipped'),
    numTodoTests: count('todo'),
    numFailedTestSuites: testResults.filter((f) => f.status === 'failed').length,
    success: rerun.success,
    testResults,
    rerun: rerun.testResults.map((f) => f.name),
  };
}

/** Runs vitest, echoing its output and keeping it (a message may be split across chunks). */
function vitest(args) {
  return new Promise((resolve) => {
    const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: process.env['FORCE_COLOR'] ?? '1' } : process.env;
    const child = spawn(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', ...args], { cwd: root, env, stdio: ['inherit', 'pipe', 'pipe'] });
    let kept = '';
    const echo = (to) => (chunk) => {
      to.write(chunk);
      kept += chunk.toString('utf8');
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output: kept }));
  });
}

function readReport() {
  try {
    return JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch {
    return null;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const first = await vitest(args);
  if (first.code === 0) return 0;
  const firstReport = readReport();
  const cut = filesToRerun(firstReport, first.output);
  if (!cut) return first.code;
  const names = cut.map((f) => relative(root, f));
  process.stderr.write(
    `\nunit-tests: a test process died of V8's JIT-page check (nodejs/node#64500), cutting short ${names.join(', ')}; ` +
    'no test failed. Running those files again, once.\n\n',
  );
  // The same options (a reporter, a flag) with only those files.
  const options = args.filter((a) => a.startsWith('-'));
  const again = await vitest([...options, ...names]);
  const rerunReport = readReport();
  if (!rerunReport) return again.code;
  writeFileSync(reportPath, JSON.stringify(mergeReports(firstReport, rerunReport)));
  process.stderr.write(`unit-tests: the files run again ${again.code === 0 ? 'passed' : 'failed'}.\n`);
  return again.code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
