import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { TRUSTED, useLoupe, type TestLoupe } from '../test/loupe.ts';
import { useTempDir } from '../test/temp.ts';
import { createLoupe } from './compose.ts';
import { scriptedDialogs } from './dialogs.ts';

const tempDir = useTempDir();
const makeLoupe = useLoupe();

/** A case and an access log big enough that its import is still running when the test acts. */
function bigImport(dir: string, lines = 20_000): { casePath: string; log: string } {
  const casePath = join(dir, 'case.loupe');
  openCase(casePath, { create: true }).close();
  const log = join(dir, 'access.log');
  const text = Array.from({ length: lines }, (_, i) =>
    `198.51.100.${i % 250} - - [10/Oct/2024:13:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /page/${i} HTTP/1.1" 200 ${i} "-" "agent"`);
  writeFileSync(log, `${text.join('\n')}\n`);
  return { casePath, log };
}

function firstProgress(t: TestLoupe): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (t.pushed.some((p) => p.event === 'import:progress-changed')) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
}

describe('engine worker', () => {
  it('answers other calls while an import runs, and cancels it', async () => {
    const t = makeLoupe();
    const { casePath, log } = bigImport(tempDir());
    await t.dispatch('case:open', { path: casePath }, TRUSTED);
    const importing = t.dispatch('import:start', { paths: [log] }, TRUSTED);
    await firstProgress(t);
    expect(await t.dispatch('case:list-sources', undefined, TRUSTED))
      .toEqual({ ok: false, error: 'an import is running; the case can be read again when it has finished' });
    expect(await t.dispatch('import:cancel', undefined, TRUSTED)).toEqual({ ok: true, value: { cancelled: true } });
    expect(await importing).toMatchObject({ ok: true, value: { cancelled: true, sources: [] } });
    expect(await t.dispatch('case:get-current', undefined, TRUSTED)).toMatchObject({ ok: true, value: { path: casePath, eventCount: 0 } });
  });

  it('fails the calls in flight when it dies, and a new worker reopens the case', async () => {
    const t = makeLoupe();
    const { casePath, log } = bigImport(tempDir());
    await t.dispatch('case:open', { path: casePath }, TRUSTED);
    const importing = t.dispatch('import:start', { paths: [log] }, TRUSTED);
    await firstProgress(t);
    await t.loupe.engine.terminateWorker();

    expect(await importing).toEqual({
      ok: false,
      error: "Loupe's engine stopped unexpectedly while working on import:start (exit code 1); the case is being reopened: try again",
    });
    expect(t.logged.join('\n')).toMatch(/engine worker stopped unexpectedly \(exit code 1\); starting a new one/);
    expect(await t.dispatch('case:get-current', undefined, TRUSTED)).toMatchObject({ ok: true, value: { path: casePath } });
    expect(t.pushed.filter((p) => p.event === 'case:summary-changed').at(-1)?.payload).toMatchObject({ path: casePath });
    // The import died with the worker: its source says so, and importing again completes it.
    const sources = await t.dispatch('case:list-sources', undefined, TRUSTED);
    expect(sources).toMatchObject({ ok: true, value: [{ status: 'incomplete', problem: expect.stringMatching(/interrupted/) }] });
    expect(await t.dispatch('import:start', { paths: [log] }, TRUSTED)).toMatchObject({ ok: true, value: { lines: 20_000, cancelled: false } });
    expect(await t.dispatch('case:list-sources', undefined, TRUSTED)).toMatchObject({ ok: true, value: [{ status: 'complete', lines: { total: 20_000 } }] });
  });

  it('does not restart in a loop when the worker cannot even start', async () => {
    const dir = tempDir();
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('the bundle is damaged');\n");
    const logged: string[] = [];
    const loupe = createLoupe({
      dataDir: dir, dialogs: scriptedDialogs(), push: () => {}, log: (m) => logged.push(m),
      engineWorkerUrl: new URL(`file://${broken}`),
    });
    try {
      await expect(loupe.handlers['case:get-current'](undefined)).rejects.toThrow(
        "Loupe's engine stopped unexpectedly while working on case:get-current (exit code 1); try again");
      await new Promise((r) => setTimeout(r, 200));
      expect(logged.filter((m) => m.includes('stopped unexpectedly'))).toEqual(['engine worker stopped unexpectedly (exit code 1) while starting']);
      expect(logged.join('\n')).toMatch(/the bundle is damaged/);
      // The next call tries again, and says so again.
      await expect(loupe.handlers['case:list-recent'](undefined)).rejects.toThrow(/stopped unexpectedly while working on case:list-recent/);
    } finally {
      await loupe.close();
    }
  });
});
