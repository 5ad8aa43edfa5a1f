import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_INDEXES, openCase } from '../engine/case-db.ts';
import { generateScenario } from '../gen/generate.ts';
import { useTempDir } from '../test/temp.ts';
import { importPaths } from './import.ts';

const tempDir = useTempDir();

/** The index statements an import runs, in order. */
async function importWatched(casePath: string, paths: string[]): Promise<string[]> {
  const c = openCase(casePath, { create: true });
  const seen: string[] = [];
  const exec = c.db.exec.bind(c.db);
  c.db.exec = ((sql: string) => {
    const m = /^(DROP|CREATE) INDEX (?:IF (?:NOT )?EXISTS )?(\w+)/.exec(sql);
    if (m) seen.push(`${m[1]} ${m[2]}`);
    return exec(sql);
  }) as typeof c.db.exec;
  await importPaths(c, paths);
  // Every index is there and holds exactly the rows that have its column.
  for (const index of EVENT_INDEXES) {
    const column = index.partialOn ?? (index.name === 'events_src_ip' ? 'src_ip' : 'ts');
    const viaIndex = c.db.prepare(`SELECT count(*) FROM events INDEXED BY ${index.name} WHERE ${column} IS NOT NULL`).pluck().get();
    const viaTable = c.db.prepare(`SELECT count(*) FROM events NOT INDEXED WHERE ${column} IS NOT NULL`).pluck().get();
    expect(viaIndex, index.name).toBe(viaTable);
  }
  c.close();
  return seen;
}

describe('indexes during a bulk import', () => {
  it('keeps an empty partial index through a load that never fills it, and rebuilds the rest', async () => {
    const dir = tempDir();
    await generateScenario({ scenario: 'web', lines: 60_000, seed: 3, outDir: join(dir, 'web') });
    await generateScenario({ scenario: 'auth', lines: 200_000, seed: 3, outDir: join(dir, 'auth') });
    const casePath = join(dir, 'case.loupe');

    // Web logs have no destination or host: those indexes are neither dropped nor rebuilt. (The
    // generated log has a few authenticated users, so the user index goes when the first appears.)
    const web = await importWatched(casePath, [join(dir, 'web', 'access.log')]);
    expect(web.filter((s) => s.startsWith('DROP'))).toEqual(['DROP events_ts', 'DROP events_src_ip', 'DROP events_user']);

    // Syslog lines have a host and often a user: those indexes go at the first such line and are built after.
    const auth = await importWatched(casePath, [join(dir, 'auth', 'auth.log'), join(dir, 'auth', 'syslog')]);
    expect(auth.filter((s) => s.startsWith('DROP')).sort()).toEqual(['DROP events_host', 'DROP events_src_ip', 'DROP events_ts', 'DROP events_user']);
  }, 120_000);

});
