// A live session in a worker thread, on its own connection to the case: the CLI's terminal and the
// app's engine stay responsive, and the worker's young generation can be kept small (measured: the
// default let a busy listener's memory double). Protocol: listener-thread.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../engine/case-db.ts';
import type { ListenerConfig, LiveStatus } from './listener-types.ts';
import { LiveSession, type LiveSessionOptions } from './live-session.ts';

export interface ListenerWorkerData {
  casePath: string;
  options: Pick<LiveSessionOptions, 'detect' | 'latenessMs' | 'statusIntervalMs'> & { detect?: boolean };
  /** The detections' worker code (URL text), when not next to this file's source (a bundled app). */
  detectorWorkerUrl?: string;
  /** The UDP reader's worker code (URL text), likewise. */
  udpReaderWorkerUrl?: string;
  /** The writer checkpoints its own log (SQLite's default): nobody on the other side does. */
  writerCheckpoints?: boolean;
}

export type ToListenerWorker =
  | { type: 'start'; id: number; config: ListenerConfig }
  | { type: 'stop'; id: number; listenerId: string }
  | { type: 'close'; id: number };

export type FromListenerWorker =
  | { type: 'ready' }
  | { type: 'failed'; name: string; message: string }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; name: string; message: string }
  | { type: 'status'; status: LiveStatus }
  | { type: 'alerts' };

const port = parentPort;
if (!port) throw new Error('listener-worker.ts must run in a worker thread');
const data = workerData as ListenerWorkerData;
const send = (m: FromListenerWorker): void => port.postMessage(m);

let session: LiveSession | null = null;
let close: () => void = () => {};
try {
  const c = openCase(data.casePath, { create: true });
  // Appending needs few pages in memory; the window's own connection caches what it reads.
  c.db.pragma('cache_size = -4000');
  // The listener thread's other side checkpoints the log (wal-checkpointer.ts); closing still does.
  if (data.writerCheckpoints !== true) c.db.pragma('wal_autocheckpoint = 0');
  session = new LiveSession(c, {
    ...data.options,
    // The detections on the other core: the listener's thread keeps up with reading and storing.
    detectInWorker: data.detectorWorkerUrl !== undefined ? { workerUrl: new URL(data.detectorWorkerUrl) } : true,
    // UDP sockets read in threads of their own; code bundled elsewhere (the app) is named, or the
    // sockets are read in this thread.
    udpInWorker: data.udpReaderWorkerUrl !== undefined ? { workerUrl: new URL(data.udpReaderWorkerUrl) } : data.detectorWorkerUrl === undefined,
    onStatus: (status) => send({ type: 'status', status }),
    onAlerts: () => send({ type: 'alerts' }),
  });
  close = () => c.close();
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'failed', name: (err as Error).constructor.name, message: (err as Error).message });
  port.close();
}

if (session) port.on('message', (m: ToListenerWorker) => void answer(session as LiveSession, m));

async function answer(session: LiveSession, m: ToListenerWorker): Promise<void> {
  try {
    let value: unknown;
    switch (m.type) {
      case 'start':
        value = await session.start(m.config);
        break;
      case 'stop':
        value = await session.stop(m.listenerId);
        break;
      case 'close':
        value = await session.close();
        close();
        break;
      default:
        throw new Error(`unknown request ${JSON.stringify(m)}`);
    }
    send({ type: 'reply', id: m.id, ok: true, value });
    if (m.type === 'close') port?.close();
  } catch (err) {
    const e = err as Error;
    send({ type: 'reply', id: m.id, ok: false, name: e.constructor.name, message: e.message });
  }
}
