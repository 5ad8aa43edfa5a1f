/**
 * The listener's side of live detections run in a worker (detector-worker.ts): the calls a live
 * session makes of a LiveDetector, as messages. The worker reads the stored events from the case
 * itself, so a batch costs the writer one small message. Matching a batch took about a third of
 * the listener's CPU (bench:syslog): in its own thread it runs on the other core.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { LiveDetectionStats } from '../detect/live.ts';
import { loadRules } from '../detect/load-rules.ts';
import { rememberedRules } from '../detect/run.ts';
import type { CaseDb } from '../engine/case-db.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import type { DetectorWorkerData, FromDetectorWorker, ToDetectorWorker } from './detector-worker.ts';

/** The rules the case's last detection run used (the built-in pack when there was none). */
export function caseRules(c: CaseDb): RuleSet {
  const last = rememberedRules(c);
  return loadRules(last.paths.filter((p) => existsSync(p)), { builtin: last.builtin }).set;
}

/** What a live session asks of its detections, in its thread or in a worker. */
export interface LiveDetections {
  onChange: (() => void) | undefined;
  start(): Promise<void>;
  notify(lastId: number): void;
  poll(): void;
  idle(): Promise<void>;
  finish(): Promise<LiveDetectionStats>;
  status(): LiveDetectionStats;
}

export class DetectorThread implements LiveDetections {
  onChange: (() => void) | undefined;
  /** Why the detections stopped, when they did. */
  problem: string | null = null;
  private readonly worker: Worker;
  private last: LiveDetectionStats = { scannedId: 0, waiting: 0, lateMatches: 0, rebuilds: 0, alertWrites: 0 };
  private readonly pending = new Map<number, (stats: LiveDetectionStats) => void>();
  private nextId = 1;
  private exited = false;
  private finished: Promise<LiveDetectionStats> | null = null;

  constructor(casePath: string, opts: { latenessMs?: number; workerUrl?: URL } = {}) {
    const data: DetectorWorkerData = { casePath, ...(opts.latenessMs !== undefined ? { latenessMs: opts.latenessMs } : {}) };
    this.worker = new Worker(opts.workerUrl ?? new URL('./detector-worker.ts', import.meta.url), {
      workerData: data,
      // The detector's objects are short-lived but many; a small young generation keeps its memory flat.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    this.worker.on('message', (m: FromDetectorWorker) => {
      switch (m.type) {
        case 'status':
          this.last = m.stats;
          break;
        case 'changed':
          this.onChange?.();
          break;
        case 'reply':
          this.last = m.stats;
          this.pending.get(m.id)?.(m.stats);
          this.pending.delete(m.id);
          break;
        case 'failed':
          this.problem = m.message;
          break;
        default:
          break;
      }
    });
    this.worker.on('error', (err) => {
      this.problem = err.message;
    });
    this.worker.on('exit', () => {
      this.exited = true;
      for (const resolve of this.pending.values()) resolve(this.last);
      this.pending.clear();
    });
  }

  /** The worker seeds itself from the case when it starts. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  notify(lastId: number): void {
    this.post({ type: 'notify', lastId });
  }

  poll(): void {
    this.post({ type: 'poll' });
  }

  async idle(): Promise<void> {
    await this.call('idle');
  }

  finish(): Promise<LiveDetectionStats> {
    this.finished ??= this.call('finish');
    return this.finished;
  }

  status(): LiveDetectionStats {
    return { ...this.last };
  }

  private post(m: ToDetectorWorker): void {
    if (!this.exited) this.worker.postMessage(m);
  }

  private call(type: 'idle' | 'finish'): Promise<LiveDetectionStats> {
    if (this.exited) return Promise.resolve(this.last);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ type, id });
    });
  }
}
