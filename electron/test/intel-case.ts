/** Small real cases for the intel tests: log files written to a temp folder and imported. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import { importPaths } from '../ingest/import.ts';

/** An Apache access line from `ip`. */
export const access = (ip: string, second = 0, path = '/'): string =>
  `${ip} - - [21/Nov/2026:10:00:${String(second).padStart(2, '0')} +0000] "GET ${path} HTTP/1.1" 200 512 "-" "Mozilla/5.0"`;

/** An sshd failed-password line from `ip`. */
export const sshFail = (ip: string, second = 0): string =>
  `Nov 21 10:01:${String(second).padStart(2, '0')} web01 sshd[4242]: Failed password for root from ${ip} port 51000 ssh2`;

/** Writes each file (name → lines) into `dir` and imports them into a new case `case.loupe` there. */
export async function intelCase(dir: string, files: Record<string, string[]>): Promise<CaseDb> {
  const paths = Object.entries(files).map(([name, lines]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  });
  const c = openCase(join(dir, 'case.loupe'), { create: true });
  await importPaths(c, paths);
  return c;
}

/** Imports more files into an open case. */
export async function importMore(c: CaseDb, dir: string, files: Record<string, string[]>): Promise<void> {
  const paths = Object.entries(files).map(([name, lines]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  });
  await importPaths(c, paths);
}
