// The messages between the main process (engine-client.ts) and the engine worker (engine-worker.ts).
import type { PushEvent } from '../../shared/ipc/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import type { EngineChannel } from './handlers.ts';

/** The worker's `workerData`. URLs travel as strings: a URL object does not survive structured cloning. */
export interface EngineStart {
  dataDir: string;
  /** The bundled import worker, when not running from the TypeScript sources. */
  importWorkerUrl: string | null;
  /** The case to open at start: the one open when the previous worker died. */
  reopen: string | null;
  /** Where reputation providers are reached, when not at their own addresses (tests: loopback servers). */
  providerBaseUrls: Partial<Record<ProviderId, string>> | null;
}

export type ToEngine =
  | { type: 'call'; id: number; channel: EngineChannel; request: unknown }
  /** Close the case (cancelling an import) and let the thread end. */
  | { type: 'close' }
  /** The answer to a `keys` question: a key for one lookup, or which providers have one saved. */
  | { type: 'keys-reply'; id: number; key: string | null; saved: ProviderId[]; error: string | null };

/** The case the engine works on (open, or being imported into), so a new worker can reopen it. */
type CaseState = { casePath: string | null };

export type FromEngine =
  | ({ type: 'ready'; reopenError: string | null } & CaseState)
  | ({ type: 'reply'; id: number; ok: true; value: unknown } & CaseState)
  | ({ type: 'reply'; id: number; ok: false; error: string; stack: string | null } & CaseState)
  | { type: 'push'; event: PushEvent; payload: unknown }
  /**
   * API keys stay in the main process (Electron's safeStorage): the engine asks for one just
   * before a provider request that needs it, and forgets it after; or asks which are saved.
   */
  | { type: 'keys'; id: number; provider: ProviderId | null };
