// The rerun rule of bin/unit-tests.mjs: only the known V8 crash, only when no test failed.
import { describe, expect, it } from 'vitest';
import { filesToRerun, mergeReports } from './unit-tests.mjs';

const file = (name, ...statuses) => ({
  name,
  status: statuses.includes('failed') ? 'failed' : 'passed',
  assertionResults: statuses.map((status, i) => ({ title: `${name} ${i}`, status })),
});
const report = (...files) => ({
  numFailedTests: files.flatMap((f) => f.assertionResults).filter((a) => a.status === 'failed').length,
  success: true,
  testResults: files,
});
const V8_ABORT = '# Fatal error in , line 0\n# Check failed: jit_page.has_value().\n' +
  'Error: [vitest-pool]: Worker forks emitted error.\nCaused by: Error: Worker exited unexpectedly\n';
const SEGV = 'Error: [vitest-pool]: Worker forks emitted error.\nCaused by: Error: Worker exited unexpectedly\n';

describe('unit-tests: when to run files again', () => {
  it('runs again the files a dying process cut short, when V8 says it was its JIT-page check', () => {
    const r = report(file('/a.test.ts', 'passed', 'passed'), file('/b.test.ts', 'passed', 'pending', 'pending'));
    expect(filesToRerun(r, V8_ABORT)).toEqual(['/b.test.ts']);
    expect(filesToRerun(r, SEGV)).toBeNull();
  });

  it('fails as it is when another process died of something else in the same run', () => {
    const r = report(file('/a.test.ts', 'pending'), file('/b.test.ts', 'passed', 'pending'));
    expect(filesToRerun(r, V8_ABORT + SEGV)).toBeNull();
    expect(filesToRerun(r, V8_ABORT + V8_ABORT)).toEqual(['/a.test.ts', '/b.test.ts']);
    expect(filesToRerun(r, V8_ABORT)).toBeNull();
  });

  it('fails as it is when a test failed, when nothing was cut short, or when too much was', () => {
    expect(filesToRerun(report(file('/a.test.ts', 'failed'), file('/b.test.ts', 'pending')), V8_ABORT)).toBeNull();
    expect(filesToRerun(report(file('/a.test.ts', 'passed', 'skipped')), V8_ABORT)).toBeNull();
    expect(filesToRerun(report(file('/a', 'pending'), file('/b', 'pending')), V8_ABORT)).toBeNull();
    expect(filesToRerun(null, V8_ABORT)).toBeNull();
  });

  it('counts the files run again by their new results', () => {
    const first = report(file('/a.test.ts', 'passed', 'skipped'), file('/b.test.ts', 'passed', 'pending', 'pending'));
    const merged = mergeReports(first, report(file('/b.test.ts', 'passed', 'passed', 'failed')));
    expect(merged).toMatchObject({ numTotalTests: 5, numPassedTests: 3, numFailedTests: 1, numPendingTests: 1, numFailedTestSuites: 1, rerun: ['/b.test.ts'] });
    expect(merged.testResults.map((f) => f.name)).toEqual(['/a.test.ts', '/b.test.ts']);
  });
});
