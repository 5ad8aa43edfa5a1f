// Runs one import in a worker thread so the caller's thread (Electron's main process, the CLI's
// terminal handling) stays responsive. Protocol: see run-import.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { detectAfterImport } from '../detect/after-import.ts';
import { countAlerts } from '../engine/alerts.ts';
import { openCase } from '../engine/case-db.ts';
import { importPaths, type ImportOptions } from './import.ts';

export interface ImportJob {
  casePath: string;
  paths: string[];
  options: Omit<ImportOptions, 'signal' | 'onProgress'>;
  /** Run the detection rules over the case once the import has added events (the app does). */
  detect: boolean;
}

/** An import's result, with the alerts the detection run after it left in the case (when one ran). */
export type WorkerImportResult = import('./import.ts').ImportResult & { detections?: { alerts: number; added: number } };

export type WorkerMessage =
  | { type: 'progress'; progress: import('./import.ts').ImportProgress }
  | { type: 'done'; result: WorkerImportResult }
  | { type: 'error'; name: string; message: string };

const port = parentPort;
if (!port) throw new Error('import-worker.ts must run in a worker thread');
const job = workerData as ImportJob;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') abort.abort();
});

const send = (m: WorkerMessage): void => port.postMessage(m);
try {
  const c = openCase(job.casePath, { create: true });
  let done: WorkerImportResult;
  try {
    const result = await importPaths(c, job.paths, {
      ...job.options,
      signal: abort.signal,
      onProgress: (progress) => send({ type: 'progress', progress }),
    });
    // Still in the worker, so the window stays responsive while the rules run.
    const run = job.detect ? await detectAfterImport(c, result, { signal: abort.signal }) : undefined;
    done = run ? { ...result, detections: { alerts: countAlerts(c.db), added: run.stored.added } } : result;
  } finally {
    c.close();
  }
  // Only once the case is closed (its write-ahead log folded in), so the caller may move or reopen it.
  send({ type: 'done', result: done });
} catch (err) {
  const e = err as Error;
  send({ type: 'error', name: e.name === 'Error' ? e.constructor.name : e.name, message: e.message });
}
port.close();
