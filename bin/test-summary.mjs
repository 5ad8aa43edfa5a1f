#!/usr/bin/env node
// Prints one line, `N passed, N failed, N skipped`, summing Vitest's and Playwright's JSON reports
// (test-results/vitest.json, test-results/playwright.json). A missing or unreadable report counts
// as nothing and is said on stderr. With `--exit-code N` (the test command's status), a non-zero
// status with no failed test counted (typecheck or a build failed first) counts as one failure, so
// the line never reads as a success when the run was not one. Plain JavaScript: any Node runs it.
import { readFileSync } from 'node:fs';

const resultsDir = new URL('../test-results/', import.meta.url);

function readReport(file) {
  try {
    return JSON.parse(readFileSync(new URL(file, resultsDir), 'utf8'));
  } catch (err) {
    process.stderr.write(`test-summary: no usable ${file} (${err.code ?? err.message})\n`);
    return null;
  }
}

function fromVitest(r) {
  if (!r) return { passed: 0, failed: 0, skipped: 0 };
  // A test file that fails to load has no failed test in it, but it failed.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + brokenFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
  };
}

/** The titles of the e2e tests that failed and then passed on their retry. */
function flakyTests(r) {
  const out = [];
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === 'flaky') out.push(`${path} › ${spec.title}`);
    for (const child of suite.suites ?? []) walk(child, `${path} › ${child.title}`);
  };
  for (const suite of r?.suites ?? []) walk(suite, suite.title);
  return out;
}

function fromPlaywright(r) {
  if (!r) return { passed: 0, failed: 0, skipped: 0 };
  // Counted as passed, as Playwright does, but never silently.
  for (const title of flakyTests(r)) process.stderr.write(`test-summary: passed only on its retry: ${title}\n`);
  const s = r.stats ?? {};
  const unexpected = s.unexpected ?? 0;
  // Errors outside any test (a broken config, a fixture crashing on load).
  const globalErrors = unexpected === 0 ? (r.errors ?? []).length : 0;
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: unexpected + globalErrors, skipped: s.skipped ?? 0 };
}

const exitFlag = process.argv.indexOf('--exit-code');
const exitCode = exitFlag >= 0 ? Number(process.argv[exitFlag + 1]) : 0;

const parts = [fromVitest(readReport('vitest.json')), fromPlaywright(readReport('playwright.json'))];
const total = parts.reduce((t, p) => ({ passed: t.passed + p.passed, failed: t.failed + p.failed, skipped: t.skipped + p.skipped }));
if (exitCode !== 0 && total.failed === 0) {
  process.stderr.write(`test-summary: the test command exited with ${exitCode} outside any reported test; counted as one failure\n`);
  total.failed = 1;
}
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
