import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { listSources } from '../engine/sources.ts';
import { useTempDir } from '../test/temp.ts';
import { importPaths } from './import.ts';

const tempDir = useTempDir();
const CLI = new URL('../../bin/loupe.mjs', import.meta.url).pathname;

function bigAccessLog(path: string, lines: number): void {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} - - [14/Mar/2026:08:${String(Math.floor(i / 6000) % 60).padStart(2, '0')}:${String(Math.floor(i / 100) % 60).padStart(2, '0')} +0000] "GET /item/${i} HTTP/1.1" ${i % 17 === 0 ? 404 : 200} ${i % 9000} "-" "Mozilla/5.0 (test ${i % 7})"`);
    if (i % 1000 === 999) out.push(`garbage line ${i}`);
  }
  writeFileSync(path, out.join('\n') + '\n');
}

const CONTENT = `SELECT ts, line_no, offset, dataset, src_ip, user, http_status, url, raw, flags, extra
  FROM events WHERE source_id = ? ORDER BY line_no`;

describe('Ctrl-C during `loupe import`', () => {
  it('cancels, removes the half-read file from the case, and exits 130', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    bigAccessLog(log, 300_000);
    const casePath = join(dir, 'interrupted.loupe');
    const child = spawn(process.execPath, [CLI, 'import', casePath, log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    while (!(existsSync(casePath) && statSync(casePath).size > 4_000_000)) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(out).toMatch(/cancelled; the file being read was removed from the case/);
    const c = openCase(casePath, { readonly: true });
    expect(listSources(c.db)).toHaveLength(0);
    expect((c.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(0);
    c.close();
  }, 120_000);
});

describe('a running import seen from another process', () => {
  it('is not mistaken for an interrupted one', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    bigAccessLog(log, 300_000);
    const casePath = join(dir, 'busy.loupe');
    const child = spawn(process.execPath, [CLI, 'import', casePath, log], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    while (!(existsSync(casePath) && statSync(casePath).size > 4_000_000)) await new Promise((r) => setTimeout(r, 5));
    // The analyst opens the case (read-write, as the app does) while the CLI is still importing.
    const c = openCase(casePath);
    expect(listSources(c.db)[0]?.status).toBe('importing');
    c.close();
    expect(await exited).toBe(0);
    const after = openCase(casePath, { readonly: true });
    expect(listSources(after.db)[0]).toMatchObject({ status: 'complete', lines: { total: 300_300 } });
    after.close();
  }, 120_000);
});

describe('an import killed with SIGKILL', () => {
  it('leaves a case that opens, passes integrity_check, marks the source incomplete, and re-imports to the same result', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    bigAccessLog(log, 400_000);
    const casePath = join(dir, 'killed.loupe');

    const child = spawn(process.execPath, [CLI, 'import', casePath, log], { stdio: 'ignore' });
    // Kill once rows have been committed: the case file has grown past its empty size.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(casePath) && statSync(casePath).size > 8_000_000) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the import finished before it could be killed; make the file bigger'));
      });
    });
    await new Promise((r) => child.once('exit', r));

    const c = openCase(casePath);
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const [interrupted] = listSources(c.db);
    expect(interrupted?.status).toBe('incomplete');
    expect(interrupted?.problem).toMatch(/interrupted/);
    expect(interrupted?.lines.total).toBeGreaterThan(0);
    expect(interrupted?.lines.total).toBeLessThan(400_400);
    expect(interrupted?.lines.total).toBe((c.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);

    const again = await importPaths(c, [log]);
    const [redone] = again.sources;
    expect(redone?.status).toBe('complete');
    expect(listSources(c.db)).toHaveLength(1);

    const clean = openCase(join(dir, 'clean.loupe'), { create: true });
    const [reference] = (await importPaths(clean, [log])).sources;
    expect(redone?.lines).toEqual(reference?.lines);
    expect(redone?.sha256).toBe(reference?.sha256);
    const rows = c.db.prepare(CONTENT).raw().all(redone?.id);
    const expected = clean.db.prepare(CONTENT).raw().all(reference?.id);
    expect(rows.length).toBe(400_400);
    expect(rows).toEqual(expected);
    c.close();
    clean.close();
  }, 120_000);
});
