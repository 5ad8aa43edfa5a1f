import { isAbsolute } from 'node:path';
import { CHANNELS, type Channel, type ParsedRequestOf, type ResponseOf } from '../../shared/ipc/contract.ts';
import { listSources } from '../engine/sources.ts';
import { importInWorker } from '../ingest/run-import.ts';
import { createQueryHandlers } from './query-handlers.ts';
import { openInSession, requireCase, SessionError, summarize, withCaseReleased, type Session } from './session.ts';

export type Handler<C extends Channel> = (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type HandlerTable<C extends Channel> = { readonly [K in C]: Handler<K> };
export type Handlers = HandlerTable<Channel>;

/** Channels answered in the main process (main-handlers.ts): they need Electron, or nothing at all. */
export const MAIN_CHANNELS = ['app:get-info', 'dialog:pick-case', 'dialog:pick-evidence'] as const satisfies readonly Channel[];
export type MainChannel = (typeof MAIN_CHANNELS)[number];
/** Channels answered by the engine, in its worker thread (engine-worker.ts). */
export type EngineChannel = Exclude<Channel, MainChannel>;
export const ENGINE_CHANNELS = CHANNELS.filter((c): c is EngineChannel => !(MAIN_CHANNELS as readonly string[]).includes(c));

export interface EngineDeps {
  /** The app's data folder: the recent-cases list, the sample case. */
  dataDir: string;
}

/**
 * The engine's handlers, one per channel that is not the main process's own. They run in the engine
 * worker, receive requests the main process has validated (dispatch.ts) and return plain data that
 * it checks against the contract again.
 */
export function createEngineHandlers(session: Session, _deps: EngineDeps): HandlerTable<EngineChannel> {
  return {
    'case:open': ({ path }) => {
      if (!isAbsolute(path)) throw new SessionError('give the full path of the case file');
      return openInSession(session, path);
    },

    'case:get-current': () => (session.current ? summarize(session.current) : null),

    'case:list-sources': () => listSources(requireCase(session).db),

    ...createQueryHandlers(session),

    'case:create': notYet,
    'case:open-sample': notYet,
    'case:list-recent': notYet,
    'formats:list': notYet,
    'import:preview': notYet,

    'import:start': ({ paths, format, timezone }) => {
      const relative = paths.find((p) => !isAbsolute(p));
      if (relative !== undefined) throw new SessionError(`give full paths to import (${relative} is relative)`);
      return withCaseReleased(session, (casePath, signal) => importInWorker(casePath, paths, {
        ...(format !== undefined ? { format } : {}),
        ...(timezone !== undefined ? { timezone } : {}),
      }, {
        signal,
        onProgress: (p) => session.push('import:progress-changed', p),
        ...(session.importWorkerUrl ? { workerUrl: session.importWorkerUrl } : {}),
      }));
    },

    'import:cancel': () => {
      const running = session.importing;
      running?.abort.abort();
      return { cancelled: running !== null };
    },
  };
}

const notYet = (): never => {
  throw new SessionError('not implemented yet');
};
