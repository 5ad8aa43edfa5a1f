import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../shared/parse/registry.ts';
import { TRUSTED, useLoupe } from '../test/loupe.ts';
import { useTempDir } from '../test/temp.ts';

const tempDir = useTempDir();
const makeLoupe = useLoupe();

const ACCESS = '198.51.100.23 - - [14/Mar/2026:08:02:11 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n';
const SQLI = '203.0.113.66 - - [14/Mar/2026:08:03:00 +0000] "GET /item.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.8#stable"\n';

describe('formats:list', () => {
  it('lists every format the import can be told to use, with a name and a description', async () => {
    const r = await makeLoupe().dispatch('formats:list', undefined, TRUSTED);
    if (!r.ok) throw new Error(r.error);
    const formats = r.value as { id: string; name: string; description: string }[];
    expect(formats.map((f) => f.id)).toEqual(FORMATS.map((f) => f.id));
    for (const f of formats) expect(f.description.length, f.id).toBeGreaterThan(10);
    expect(formats.find((f) => f.id === 'apache.access')?.name).toBe('Apache / nginx access log');
  });
});

describe('import:preview', () => {
  it('says what each file would be imported as, and writes nothing', async () => {
    const { dispatch } = makeLoupe();
    const dir = tempDir();
    const casePath = join(dir, 'case.loupe');
    await dispatch('case:create', { path: casePath }, TRUSTED);
    writeFileSync(join(dir, 'access.log'), ACCESS.repeat(10));
    const before = readdirSync(dir).sort();
    const r = await dispatch('import:preview', { paths: [dir] }, TRUSTED);
    if (!r.ok) throw new Error(r.error);
    const preview = r.value as { files: unknown[]; skipped: { path: string; reason: string }[] };
    expect(preview.files).toEqual([{
      path: join(dir, 'access.log'), name: 'access.log', format: 'apache.access', confidence: 1, candidates: [],
      size: ACCESS.length * 10, compression: null, sample: Array(5).fill(ACCESS.trim()),
    }]);
    // The open case (and its write-ahead log) is not evidence.
    expect(preview.skipped.map((s) => s.path)).toContain(casePath);
    for (const s of preview.skipped) expect(s.reason).toMatch(/case file itself/);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(await dispatch('case:list-sources', undefined, TRUSTED)).toEqual({ ok: true, value: [] });
    expect(await dispatch('import:preview', { paths: ['logs/a.log'] }, TRUSTED)).toEqual({ ok: false, error: 'give full paths to import (logs/a.log is relative)' });
    expect(await dispatch('import:preview', { paths: [join(dir, 'gone.log')] }, TRUSTED)).toEqual({ ok: false, error: `${join(dir, 'gone.log')}: no such file or folder` });
  });
});

describe('import:start', () => {
  it("imports with the analyst's per-file formats, reports the alerts found, and tells the window the case changed", async () => {
    const { dispatch, pushed } = makeLoupe();
    const dir = tempDir();
    await dispatch('case:create', { path: join(dir, 'case.loupe') }, TRUSTED);
    const [web, other] = [join(dir, 'web.log'), join(dir, 'other.log')];
    writeFileSync(web, ACCESS.repeat(50) + SQLI);
    writeFileSync(other, ACCESS.repeat(5));

    const r = await dispatch('import:start', { paths: [web, other], formats: [{ path: other, format: 'csv' }] }, TRUSTED);
    if (!r.ok) throw new Error(r.error);
    const result = r.value as { sources: { name: string; format: string; formatForced: boolean }[]; detections: { alerts: number; added: number } };
    expect(result.sources.map((s) => [s.name, s.format, s.formatForced])).toEqual([['web.log', 'apache.access', false], ['other.log', 'csv', true]]);
    expect(result.detections.alerts).toBeGreaterThan(0);
    expect(result.detections.added).toBe(result.detections.alerts);

    const events = pushed.map((p) => p.event).filter((e) => e !== 'import:progress-changed');
    expect(events).toEqual(['case:summary-changed', 'alerts:list-changed']);
    expect(pushed.find((p) => p.event === 'case:summary-changed')?.payload).toMatchObject({ eventCount: 56, sources: [{ name: 'web.log' }, { name: 'other.log' }] });
    expect(pushed.find((p) => p.event === 'alerts:list-changed')?.payload).toEqual({ total: result.detections.alerts });

    // The same files again: nothing new, so no alerts run and nothing to refresh.
    pushed.length = 0;
    const again = await dispatch('import:start', { paths: [web] }, TRUSTED);
    expect(again).toMatchObject({ ok: true, value: { sources: [], skipped: [{ path: web, reason: expect.stringMatching(/already imported/) }] } });
    expect(again.ok && 'detections' in (again.value as object)).toBe(false);
    expect(pushed.filter((p) => p.event !== 'import:progress-changed')).toEqual([]);
  });

  it('refuses a format it does not know, and a relative path among the chosen formats', async () => {
    const { dispatch } = makeLoupe();
    const dir = tempDir();
    await dispatch('case:create', { path: join(dir, 'case.loupe') }, TRUSTED);
    const log = join(dir, 'a.log');
    writeFileSync(log, ACCESS);
    expect(await dispatch('import:start', { paths: [log], formats: [{ path: log, format: 'evtx' }] }, TRUSTED))
      .toMatchObject({ ok: false, error: expect.stringMatching(/^unknown format "evtx"; known formats: /) });
    expect(await dispatch('import:start', { paths: [log], formats: [{ path: 'a.log', format: 'csv' }] }, TRUSTED))
      .toEqual({ ok: false, error: 'give full paths to import (a.log is relative)' });
    expect(await dispatch('case:list-sources', undefined, TRUSTED)).toEqual({ ok: true, value: [] });
  });
});
