import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { listSources } from '../engine/sources.ts';
import { listAlerts } from '../engine/alerts.ts';
import { useTempDir } from '../test/temp.ts';
import type { ImportProgress } from './import.ts';
import { ImportFailed, importInWorker } from './run-import.ts';

const tempDir = useTempDir();
const LINE = '198.51.100.23 - - [14/Mar/2026:08:02:11 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n';

describe('import in a worker thread', () => {
  it('imports off the calling thread, posting progress back', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, LINE.repeat(50_000));
    const progress: ImportProgress[] = [];
    // The calling thread stays free: a timer keeps firing while the worker imports.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const result = await importInWorker(join(dir, 'case.loupe'), [log], {}, { onProgress: (p) => progress.push(p) });
    clearInterval(timer);
    expect(result.sources[0]).toMatchObject({ format: 'apache.access', status: 'complete', lines: { total: 50_000 } });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', lines: 50_000 });
    expect(ticks).toBeGreaterThan(0);
    const c = openCase(join(dir, 'case.loupe'), { readonly: true });
    expect(listSources(c.db)).toHaveLength(1);
    c.close();
  });

  it('runs the detection rules when the import has finished, as the app needs', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    const attack = '203.0.113.66 - - [14/Mar/2026:08:03:00 +0000] "GET /item.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.8#stable"\n';
    writeFileSync(log, LINE.repeat(100) + attack);
    const result = await importInWorker(join(dir, 'case.loupe'), [log], {});
    const c = openCase(join(dir, 'case.loupe'), { readonly: true });
    const alerts = listAlerts(c.db);
    expect(result.detections).toEqual({ alerts: alerts.length, added: alerts.length });
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.map((a) => a.entity.value)).toContain('203.0.113.66');
    expect(alerts.some((a) => /SQL injection/i.test(a.rule.title))).toBe(true);
    c.close();
    const quiet = join(dir, 'quiet.loupe');
    expect((await importInWorker(quiet, [log], {}, { detect: false })).detections).toBeUndefined();
    const q = openCase(quiet, { readonly: true });
    expect(listAlerts(q.db)).toHaveLength(0);
    q.close();
  });

  it('cancels when asked and leaves no half-imported source', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, LINE.repeat(400_000));
    const abort = new AbortController();
    const result = await importInWorker(join(dir, 'case.loupe'), [log], {}, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.lines > 20_000) abort.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    const c = openCase(join(dir, 'case.loupe'), { readonly: true });
    expect(listSources(c.db)).toHaveLength(0);
    c.close();
  });

  it('reports the engine error by name and message', async () => {
    const dir = tempDir();
    const err = await importInWorker(join(dir, 'case.loupe'), [join(dir, 'missing.log')], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFailed);
    expect((err as ImportFailed).message).toMatch(/missing\.log: no such file or folder/);
    expect((err as ImportFailed).kind).toBe('ImportInputError');
  });
});
