import { Worker } from 'node:worker_threads';
import type { ImportOptions, ImportProgress } from './import.ts';
import type { ImportJob, WorkerImportResult, WorkerMessage } from './import-worker.ts';

export class ImportFailed extends Error {
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * Imports in a worker thread: the same `importPaths`, with progress posted back and cancellation
 * by `signal`; then, unless `detect` is false, the detection rules run over the case there too and
 * the result says how many alerts the case holds. The worker's young generation is kept small so
 * the import's memory stays flat.
 */
export function importInWorker(
  casePath: string, paths: string[], options: Omit<ImportOptions, 'signal' | 'onProgress'>,
  hooks: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; workerUrl?: URL; detect?: boolean } = {},
): Promise<WorkerImportResult> {
  const job: ImportJob = { casePath, paths, options, detect: hooks.detect ?? true };
  // A bundle (Electron's main) builds the worker as its own file and passes its URL here.
  const worker = new Worker(hooks.workerUrl ?? new URL('./import-worker.ts', import.meta.url), {
    workerData: job,
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  const cancel = (): void => worker.postMessage({ type: 'cancel' });
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  if (hooks.signal?.aborted) cancel();
  return new Promise<WorkerImportResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') hooks.onProgress?.(m.progress);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new ImportFailed(m.name, m.message));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      hooks.signal?.removeEventListener('abort', cancel);
      if (!settled) reject(new ImportFailed('WorkerExit', `import worker stopped unexpectedly (exit code ${code})`));
    });
  });
}
