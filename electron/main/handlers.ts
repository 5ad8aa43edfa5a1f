import { CHANNELS, type Channel, type ParsedRequestOf, type ResponseOf } from '../../shared/ipc/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import type { KeyProvider } from '../intel/keys.ts';
import { createCaseHandlers } from './case-handlers.ts';
import { createImportHandlers } from './import-handlers.ts';
import { createEngineIntelHandlers } from './intel-handlers.ts';
import { createQueryHandlers } from './query-handlers.ts';
import type { Session } from './session.ts';

export type Handler<C extends Channel> = (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type HandlerTable<C extends Channel> = { readonly [K in C]: Handler<K> };
export type Handlers = HandlerTable<Channel>;

/** Channels answered in the main process (main-handlers.ts): they need Electron, or nothing at all. */
export const MAIN_CHANNELS = [
  'app:get-info', 'dialog:pick-case', 'dialog:pick-evidence', 'intel:set-key', 'intel:delete-key',
] as const satisfies readonly Channel[];
export type MainChannel = (typeof MAIN_CHANNELS)[number];
/** Live syslog, answered in the main process by the listeners' own thread (live-controller.ts), which outlives the engine's. */
export const LIVE_CHANNELS = ['syslog:start-listener', 'syslog:stop-listener', 'syslog:get-status'] as const satisfies readonly Channel[];
export type LiveChannel = (typeof LIVE_CHANNELS)[number];
/** Channels answered by the engine, in its worker thread (engine-worker.ts). */
export type EngineChannel = Exclude<Channel, MainChannel | LiveChannel>;
export const ENGINE_CHANNELS = CHANNELS.filter((c): c is EngineChannel => !([...MAIN_CHANNELS, ...LIVE_CHANNELS] as readonly string[]).includes(c));

export interface EngineDeps {
  /** The app's data folder: the recent-cases list, the sample case. */
  dataDir: string;
  /** API keys, asked of the main process when a lookup needs one (engine-keys.ts); none by default. */
  keys?: KeyProvider;
  /** Which providers have a saved key (for the settings). */
  savedKeys?: () => Promise<ProviderId[]>;
  /** Reputation providers' addresses, for tests (loopback servers). */
  providerBaseUrls?: Partial<Record<ProviderId, string>>;
}

/**
 * The engine's handlers, one per channel that is not the main process's own. They run in the engine
 * worker, receive requests the main process has validated (dispatch.ts) and return plain data that
 * it checks against the contract again.
 */
export function createEngineHandlers(session: Session, deps: EngineDeps): HandlerTable<EngineChannel> {
  const intel = createEngineIntelHandlers(session, deps);
  return {
    ...createCaseHandlers(session, deps),
    ...createImportHandlers(session),
    ...createQueryHandlers(session, { refreshIntel: intel.refresh }),
    ...intel.handlers,
  };
}
