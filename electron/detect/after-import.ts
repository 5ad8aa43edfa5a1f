/**
 * The hook that runs detections when an import finishes. `importPaths` stays free of detection
 * logic; the caller (the CLI's import, later the app) decides to run this after it.
 */
import type { CaseDb } from '../engine/case-db.ts';
import type { ImportResult } from '../ingest/import.ts';
import { existsSync } from 'node:fs';
import { rememberedRules, runDetections, type RunOptions, type RunResult } from './run.ts';

/**
 * Runs detections over the case if the import added events; returns undefined when it did not
 * (nothing new to look at) or was cancelled. Without rule options it runs the rules the case's
 * last run used (its own rule files too, those still there), so their open alerts are not dropped.
 */
export async function detectAfterImport(c: CaseDb, imported: ImportResult, opts: RunOptions = {}): Promise<RunResult | undefined> {
  if (imported.cancelled || imported.sources.length === 0) return undefined;
  if (opts.rulePaths === undefined && opts.builtin === undefined && opts.ruleSet === undefined) {
    const last = rememberedRules(c);
    return runDetections(c, { ...opts, rulePaths: last.paths.filter((p) => existsSync(p)), builtin: last.builtin });
  }
  return runDetections(c, opts);
}
