import { isAbsolute } from 'node:path';
import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract.ts';
import { listSources } from '../engine/sources.ts';
import { LOUPE_VERSION } from '../engine/version.ts';
import { importInWorker } from '../ingest/run-import.ts';
import { createQueryHandlers } from './query-handlers.ts';
import { openInSession, requireCase, SessionError, summarize, withCaseReleased, type Session } from './session.ts';

export type Handler<C extends Channel> = (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type Handlers = { readonly [C in Channel]: Handler<C> };

/**
 * One handler per contract channel. They receive requests already validated by the dispatcher
 * (dispatch.ts) and return plain data that the dispatcher checks against the contract again.
 */
export function createHandlers(session: Session): Handlers {
  return {
    'app:get-info': () => ({ name: 'Loupe', version: LOUPE_VERSION }),

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
    'dialog:pick-case': notYet,
    'dialog:pick-evidence': notYet,
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
