import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** What the analyst sees: the file name, or its path inside the folder that was imported. */
  name: string;
  size: number;
  mtime: number;
}

export class ImportInputError extends Error {}

/**
 * Turns the paths given by the analyst into the list of files to read: folders recursively in name
 * order, hidden files and folders skipped, each real file once even when links lead to it twice.
 * A path that does not exist is an error before anything is imported.
 */
export function expandPaths(paths: readonly string[]): { files: InputFile[]; skipped: { path: string; reason: string }[] } {
  const files: InputFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const abs = resolve(given);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ImportInputError(code === 'ENOENT' ? `${given}: no such file or folder` : `${given}: cannot read (${code})`);
    }
    if (st.isDirectory()) walk(abs, abs, files, skipped, seen);
    else if (st.isFile()) add(abs, basename(abs), st, files, seen);
    else throw new ImportInputError(`${given}: not a regular file or folder`);
  }
  return { files, skipped };
}

function walk(root: string, dir: string, files: InputFile[], skipped: { path: string; reason: string }[], seen: Set<string>): void {
  const real = realpathSync(dir);
  if (seen.has(real)) return;
  seen.add(real);
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    skipped.push({ path: dir, reason: `cannot list folder (${(err as NodeJS.ErrnoException).code})` });
    return;
  }
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      skipped.push({ path, reason: `cannot read (${(err as NodeJS.ErrnoException).code})` });
      continue;
    }
    if (st.isDirectory()) walk(root, path, files, skipped, seen);
    else if (st.isFile()) add(path, relative(root, path), st, files, seen);
    else skipped.push({ path, reason: 'not a regular file' });
  }
}

function add(path: string, name: string, st: { size: number; mtimeMs: number }, files: InputFile[], seen: Set<string>): void {
  const real = realpathSync(path);
  if (seen.has(real)) return;
  seen.add(real);
  files.push({ path, name, size: st.size, mtime: Math.floor(st.mtimeMs) });
}
