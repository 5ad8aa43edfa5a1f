import { accessSync, constants, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ResponseOf } from '../../shared/ipc/contract.ts';

export type RecentCase = ResponseOf<'case:list-recent'>[number];

export const RECENT_FILE = 'recent-cases.json';
export const MAX_RECENT = 10;

interface Stored {
  path: string;
  openedAt: number;
}

/**
 * The cases this app opened, most recent first, kept in a small JSON file in the app's data
 * folder (not in any case). A damaged file is read as an empty list and rewritten on the next open.
 */
export function listRecent(dataDir: string): RecentCase[] {
  return readStored(dataDir).map(({ path, openedAt }) => ({ path, name: basename(path), openedAt, exists: isReadableFile(path) }));
}

/** Puts `path` first in the list (once), keeping at most MAX_RECENT. */
export function rememberCase(dataDir: string, path: string, now = Date.now()): void {
  const list = [{ path, openedAt: now }, ...readStored(dataDir).filter((c) => c.path !== path)].slice(0, MAX_RECENT);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, RECENT_FILE);
  // Written aside and renamed, so a crash mid-write leaves the old list, never half of one.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(list, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
}

function readStored(dataDir: string): Stored[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, RECENT_FILE), 'utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const seen = new Set<string>();
  const list: Stored[] = [];
  for (const entry of parsed as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { path, openedAt } = entry as Record<string, unknown>;
    if (typeof path !== 'string' || path === '' || typeof openedAt !== 'number' || !Number.isFinite(openedAt) || seen.has(path)) continue;
    seen.add(path);
    list.push({ path, openedAt });
  }
  return list.sort((a, b) => b.openedAt - a.openedAt).slice(0, MAX_RECENT);
}

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
