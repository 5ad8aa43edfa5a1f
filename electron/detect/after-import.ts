/**
 * The hook that runs detections when an import finishes. `importPaths` stays free of detection
 * logic; the caller (the CLI's import, later the app) decides to run this after it.
 */
import type { CaseDb } from '../engine/case-db.ts';
import type { ImportResult } from '../ingest/import.ts';
import { runDetections, type RunOptions, type RunResult } from './run.ts';

/**
 * Runs detections over the case if the import added events; returns undefined when it did not
 * (nothing new to look at) or was cancelled.
 */
export async function detectAfterImport(c: CaseDb, imported: ImportResult, opts: RunOptions = {}): Promise<RunResult | undefined> {
  if (imported.cancelled || imported.sources.length === 0) return undefined;
  return runDetections(c, opts);
}
