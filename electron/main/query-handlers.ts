import type { Database } from 'better-sqlite3';
import type { ParsedRequestOf } from '../../shared/ipc/contract.ts';
import { alertEvents, AlertNotFoundError, alertsOfEvent, getAlert, listAlerts, setAlertTriage, type AlertFilter } from '../engine/alerts.ts';
import { entityDossier } from '../engine/dossier.ts';
import { countMatching } from '../engine/event-count.ts';
import { queryEvents, toStored, type EventRow } from '../engine/events-query.ts';
import { eventHistogram } from '../engine/histogram.ts';
import { prepareOrThrow, usesIntel, type PreparedFilter } from '../engine/query-sql.ts';
import { refreshCaseIps } from '../intel/case-ips.ts';
import { getSource } from '../engine/sources.ts';
import type { Handler } from './handlers.ts';
import { requireCase, SessionError, type Session } from './session.ts';

type QueryChannel =
  | 'events:query-page' | 'events:count' | 'events:get-detail' | 'events:get-histogram'
  | 'alerts:list' | 'alerts:get-detail' | 'alerts:set-status' | 'entity:get-dossier';

type ViewFilterRequest = ParsedRequestOf<'events:count'>['filter'];

/** The read side of the window: the grid, the timeline, alerts and the dossier. */
export function createQueryHandlers(
  session: Session, opts: { /** Brings the case's intel tables up to date, GeoIP included (intel-handlers.ts). */ refreshIntel?: () => Promise<void> } = {},
): { [C in QueryChannel]: Handler<C> } {
  const db = (): Database => requireCase(session).db;
  // A filter on addresses' class, country, network or lists reads the case's intel tables: brought
  // up to date first with the events added since (live syslog), which is quick when there are none.
  const filtered = async (filter: ViewFilterRequest): Promise<PreparedFilter> => {
    // A query that does not parse is the analyst's to fix.
    const p = prepareOrThrow(filter, (m) => new SessionError(m));
    if (usesIntel(p.ast)) {
      if (opts.refreshIntel) await opts.refreshIntel();
      else refreshCaseIps(requireCase(session));
    }
    return p;
  };
  return {
    'events:query-page': async ({ filter, limit, after, order }) =>
      queryEvents(db(), await filtered(filter), { limit, ...(after ? { after } : {}), ...(order ? { order } : {}) }),

    'events:count': async ({ filter }) => countMatching(db(), await filtered(filter)),

    'events:get-detail': ({ id }) => {
      const d = db();
      const row = d.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
      if (!row) throw new SessionError(`no event ${id} in this case`);
      const bytes = d.prepare('SELECT bytes FROM raw_bytes WHERE event_id = ?').pluck().get(id) as Buffer | undefined;
      return {
        event: toStored(row),
        source: getSource(d, row.source_id) ?? null,
        rawBytesHex: bytes ? bytes.toString('hex') : null,
        alerts: alertsOfEvent(d, id),
      };
    },

    'events:get-histogram': async ({ filter, stackBy, targetBuckets }) =>
      eventHistogram(db(), await filtered(filter), { stackBy, ...(targetBuckets !== undefined ? { targetBuckets } : {}) }),

    'alerts:list': (request) => listAlerts(db(), request satisfies AlertFilter),

    'alerts:get-detail': ({ id }) => {
      const d = db();
      const found = getAlert(d, id);
      if (!found) throw new SessionError(`no alert ${id} in this case`);
      const { eventIds: _ids, ...alert } = found;
      return { alert, events: alertEvents(d, id, 1000) };
    },

    'alerts:set-status': ({ id, status, note }) => {
      const d = db();
      let alert;
      try {
        alert = setAlertTriage(d, id, status, note);
      } catch (err) {
        if (err instanceof AlertNotFoundError) throw new SessionError(err.message);
        throw err;
      }
      session.push('alerts:list-changed', { total: d.prepare('SELECT count(*) FROM alerts').pluck().get() as number });
      return alert;
    },

    'entity:get-dossier': (request) => entityDossier(db(), request),
  };
}
