import { queryEvents } from '../engine/events-query.ts';
import type { Handler } from './handlers.ts';
import { requireCase, SessionError, type Session } from './session.ts';

type QueryChannel =
  | 'events:query-page' | 'events:count' | 'events:get-detail' | 'events:get-histogram'
  | 'alerts:list' | 'alerts:get-detail' | 'alerts:set-status' | 'entity:get-dossier';

const notYet = (): never => {
  throw new SessionError('not implemented yet');
};

/** The read side of the window: the grid, the timeline, alerts and the dossier. */
export function createQueryHandlers(session: Session): { [C in QueryChannel]: Handler<C> } {
  return {
    'events:query-page': ({ filter: { query, host, ...filter }, limit, after }) => {
      if (query !== undefined || host !== undefined) notYet();
      return queryEvents(requireCase(session).db, filter, after ? { limit, after } : { limit });
    },
    'events:count': notYet,
    'events:get-detail': notYet,
    'events:get-histogram': notYet,
    'alerts:list': notYet,
    'alerts:get-detail': notYet,
    'alerts:set-status': notYet,
    'entity:get-dossier': notYet,
  };
}
