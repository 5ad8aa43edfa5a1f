import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../shared/event.ts';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import { queryEvents } from '../engine/events-query.ts';
import { listSources } from '../engine/sources.ts';
import { readAudit } from '../engine/audit.ts';
import { useTempDir } from '../test/temp.ts';
import { importPaths, type ImportProgress } from './import.ts';

const tempDir = useTempDir();

const ACCESS = [
  '198.51.100.23 - - [14/Mar/2026:08:02:11 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
  '198.51.100.23 - - [14/Mar/2026:08:02:12 +0000] "GET /favicon.ico HTTP/1.1" 404 196 "https://shop.example.org/" "Mozilla/5.0"',
  'this line is not an access log line',
  '203.0.113.9 - alice [14/Mar/2026:08:03:00 +0100] "POST /login HTTP/1.1" 302 0 "-" "curl/8.5.0"',
].join('\n') + '\n';

const AUTH = [
  'Mar 14 08:02:11 web01 sshd[811]: Failed password for root from 203.0.113.50 port 40022 ssh2',
  'Mar 14 08:02:15 web01 sshd[811]: Accepted password for alice from 203.0.113.50 port 40022 ssh2',
].join('\n') + '\n';

function newCase(dir: string): CaseDb {
  return openCase(join(dir, 'case.loupe'), { create: true });
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function count(c: CaseDb, sourceId?: number): number {
  const sql = sourceId === undefined ? 'SELECT count(*) AS n FROM events' : 'SELECT count(*) AS n FROM events WHERE source_id = ?';
  return (c.db.prepare(sql).get(...(sourceId === undefined ? [] : [sourceId])) as { n: number }).n;
}

describe('import', () => {
  it('keeps every line: parsed ones with fields, the rest as unparsed with their raw text', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, ACCESS);
    const c = newCase(dir);
    const result = await importPaths(c, [log]);
    const [source] = result.sources;
    expect(source).toMatchObject({
      name: 'access.log', format: 'apache.access', status: 'complete', sha256: sha256(log), size: statSync(log).size,
      lines: { total: 4, parsed: 3, unparsed: 1, truncated: 0, invalidUtf8: 0 }, timezone: 'UTC',
    });
    expect(source?.formatConfidence).toBeCloseTo(0.75);
    expect(count(c)).toBe(4);
    const events = queryEvents(c.db, {}, { limit: 10 });
    const unparsed = events.find((e) => e.dataset === 'unparsed');
    expect(unparsed).toMatchObject({ raw: 'this line is not an access log line', lineNo: 3 });
    const alice = events.find((e) => e.user === 'alice');
    expect(alice).toMatchObject({ srcIp: '203.0.113.9', httpStatus: 302, ts: Date.UTC(2026, 2, 14, 7, 3), lineNo: 4 });
    expect(alice?.offset).toBe(ACCESS.indexOf('203.0.113.9'));
    c.close();
  });

  it('imports folders recursively, several paths at once, and .gz transparently', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'logs', 'access.log'), ACCESS);
    writeFileSync(join(dir, 'logs', 'nested', 'auth.log.1.gz'), gzipSync(AUTH));
    writeFileSync(join(dir, 'logs', '.hidden'), 'not imported\n');
    const extra = join(dir, 'extra.log');
    writeFileSync(extra, AUTH);
    const c = newCase(dir);
    const result = await importPaths(c, [join(dir, 'logs'), extra]);
    expect(result.sources.map((s) => [s.name, s.format, s.compression, s.lines.total])).toEqual([
      ['access.log', 'apache.access', null, 4],
      ['nested/auth.log.1.gz', 'syslog', 'gzip', 2],
      ['extra.log', 'syslog', null, 2],
    ]);
    // The hash is the evidence file's as it is on disk: the compressed bytes.
    expect(result.sources[1]?.sha256).toBe(sha256(join(dir, 'logs', 'nested', 'auth.log.1.gz')));
    expect(count(c)).toBe(8);
    c.close();
  });

  it('reads every member of a multi-member .gz', async () => {
    const dir = tempDir();
    const gz = join(dir, 'rotated.log.gz');
    writeFileSync(gz, Buffer.concat([gzipSync(AUTH), gzipSync(AUTH)]));
    const c = newCase(dir);
    const [source] = (await importPaths(c, [gz])).sources;
    expect(source?.lines.total).toBe(4);
    expect(source?.status).toBe('complete');
    c.close();
  });

  it('keeps what a truncated .gz held and marks the source incomplete, saying where it broke', async () => {
    const dir = tempDir();
    const body = Array.from({ length: 2000 }, (_, i) => `Mar 14 08:02:11 web01 app[1]: line ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n';
    const whole = gzipSync(body);
    const gz = join(dir, 'cut.log.gz');
    writeFileSync(gz, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const c = newCase(dir);
    const [source] = (await importPaths(c, [gz])).sources;
    expect(source?.status).toBe('incomplete');
    expect(source?.problem).toMatch(/gzip data is truncated: the file ends after \d+ bytes/);
    expect(source?.sha256).toBe(sha256(gz));
    expect(source?.lines.total).toBeGreaterThan(100);
    expect(source?.lines.total).toBeLessThan(2000);
    expect(count(c, source?.id)).toBe(source?.lines.total);
    c.close();
  });

  it('truncates huge lines with a flag, keeps invalid UTF-8 bytes exactly, and goes on', async () => {
    const dir = tempDir();
    const log = join(dir, 'odd.log');
    const invalid = Buffer.from([0x4d, 0x61, 0x72, 0x20, 0xff, 0xfe, 0x20, 0x62, 0x61, 0x64]);
    writeFileSync(log, Buffer.concat([
      Buffer.from(`${AUTH.split('\n')[0]}\n${'A'.repeat(300_000)}\n`), invalid, Buffer.from(`\n\x1b[31mred\x1b[0m <script>alert(1)</script>\n${AUTH.split('\n')[1]}`),
    ]));
    const c = newCase(dir);
    const [source] = (await importPaths(c, [log], { maxLineBytes: 1024 })).sources;
    expect(source?.lines).toEqual({ total: 5, parsed: 2, unparsed: 3, truncated: 1, invalidUtf8: 1 });
    const events = queryEvents(c.db, { sourceId: source?.id ?? -1 }, { limit: 10 }).sort((a, b) => a.lineNo - b.lineNo);
    expect(events[1]).toMatchObject({ lineNo: 2, raw: 'A'.repeat(1024), flags: EventFlag.truncated, extra: { 'loupe.line_bytes': 300_000 } });
    expect(events[2]?.flags).toBe(EventFlag.invalidUtf8);
    expect(events[2]?.raw).toBe('Mar \uFFFD\uFFFD bad');
    const bytes = c.db.prepare('SELECT bytes FROM raw_bytes WHERE event_id = ?').pluck().get(events[2]?.id) as Buffer;
    expect(Buffer.compare(bytes, invalid)).toBe(0);
    expect(events[3]?.raw).toBe('\x1b[31mred\x1b[0m <script>alert(1)</script>');
    expect(events[4]).toMatchObject({ lineNo: 5, dataset: 'sshd', user: 'alice' });
    c.close();
  });

  it('refuses a binary file with a reason and imports the rest', async () => {
    const dir = tempDir();
    const bin = join(dir, 'image.png');
    writeFileSync(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const c = newCase(dir);
    const result = await importPaths(c, [dir]);
    expect(result.sources.map((s) => s.name)).toEqual(['auth.log']);
    expect(result.skipped).toContainEqual({ path: bin, reason: expect.stringMatching(/looks binary: \d+% of its first/) });
    // The case lives in the same folder: it is named and left out, not imported into itself.
    expect(result.skipped).toContainEqual({ path: c.path, reason: expect.stringMatching(/case file itself/) });
    expect(listSources(c.db)).toHaveLength(1);
    c.close();
  });

  it('never modifies the evidence: imports from a read-only folder, hashes and times unchanged', async () => {
    const dir = tempDir();
    const evidence = join(dir, 'evidence');
    mkdirSync(evidence);
    const files = ['access.log', 'auth.log.gz'].map((n) => join(evidence, n));
    writeFileSync(files[0]!, ACCESS);
    writeFileSync(files[1]!, gzipSync(AUTH));
    const before = files.map((f) => ({ hash: sha256(f), mtime: statSync(f).mtimeMs, mode: statSync(f).mode }));
    for (const f of files) chmodSync(f, 0o444);
    chmodSync(evidence, 0o555);
    try {
      const c = newCase(dir);
      const result = await importPaths(c, [evidence]);
      expect(result.sources.map((s) => s.status)).toEqual(['complete', 'complete']);
      expect(result.sources.map((s) => s.sha256)).toEqual(before.map((b) => b.hash));
      c.close();
      expect(files.map((f) => ({ hash: sha256(f), mtime: statSync(f).mtimeMs }))).toEqual(before.map((b) => ({ hash: b.hash, mtime: b.mtime })));
    } finally {
      chmodSync(evidence, 0o755);
    }
  });

  it('reports progress with bytes, lines, rate and an ETA, and can be cancelled', async () => {
    const dir = tempDir();
    const log = join(dir, 'big.log');
    const line = '198.51.100.23 - - [14/Mar/2026:08:02:11 +0000] "GET /index.html HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n';
    writeFileSync(log, line.repeat(200_000));
    const c = newCase(dir);
    const seen: ImportProgress[] = [];
    const abort = new AbortController();
    const result = await importPaths(c, [log], {
      signal: abort.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.lines > 50_000) abort.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    const reading = seen.filter((p) => p.phase === 'reading' && p.lines > 0);
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.at(-1)).toMatchObject({ file: log, fileCount: 1, bytesTotal: statSync(log).size });
    expect(reading.at(-1)?.linesPerSecond).toBeGreaterThan(0);
    expect(reading.at(-1)?.etaSeconds).toBeGreaterThan(0);
    // A cancelled file leaves nothing half-imported behind, and the case says so.
    expect(listSources(c.db)).toHaveLength(0);
    expect(count(c)).toBe(0);
    expect(readAudit(c.db).map((a) => a.action)).toContain('import-cancelled');
    c.close();
  });

  it('records and applies the timezone of timestamps without an offset', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const c = newCase(dir);
    const [source] = (await importPaths(c, [log], { timezone: 'America/New_York' })).sources;
    expect(source?.timezone).toBe('America/New_York');
    expect(source?.assumptions.join(' ')).toMatch(/year/i);
    const [first] = queryEvents(c.db, {}, { limit: 1 });
    // 08:02:11 in New York in March (after the DST change on the 8th) is 12:02:11 UTC.
    expect(new Date(first?.ts ?? 0).toISOString().slice(5)).toBe('03-14T12:02:11.000Z');
    expect((first?.flags ?? 0) & EventFlag.zoneAssumed).toBeTruthy();
    c.close();
  });

  it('lets the analyst force a format, and says which formats exist when one is unknown', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const c = newCase(dir);
    const [source] = (await importPaths(c, [log], { format: 'apache.access' })).sources;
    expect(source).toMatchObject({ format: 'apache.access', formatForced: true, lines: { total: 2, parsed: 0, unparsed: 2 } });
    await expect(importPaths(c, [log], { format: 'nope' })).rejects.toThrow(/unknown format "nope"; known formats: .*apache\.access/);
    await expect(importPaths(c, [log], { timezone: 'Mars/Base' })).rejects.toThrow(/unknown time zone "Mars\/Base"/);
    c.close();
  });

  it('refuses a path that does not exist before importing anything', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const c = newCase(dir);
    await expect(importPaths(c, [log, join(dir, 'nope.log')])).rejects.toThrow(/nope\.log: no such file or folder/);
    expect(listSources(c.db)).toHaveLength(0);
    c.close();
  });

  it('skips a file it already holds and says so', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const c = newCase(dir);
    await importPaths(c, [log]);
    const again = await importPaths(c, [log]);
    expect(again.sources).toHaveLength(0);
    expect(again.skipped[0]?.reason).toMatch(/already imported as source 1/);
    expect(count(c)).toBe(2);
    c.close();
  });

  it('imports while the window has the same case open, which can read the result', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const reader = newCase(dir);
    const writer = openCase(reader.path);
    const [source] = (await importPaths(writer, [log])).sources;
    expect(source?.status).toBe('complete');
    expect(count(reader)).toBe(2);
    writer.close();
    reader.close();
  });

  it('keeps an empty file as a source with no lines', async () => {
    const dir = tempDir();
    const log = join(dir, 'empty.log');
    writeFileSync(log, '');
    const c = newCase(dir);
    const [source] = (await importPaths(c, [log])).sources;
    expect(source).toMatchObject({ status: 'complete', format: 'unknown', lines: { total: 0 } });
    c.close();
  });
});
