import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { listRecent, MAX_RECENT, RECENT_FILE, rememberCase } from './recent-cases.ts';

const tempDir = useTempDir();

describe('recent cases', () => {
  it('lists the cases opened, most recent first, each once, at most ten', () => {
    const data = join(tempDir(), 'data');
    expect(listRecent(data)).toEqual([]);
    for (let i = 0; i < 12; i++) rememberCase(data, `/cases/c${i}.loupe`, 1000 + i);
    rememberCase(data, '/cases/c5.loupe', 5000);
    const list = listRecent(data);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list.map((c) => c.name)).toEqual(['c5.loupe', 'c11.loupe', 'c10.loupe', 'c9.loupe', 'c8.loupe', 'c7.loupe', 'c6.loupe', 'c4.loupe', 'c3.loupe', 'c2.loupe']);
    expect(list[0]).toEqual({ path: '/cases/c5.loupe', name: 'c5.loupe', openedAt: 5000, exists: false });
  });

  it('says which cases are still there', () => {
    const dir = tempDir();
    const here = join(dir, 'here.loupe');
    writeFileSync(here, '');
    rememberCase(dir, join(dir, 'gone.loupe'), 1);
    rememberCase(dir, here, 2);
    rememberCase(dir, dir, 3);
    expect(listRecent(dir).map((c) => [c.name, c.exists])).toEqual([[dir.split('/').at(-1), false], ['here.loupe', true], ['gone.loupe', false]]);
  });

  it('reads a damaged list as empty, skips entries it cannot use, and rewrites the file on the next open', () => {
    const dir = tempDir();
    const file = join(dir, RECENT_FILE);
    writeFileSync(file, '{"not": "a list"');
    expect(listRecent(dir)).toEqual([]);
    writeFileSync(file, JSON.stringify([null, 7, { path: '' , openedAt: 1 }, { path: '/a.loupe' }, { path: '/b.loupe', openedAt: 'x' }, { path: '/c.loupe', openedAt: 3 }]));
    expect(listRecent(dir).map((c) => c.path)).toEqual(['/c.loupe']);
    rememberCase(dir, '/d.loupe', 4);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ path: '/d.loupe', openedAt: 4 }, { path: '/c.loupe', openedAt: 3 }]);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });
});
