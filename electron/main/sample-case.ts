import { existsSync, mkdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { generateScenario } from '../gen/generate.ts';
import type { ImportProgress } from '../ingest/import.ts';
import { importInWorker } from '../ingest/run-import.ts';

/** The bundled sample: the generator's mixed scenario (web, auth and syslog, with attacks), always the same bytes. */
export const SAMPLE = { scenario: 'mixed', lines: 30_000, seed: 7, start: '2026-11-20T00:00:00Z', days: 3 } as const;
export const SAMPLE_DIR = 'sample-case';
export const SAMPLE_CASE = 'sample.loupe';

/**
 * The sample case's path, made on first use in the app's data folder: the scenario's logs are
 * generated, imported with the built-in detections, and the case is moved into place only when
 * complete, so a build cut short (the app closed) is started over rather than opened half made.
 */
export async function ensureSampleCase(
  dataDir: string, options: { importWorkerUrl?: URL | undefined; onProgress?: (p: ImportProgress) => void } = {},
): Promise<string> {
  const dir = join(dataDir, SAMPLE_DIR);
  const casePath = join(dir, SAMPLE_CASE);
  if (existsSync(casePath)) return casePath;
  rmSync(dir, { recursive: true, force: true });
  const logs = join(dir, 'logs');
  const truth = await generateScenario({ ...SAMPLE, outDir: logs });
  const files = Object.keys(truth.lines).sort().map((name) => join(logs, name));
  // Year-less syslog lines take their year from the file's time: make it the end of the scenario.
  const end = new Date(truth.end);
  for (const file of files) utimesSync(file, end, end);
  const building = join(dir, 'building');
  mkdirSync(building);
  const result = await importInWorker(join(building, SAMPLE_CASE), files, {}, {
    ...(options.importWorkerUrl ? { workerUrl: options.importWorkerUrl } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (result.sources.length !== files.length) {
    throw new Error(`the sample case could not be made: ${result.skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')}`);
  }
  // The import closed the case cleanly, so the file holds everything (no write-ahead log beside it).
  renameSync(join(building, SAMPLE_CASE), casePath);
  rmSync(building, { recursive: true, force: true });
  return casePath;
}
