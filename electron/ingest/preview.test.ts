import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { previewImport } from './preview.ts';

const tempDir = useTempDir();
const ACCESS = (i: number): string =>
  `203.0.113.${i % 200} - - [10/Oct/2024:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" 200 ${i} "-" "curl/8"`;
const AUTH = (i: number): string =>
  `Oct 10 13:59:${String(i % 60).padStart(2, '0')} web1 sshd[${300 + i}]: Failed password for root from 198.51.100.${i % 250} port ${40000 + i} ssh2`;

function lines(make: (i: number) => string, n: number): string {
  return `${Array.from({ length: n }, (_, i) => make(i)).join('\n')}\n`;
}

/** Every file under `dir` with its size and time, to show nothing was written. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
    const st = statSync(join(dir, f));
    return `${f} ${st.size} ${st.mtimeMs}`;
  });
}

describe('import preview', () => {
  it('detects each file as the import would, with the other candidates, first lines, size and compression', async () => {
    const dir = tempDir();
    const evidence = join(dir, 'evidence');
    mkdirSync(join(evidence, 'web'), { recursive: true });
    writeFileSync(join(evidence, 'web', 'access.log'), lines(ACCESS, 5000));
    writeFileSync(join(evidence, 'auth.log.1.gz'), gzipSync(lines(AUTH, 300)));
    writeFileSync(join(evidence, 'notes.txt'), 'the admin said the box was slow\nnothing else\n');
    writeFileSync(join(evidence, 'image.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 32)));
    writeFileSync(join(evidence, 'empty.log'), '');
    const before = snapshot(dir);

    const preview = await previewImport([evidence], null);
    expect(snapshot(dir)).toEqual(before);
    expect(preview.files.map((f) => [f.name, f.format])).toEqual([
      ['auth.log.1.gz', 'syslog'], ['empty.log', 'unparsed'], ['notes.txt', 'unparsed'], ['web/access.log', 'apache.access'],
    ]);
    const [auth, empty, notes, access] = preview.files;
    expect(access).toMatchObject({
      path: join(evidence, 'web', 'access.log'), size: statSync(join(evidence, 'web', 'access.log')).size,
      compression: null, confidence: 1, sample: [ACCESS(0), ACCESS(1), ACCESS(2), ACCESS(3), ACCESS(4)],
    });
    expect(access?.candidates.map((c) => c.id)).not.toContain('apache.access');
    expect(auth).toMatchObject({ compression: 'gzip', confidence: 1, sample: [AUTH(0), AUTH(1), AUTH(2), AUTH(3), AUTH(4)] });
    expect(empty).toMatchObject({ size: 0, confidence: null, candidates: [], sample: [] });
    expect(notes).toMatchObject({ confidence: null, sample: ['the admin said the box was slow', 'nothing else'] });
    expect(preview.skipped).toEqual([{ path: join(evidence, 'image.bin'), reason: expect.stringMatching(/^looks binary/) }]);
  });

  it('names the formats that fit part of a file, best first, and shows long lines cut', async () => {
    const dir = tempDir();
    const mixed = join(dir, 'mixed.log');
    writeFileSync(mixed, `${'x'.repeat(3000)}\n${lines(AUTH, 20)}${lines(ACCESS, 10)}`);
    const [file] = (await previewImport([mixed], null)).files;
    expect(file?.format).toBe('syslog');
    expect(file?.confidence).toBeCloseTo(20 / 31, 3);
    expect(file?.candidates[0]).toEqual({ id: 'apache.access', confidence: expect.closeTo(10 / 31, 3) });
    expect(file?.sample[0]).toBe(`${'x'.repeat(1000)}…`);
  });

  it('leaves out the open case and its journal, and keeps what a truncated .gz holds', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'case.loupe'), 'SQLite format 3\0');
    writeFileSync(join(dir, 'case.loupe-wal'), '');
    const gz = gzipSync(lines(ACCESS, 20_000));
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const preview = await previewImport([dir], join(dir, 'case.loupe'));
    expect(preview.files.map((f) => [f.name, f.format])).toEqual([['cut.log.gz', 'apache.access']]);
    expect(preview.skipped.map((s) => s.reason)).toEqual([
      'this is the case file itself (or its journal); not imported', 'this is the case file itself (or its journal); not imported',
    ]);
  });

  it('refuses a path that does not exist', async () => {
    await expect(previewImport(['/nowhere/at/all.log'], null)).rejects.toThrow('/nowhere/at/all.log: no such file or folder');
  });
});
