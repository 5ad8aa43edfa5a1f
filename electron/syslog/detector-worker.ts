// The live detections of a listening session in a thread of their own, on their own connection to
// the case: they read each stored batch back from the case anyway, so the writer only tells them
// how far the events go, and the listener's thread keeps its core for reading and storing.
// Protocol: detector-thread.ts.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { LiveDetector, type LiveDetectionStats } from '../detect/live.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { registerQueryFunctions } from '../engine/query-sql.ts';
import { caseRules } from './detector-thread.ts';

export interface DetectorWorkerData {
  casePath: string;
  latenessMs?: number;
}

export type ToDetectorWorker =
  | { type: 'notify'; lastId: number }
  | { type: 'poll' }
  | { type: 'idle'; id: number }
  | { type: 'finish'; id: number };

export type FromDetectorWorker =
  | { type: 'status'; stats: LiveDetectionStats }
  | { type: 'changed' }
  | { type: 'reply'; id: number; stats: LiveDetectionStats }
  | { type: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('detector-worker.ts must run in a worker thread');
const data = workerData as DetectorWorkerData;
const send = (m: FromDetectorWorker): void => port.postMessage(m);

// Opened as a plain connection: the listener's thread opened (and migrated) the case already, and
// its import claim must not be taken for an interrupted import.
const db = new Database(data.casePath, { fileMustExist: true, timeout: 30_000 });
registerQueryFunctions(db);
// It reads the few pages the writer just filled: a small cache serves.
db.pragma('cache_size = -2000');
const c: CaseDb = { path: data.casePath, db, close: () => db.close() };
const set = caseRules(c);
const detector = new LiveDetector(c, set, data.latenessMs !== undefined ? { latenessMs: data.latenessMs } : {});
detector.onChange = () => send({ type: 'changed' });
const report = (): void => send({ type: 'status', stats: detector.status() });
detector.start().then(report, (err: Error) => send({ type: 'failed', message: err.message }));

port.on('message', (m: ToDetectorWorker) => {
  switch (m.type) {
    case 'notify':
      detector.notify(m.lastId);
      void detector.idle().then(report, () => {});
      break;
    case 'poll':
      detector.poll();
      report();
      break;
    case 'idle':
      void detector.idle().then(() => send({ type: 'reply', id: m.id, stats: detector.status() }), () => send({ type: 'reply', id: m.id, stats: detector.status() }));
      break;
    case 'finish':
      void detector.finish().then((stats) => {
        send({ type: 'reply', id: m.id, stats });
        db.close();
        port.close();
      }, (err: Error) => {
        send({ type: 'failed', message: err.message });
        send({ type: 'reply', id: m.id, stats: detector.status() });
        db.close();
        port.close();
      });
      break;
    default:
      break;
  }
});
