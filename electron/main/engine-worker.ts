// The engine's thread: the session (the open case, the running import) and its handlers, so that
// better-sqlite3's synchronous calls never hold up Electron's main process. Messages: engine-protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { createKeyBroker } from './engine-keys.ts';
import { createEngineHandlers } from './handlers.ts';
import type { EngineStart, FromEngine, ToEngine } from './engine-protocol.ts';
import { closeSession, createSession, openInSession } from './session.ts';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts must run in a worker thread');
const start = workerData as EngineStart;
const send = (m: FromEngine): void => port.postMessage(m);

const session = createSession({
  push: (event, payload) => send({ type: 'push', event, payload }),
  ...(start.importWorkerUrl !== null ? { importWorkerUrl: new URL(start.importWorkerUrl) } : {}),
});
const keys = createKeyBroker(send);
const handlers = createEngineHandlers(session, {
  dataDir: start.dataDir, keys: keys.keys, savedKeys: keys.saved,
  ...(start.providerBaseUrls !== null ? { providerBaseUrls: start.providerBaseUrls } : {}),
});
const casePath = (): string | null => session.importing?.casePath ?? session.current?.path ?? null;

let reopenError: string | null = null;
if (start.reopen !== null) {
  try {
    // The previous worker died, and its import worker with it: an import it claimed is over.
    session.push('case:summary-changed', openInSession(session, start.reopen, { reclaimOwnImport: true }));
  } catch (err) {
    reopenError = (err as Error).message;
  }
}
send({ type: 'ready', reopenError, casePath: casePath() });

port.on('message', (m: ToEngine) => {
  if (m.type === 'close') {
    closeSession(session);
    port.close();
    return;
  }
  if (m.type === 'keys-reply') {
    keys.receive(m);
    return;
  }
  void answer(m);
});

async function answer(m: Extract<ToEngine, { type: 'call' }>): Promise<void> {
  try {
    // The table is keyed by channel; the main process has validated the request for this channel.
    const handler = handlers[m.channel] as (request: unknown) => unknown;
    const value = await handler(m.request);
    send({ type: 'reply', id: m.id, ok: true, value, casePath: casePath() });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'reply', id: m.id, ok: false, error: e.message, stack: e.stack ?? null, casePath: casePath() });
  }
}
