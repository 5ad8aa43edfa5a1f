import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../engine/audit.ts';
import { access, intelCase } from '../test/intel-case.ts';
import { useTempDir } from '../test/temp.ts';
import { defaultListName, getList, importList, ListImportError, listLists, loadLists, removeList } from './lists.ts';

const tempDir = useTempDir();

const FIREHOL = `# firehol_level1
# This File Date  : Sun Nov 22 21:49:03 UTC 2026
#
45.83.64.0/22
198.51.100.0/24
`;

async function setup() {
  const dir = tempDir();
  const c = await intelCase(dir, { 'access.log': [access('45.83.64.17'), access('192.0.2.1')] });
  return { dir, c };
}

describe('importList', () => {
  it('records the name, the file\'s SHA-256, its entries and the date its header states', async () => {
    const { dir, c } = await setup();
    const path = join(dir, 'firehol_level1.netset');
    writeFileSync(path, FIREHOL);
    const r = importList(c, path);
    expect(r.replaced).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(r.list).toMatchObject({
      name: 'firehol_level1', path, format: 'netset', entries: 2, rejected: 0, size: FIREHOL.length,
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
      describedAt: Date.UTC(2026, 10, 22, 21, 49, 3), describedAtFrom: 'header', describedAtText: '# This File Date  : Sun Nov 22 21:49:03 UTC 2026',
    });
    expect(loadLists(c.db).map((l) => [l.name, l.networks.length])).toEqual([['firehol_level1', 2]]);
    expect(readAudit(c.db).at(-1)).toMatchObject({ action: 'intel-list-imported', detail: { name: 'firehol_level1', sha256: r.list.sha256, entries: 2, describedAtFrom: 'header' } });
    c.close();
  });

  it('takes the analyst\'s date when the header says none, else the file\'s modification time, and says which', async () => {
    const { dir, c } = await setup();
    const path = join(dir, 'iocs.txt');
    writeFileSync(path, '45.83.64.17\n');
    const mtime = new Date('2026-11-01T12:00:00Z');
    utimesSync(path, mtime, mtime);
    const byMtime = importList(c, path);
    expect(byMtime.list).toMatchObject({ name: 'iocs', describedAt: mtime.getTime(), describedAtFrom: 'mtime' });
    expect(byMtime.warnings).toEqual(['the list does not say what date it describes; the file\'s modification time 2026-11-01T12:00:00.000Z is used']);
    const byAnalyst = importList(c, path, { date: Date.UTC(2026, 10, 15) });
    expect(byAnalyst).toMatchObject({ replaced: true, warnings: [], list: { describedAt: Date.UTC(2026, 10, 15), describedAtFrom: 'analyst' } });
    c.close();
  });

  it('keeps the header\'s date over one given, and warns', async () => {
    const { dir, c } = await setup();
    const path = join(dir, 'firehol_level1.netset');
    writeFileSync(path, FIREHOL);
    const r = importList(c, path, { date: Date.UTC(2020, 0, 1) });
    expect(r.list.describedAtFrom).toBe('header');
    expect(r.warnings).toEqual(['the list\'s header dates it 2026-11-22T21:49:03.000Z; that date is kept, not the one given']);
    c.close();
  });

  it('replaces a list imported under the same name (any case), and removes one', async () => {
    const { dir, c } = await setup();
    const a = join(dir, 'a.txt');
    writeFileSync(a, '45.83.64.17\n');
    importList(c, a, { name: 'Watch' });
    writeFileSync(a, '45.83.64.17\n192.0.2.1\n');
    const again = importList(c, a, { name: 'watch' });
    expect(again.replaced).toBe(true);
    expect(listLists(c.db).map((l) => [l.name, l.entries])).toEqual([['watch', 2]]);
    expect(getList(c.db, 'WATCH')?.entries).toBe(2);
    expect(readAudit(c.db).at(-1)).toMatchObject({ action: 'intel-list-replaced' });
    expect(removeList(c, 'WATCH')).toBe(true);
    expect(removeList(c, 'watch')).toBe(false);
    expect(listLists(c.db)).toEqual([]);
    expect(c.db.prepare('SELECT count(*) FROM intel_list_entries').pluck().get()).toBe(0);
    c.close();
  });

  it('reads .gz lists, and CSV by the named column', async () => {
    const { dir, c } = await setup();
    const gz = join(dir, 'spamhaus_drop.txt.gz');
    writeFileSync(gz, gzipSync('; Last-Modified: Sun, 22 Nov 2026 11:47:24 GMT\n45.83.64.0/22 ; SBL999\n'));
    expect(importList(c, gz).list).toMatchObject({ name: 'spamhaus_drop', entries: 1, describedAt: Date.UTC(2026, 10, 22, 11, 47, 24) });
    const csv = join(dir, 'c2.csv');
    writeFileSync(csv, 'seen,src,dst\n2026-11-01,10.0.0.1,45.83.64.17\n');
    expect(importList(c, csv, { column: 'dst' }).list).toMatchObject({ format: 'csv', column: 'dst', entries: 1 });
    c.close();
  });

  it('refuses what is not a list, naming the file and the reason', async () => {
    const { dir, c } = await setup();
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '# nothing\nexample.com\n');
    expect(() => importList(c, empty)).toThrow(ListImportError);
    expect(() => importList(c, empty)).toThrow(/empty\.txt: no address or network found \(1 line\(s\) not understood\)/);
    const bin = join(dir, 'blob.bin');
    writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0, 0]));
    expect(() => importList(c, bin)).toThrow(/blob\.bin: looks binary/);
    expect(() => importList(c, join(dir, 'missing.txt'))).toThrow(/missing\.txt: cannot read the list \(ENOENT\)/);
    const ok = join(dir, 'ok.txt');
    writeFileSync(ok, '45.83.64.17\n');
    expect(() => importList(c, ok, { name: '../etc' })).toThrow(/cannot name a list/);
    expect(listLists(c.db)).toEqual([]);
    c.close();
  });

  it('names a list after its file', () => {
    expect(defaultListName('/x/firehol_level1.netset')).toBe('firehol_level1');
    expect(defaultListName('/x/drop_v4.json.gz')).toBe('drop_v4');
    expect(defaultListName('/x/My IoCs (Nov).csv')).toBe('My_IoCs_Nov_');
  });
});
