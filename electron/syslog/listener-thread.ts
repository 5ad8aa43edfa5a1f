/**
 * The main thread's side of a live session run in a worker (listener-worker.ts): the same calls as
 * LiveSession, answered asynchronously, with status and alert notices pushed as they come. This is
 * what the CLI uses, and what the app's engine would call for `syslog:*` channels.
 */
import { Worker } from 'node:worker_threads';
import { CaseOpenError } from '../engine/case-db.ts';
import { CaseSchemaError } from '../engine/migrations.ts';
import { ListenerConfigError, type ListenerConfig, type ListenerStatus, type LiveStatus } from './listener-types.ts';
import type { FromListenerWorker, ListenerWorkerData, ToListenerWorker } from './listener-worker.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

export interface ListenerThreadOptions {
  detect?: boolean;
  latenessMs?: number;
  statusIntervalMs?: number;
  onStatus?: (status: LiveStatus) => void;
  onAlerts?: () => void;
  /** The worker ended (after close, or because it died: then the calls in flight have failed). */
  onExit?: (code: number) => void;
  /** Where the worker's code is when it is not next to this file (a bundled app). */
  workerUrl?: URL;
  /** Where the detections' worker code is (detector-worker.ts), likewise. */
  detectorWorkerUrl?: URL;
  /** Where the UDP reader's worker code is (udp-reader-worker.ts), likewise. */
  udpReaderWorkerUrl?: URL;
  /**
   * false: the listener's connection checkpoints its log itself (SQLite's automatic checkpoint)
   * rather than this thread, for a caller that must not do disk I/O on its own (Electron's main).
   */
  checkpointHere?: boolean;
}

/** Errors the worker reports are raised again as the engine's own classes, so callers can tell them apart. */
function rebuild(name: string, message: string): Error {
  switch (name) {
    case 'ListenerConfigError':
    case 'TlsMaterialError':
      return new ListenerConfigError(message);
    case 'CaseOpenError':
      return new CaseOpenError(message);
    case 'CaseSchemaError':
      return new CaseSchemaError(message);
    default:
      return new Error(message);
  }
}

export class ListenerThread {
  /** The latest status the worker sent. */
  last: LiveStatus | null = null;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private exited = false;
  private checkpointer: WalCheckpointer | null = null;

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  /** Opens the case (created when missing) in a new worker; rejects with the reason when it cannot. */
  static open(casePath: string, options: ListenerThreadOptions = {}): Promise<ListenerThread> {
    const data: ListenerWorkerData = {
      casePath,
      options: {
        ...(options.detect !== undefined ? { detect: options.detect } : {}),
        ...(options.latenessMs !== undefined ? { latenessMs: options.latenessMs } : {}),
        ...(options.statusIntervalMs !== undefined ? { statusIntervalMs: options.statusIntervalMs } : {}),
      },
      ...(options.detectorWorkerUrl ? { detectorWorkerUrl: options.detectorWorkerUrl.href } : {}),
      ...(options.udpReaderWorkerUrl ? { udpReaderWorkerUrl: options.udpReaderWorkerUrl.href } : {}),
      ...(options.checkpointHere === false ? { writerCheckpoints: true } : {}),
    };
    const worker = new Worker(options.workerUrl ?? new URL('./listener-worker.ts', import.meta.url), {
      workerData: data,
      // A small young generation keeps a busy listener's memory flat (as the import worker does).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    const thread = new ListenerThread(worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: FromListenerWorker) => {
        switch (m.type) {
          case 'ready':
            ready = true;
            // The worker's connection leaves its checkpoints to this thread (wal-checkpointer.ts).
            try {
              if (options.checkpointHere !== false) thread.checkpointer = new WalCheckpointer(casePath);
            } catch {
              // Not a WAL case here: the writer's connection checkpoints as it always did.
            }
            resolve(thread);
            break;
          case 'failed':
            reject(rebuild(m.name, m.message));
            break;
          case 'status':
            thread.last = m.status;
            options.onStatus?.(m.status);
            break;
          case 'alerts':
            options.onAlerts?.();
            break;
          case 'reply': {
            const p = thread.pending.get(m.id);
            thread.pending.delete(m.id);
            if (m.ok) p?.resolve(m.value);
            else p?.reject(rebuild(m.name, m.message));
            break;
          }
          default:
            break;
        }
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        thread.failAll(err);
      });
      worker.on('exit', (code) => {
        thread.exited = true;
        thread.checkpointer?.close();
        thread.checkpointer = null;
        if (!ready) reject(new Error(`the listener worker stopped before it was ready (exit code ${code})`));
        thread.failAll(new Error(`the listener worker stopped (exit code ${code})`));
        if (ready) options.onExit?.(code);
      });
    });
  }

  start(config: ListenerConfig): Promise<ListenerStatus> {
    return this.call({ type: 'start', id: 0, config }) as Promise<ListenerStatus>;
  }

  stop(listenerId: string): Promise<ListenerStatus> {
    return this.call({ type: 'stop', id: 0, listenerId }) as Promise<ListenerStatus>;
  }

  /** Ends the worker as a crash would (for tests): the calls in flight fail. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** Stops every listener, stores what they received, finishes the detections, closes the case; the worker then ends. */
  async close(): Promise<LiveStatus> {
    try {
      return (await this.call({ type: 'close', id: 0 })) as LiveStatus;
    } finally {
      this.checkpointer?.close();
      this.checkpointer = null;
    }
  }

  private call(m: ToListenerWorker): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the listener worker has stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...m, id });
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
