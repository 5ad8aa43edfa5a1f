import type { ImportProgressDto } from '../../shared/ipc/contract.ts';

/** One file of a running import, as far as the progress events have told. */
export interface FileProgress {
  state: 'reading' | 'done';
  /** Bytes of this file read so far (on disk: compressed bytes for a .gz). */
  bytes: number;
  /** The import's running byte total when this file began. */
  startedAt: number;
}

/**
 * Folds one progress event into per-file progress. The engine reports bytes over all files
 * together and the file it is reading; a file is done once the engine has moved past it.
 */
export function applyProgress(files: Readonly<Record<string, FileProgress>>, p: ImportProgressDto): Record<string, FileProgress> {
  const next: Record<string, FileProgress> = {};
  const isNewFile = p.file !== '' && !Object.hasOwn(files, p.file);
  for (const [path, f] of Object.entries(files)) {
    next[path] = f.state === 'reading' && (isNewFile || p.phase !== 'reading') && path !== p.file ? { ...f, state: 'done' } : f;
  }
  if (p.file === '') return next;
  const prior = next[p.file];
  const startedAt = prior?.startedAt ?? p.bytesRead;
  next[p.file] = {
    state: p.phase === 'reading' ? 'reading' : 'done',
    bytes: Math.max(prior?.bytes ?? 0, p.bytesRead - startedAt),
    startedAt,
  };
  return next;
}

/** Share of the whole import read, 0–1. */
export function overallFraction(p: ImportProgressDto | null): number {
  if (!p) return 0;
  if (p.phase !== 'reading') return 1;
  return p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
}
