import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { listSources } from '../engine/sources.ts';
import { useTempDir } from '../test/temp.ts';
import { importPaths } from './import.ts';

const tempDir = useTempDir();
const ACCESS = '198.51.100.23 - - [14/Mar/2026:08:02:11 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"\n';
const JSON_LINE = '{"@timestamp":"2026-03-14T08:02:11Z","source":{"ip":"203.0.113.5"},"message":"hello"}\n';

describe('per-file formats', () => {
  it("uses the analyst's format for the files named, over the one given for all and over detection", async () => {
    const dir = tempDir();
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'a.log'), ACCESS.repeat(3));
    writeFileSync(join(logs, 'b.log'), ACCESS.repeat(3));
    writeFileSync(join(logs, 'c.json'), JSON_LINE.repeat(2));
    const c = openCase(join(dir, 'case.loupe'), { create: true });
    try {
      await importPaths(c, [logs], { formats: [{ path: join(logs, 'a.log'), format: 'csv' }] });
      const byName = Object.fromEntries(listSources(c.db).map((s) => [s.name, s]));
      expect(byName['a.log']).toMatchObject({ format: 'csv', formatForced: true });
      expect(byName['b.log']).toMatchObject({ format: 'apache.access', formatForced: false, lines: { parsed: 3 } });
      expect(byName['c.json']).toMatchObject({ format: 'json', formatForced: false, lines: { parsed: 2 } });

      const other = join(dir, 'other.loupe');
      const d = openCase(other, { create: true });
      await importPaths(d, [logs], { format: 'syslog', formats: [{ path: join(logs, 'c.json'), format: 'json' }] });
      expect(listSources(d.db).map((s) => [s.name, s.format])).toEqual([['a.log', 'syslog'], ['b.log', 'syslog'], ['c.json', 'json']]);
      d.close();
    } finally {
      c.close();
    }
  });

  it('refuses an unknown format, or a format for a file that is not imported, before importing anything', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.log'), ACCESS);
    const c = openCase(join(dir, 'case.loupe'), { create: true });
    try {
      await expect(importPaths(c, [join(dir, 'a.log')], { formats: [{ path: join(dir, 'a.log'), format: 'evtx' }] }))
        .rejects.toThrow(/^unknown format "evtx"; known formats: .*apache\.access/);
      await expect(importPaths(c, [join(dir, 'a.log')], { formats: [{ path: join(dir, 'b.log'), format: 'csv' }] }))
        .rejects.toThrow(`a format was chosen for ${join(dir, 'b.log')}, which is not among the files to import`);
      expect(listSources(c.db)).toEqual([]);
    } finally {
      c.close();
    }
  });
});
