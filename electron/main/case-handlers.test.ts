import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { TRUSTED, useLoupe } from '../test/loupe.ts';
import { useTempDir } from '../test/temp.ts';
import { SAMPLE, SAMPLE_CASE, SAMPLE_DIR } from './sample-case.ts';

const tempDir = useTempDir();
const makeLoupe = useLoupe();

describe('case:create', () => {
  it('creates a new case, opens it, and lists it first among the recent cases', async () => {
    const { dispatch } = makeLoupe();
    const path = join(tempDir(), 'incident 42.loupe');
    const created = await dispatch('case:create', { path }, TRUSTED);
    expect(created).toMatchObject({ ok: true, value: { path, eventCount: 0, sources: [], caseId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(await dispatch('case:get-current', undefined, TRUSTED)).toEqual(created);
    expect(await dispatch('case:list-recent', undefined, TRUSTED)).toEqual({
      ok: true, value: [{ path, name: 'incident 42.loupe', openedAt: expect.any(Number), exists: true }],
    });
    // It is a real case: another connection opens it and finds the schema.
    openCase(path, { readonly: true }).close();
  });

  it('refuses an existing file and leaves it as it was', async () => {
    const { dispatch } = makeLoupe();
    const path = join(tempDir(), 'taken.loupe');
    writeFileSync(path, 'precious');
    expect(await dispatch('case:create', { path }, TRUSTED))
      .toEqual({ ok: false, error: `${path} already exists: open it, or choose another name for the new case` });
    expect(statSync(path).size).toBe('precious'.length);
    expect(await dispatch('case:get-current', undefined, TRUSTED)).toEqual({ ok: true, value: null });
  });

  it('says why it cannot create: a relative path, a name without .loupe, a missing folder', async () => {
    const { dispatch } = makeLoupe();
    const dir = tempDir();
    expect(await dispatch('case:create', { path: 'case.loupe' }, TRUSTED)).toEqual({ ok: false, error: 'give the full path of the case file' });
    expect(await dispatch('case:create', { path: join(dir, 'notes.txt') }, TRUSTED))
      .toEqual({ ok: false, error: `a case file's name ends in .loupe (${join(dir, 'notes.txt')} does not)` });
    expect(await dispatch('case:create', { path: join(dir, 'no', 'such', 'c.loupe') }, TRUSTED))
      .toEqual({ ok: false, error: `${join(dir, 'no', 'such')}: no such folder` });
    expect(existsSync(join(dir, 'notes.txt'))).toBe(false);
  });
});

describe('case:list-recent', () => {
  it('keeps the cases opened, most recent first, and flags one that has gone', async () => {
    const { dispatch, dataDir } = makeLoupe();
    const dir = tempDir();
    const [a, b] = [join(dir, 'a.loupe'), join(dir, 'b.loupe')];
    await dispatch('case:create', { path: a }, TRUSTED);
    await dispatch('case:create', { path: b }, TRUSTED);
    await dispatch('case:open', { path: a }, TRUSTED);
    expect(await dispatch('case:open', { path: join(dir, 'missing.loupe') }, TRUSTED)).toMatchObject({ ok: false });
    const list = await dispatch('case:list-recent', undefined, TRUSTED);
    expect(list.ok && (list.value as { name: string; exists: boolean }[]).map((c) => [c.name, c.exists])).toEqual([['a.loupe', true], ['b.loupe', true]]);

    // A damaged settings file is an empty list, not an error.
    writeFileSync(join(dataDir, 'recent-cases.json'), '[{"path": ');
    expect(await dispatch('case:list-recent', undefined, TRUSTED)).toEqual({ ok: true, value: [] });
  });
});

describe('case:open-sample', () => {
  it('makes the sample case on first use (generated logs, imported, with alerts), then reopens it', async () => {
    const { dispatch, dataDir, pushed } = makeLoupe();
    // What a build cut short (the app closed) leaves behind is cleared, not opened.
    const leftover = join(dataDir, SAMPLE_DIR, 'building');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, SAMPLE_CASE), 'half a case');

    const first = await dispatch('case:open-sample', undefined, TRUSTED);
    if (!first.ok) throw new Error(first.error);
    const summary = first.value as { path: string; eventCount: number; sources: { name: string; status: string }[] };
    expect(summary.path).toBe(join(dataDir, SAMPLE_DIR, SAMPLE_CASE));
    expect(summary.eventCount).toBe(SAMPLE.lines);
    expect(summary.sources.map((s) => [s.name, s.status])).toEqual([['access.log', 'complete'], ['auth.log', 'complete'], ['syslog', 'complete']]);
    expect(pushed.some((p) => p.event === 'import:progress-changed')).toBe(true);
    expect(existsSync(leftover)).toBe(false);
    const c = openCase(summary.path, { readonly: true });
    const alerts = c.db.prepare('SELECT count(*) FROM alerts').pluck().get() as number;
    // Year-less syslog lines fall in the scenario's year, like the access log's.
    const years = c.db.prepare("SELECT DISTINCT strftime('%Y', ts / 1000, 'unixepoch') FROM events WHERE ts IS NOT NULL").pluck().all();
    c.close();
    expect(alerts).toBeGreaterThan(5);
    expect(years).toEqual([SAMPLE.start.slice(0, 4)]);

    const made = statSync(summary.path).mtimeMs;
    const again = await dispatch('case:open-sample', undefined, TRUSTED);
    expect(again).toMatchObject({ ok: true, value: { path: summary.path, eventCount: SAMPLE.lines } });
    expect(statSync(summary.path).mtimeMs).toBe(made);
  });
});
