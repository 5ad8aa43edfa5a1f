/**
 * The IPC contract: every channel the renderer may call, with its request and response schema, and
 * every event the main process pushes. Channels are `domain:verb-noun`, push events
 * `domain:noun-changed` (or `domain:noun-requested` for a request the page should carry out). The main process validates both directions against this table, the
 * preload builds `window.loupe` from it, and the types below are inferred from it so they cannot
 * drift from what is checked at run time.
 */
import { z } from 'zod';
import { intelContract, intelPushEvents } from '../intel/contract.ts';
import {
  alertDetailSchema, alertSchema, alertsListRequestSchema, appCommandSchema, appInfoSchema, caseSummarySchema, dossierRequestSchema,
  dossierSchema, eventDetailSchema, eventsCountSchema, eventsPageRequestSchema, filePath, formatInfoSchema,
  histogramRequestSchema, histogramSchema, importCancelResponseSchema, importPreviewSchema, importProgressSchema,
  importResultSchema, importStartRequestSchema, noRequest, pickCaseRequestSchema, pickCaseResponseSchema,
  pickEvidenceRequestSchema, pickEvidenceResponseSchema, recentCaseSchema, rowId, setAlertStatusRequestSchema,
  sourceInfoSchema, storedEventSchema, syslogStartRequestSchema, syslogStatusSchema, syslogStopRequestSchema, viewFilterSchema,
} from './schemas.ts';

export const contract = {
  'app:get-info': { request: noRequest, response: appInfoSchema },
  'case:open': { request: z.strictObject({ path: filePath }), response: caseSummarySchema },
  /** Creates a new, empty case file (refused when the file exists) and opens it. */
  'case:create': { request: z.strictObject({ path: filePath }), response: caseSummarySchema },
  /** Opens the bundled sample case (made from the scenario generator on first use). */
  'case:open-sample': { request: noRequest, response: caseSummarySchema },
  'case:list-recent': { request: noRequest, response: z.array(recentCaseSchema) },
  /** The case open in this window, if any (e.g. one given on the command line). */
  'case:get-current': { request: noRequest, response: caseSummarySchema.nullable() },
  'case:list-sources': { request: noRequest, response: z.array(sourceInfoSchema) },
  'events:query-page': { request: eventsPageRequestSchema, response: z.array(storedEventSchema) },
  'events:count': { request: z.strictObject({ filter: viewFilterSchema }), response: eventsCountSchema },
  'events:get-detail': { request: z.strictObject({ id: rowId }), response: eventDetailSchema },
  'events:get-histogram': { request: histogramRequestSchema, response: histogramSchema },
  'alerts:list': { request: alertsListRequestSchema, response: z.array(alertSchema) },
  'alerts:get-detail': { request: z.strictObject({ id: rowId }), response: alertDetailSchema },
  'alerts:set-status': { request: setAlertStatusRequestSchema, response: alertSchema },
  'entity:get-dossier': { request: dossierRequestSchema, response: dossierSchema },
  /** Native dialogs (Electron's); a session without them (tests) is given a stand-in. */
  'dialog:pick-case': { request: pickCaseRequestSchema, response: pickCaseResponseSchema },
  'dialog:pick-evidence': { request: pickEvidenceRequestSchema, response: pickEvidenceResponseSchema },
  'formats:list': { request: noRequest, response: z.array(formatInfoSchema) },
  /** Detects the format of each file without importing anything. */
  'import:preview': { request: z.strictObject({ paths: importStartRequestSchema.shape.paths }), response: importPreviewSchema },
  'import:start': { request: importStartRequestSchema, response: importResultSchema },
  'import:cancel': { request: noRequest, response: importCancelResponseSchema },
  /** Starts syslog listeners writing into the open case (refused while an import runs, and the reverse). */
  'syslog:start-listener': { request: syslogStartRequestSchema, response: syslogStatusSchema },
  /** Stops one listener, or all of them: everything received is stored first. */
  'syslog:stop-listener': { request: syslogStopRequestSchema, response: syslogStatusSchema },
  'syslog:get-status': { request: noRequest, response: syslogStatusSchema },
  ...intelContract,
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const pushEvents = {
  'import:progress-changed': importProgressSchema,
  /** The open case changed: an import added to it, a second instance handed over a case, the engine restarted and reopened it. */
  'case:summary-changed': caseSummarySchema,
  /** Alerts were added or changed (after an import's detection run, a triage, live data). */
  'alerts:list-changed': z.strictObject({ total: z.number().int().nonnegative() }),
  /** The analyst chose a command in the application menu; the page carries it out. */
  'app:command-requested': appCommandSchema,
  /** Live syslog: counters per listener and sender, about once a second while listening, and on start and stop. */
  'syslog:status-changed': syslogStatusSchema,
  ...intelPushEvents,
} as const satisfies Record<string, z.ZodType>;

export type Channel = keyof typeof contract;
export type PushEvent = keyof typeof pushEvents;

/** What the renderer passes. */
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
/** What a handler receives, after validation. */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof contract)[C]['response']>;
export type PushPayloadOf<E extends PushEvent> = z.output<(typeof pushEvents)[E]>;

/** Every call answers with this envelope; `error` is a message for the analyst, never a stack. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const CHANNELS = Object.keys(contract) as Channel[];
export const PUSH_EVENTS = Object.keys(pushEvents) as PushEvent[];

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

export type CaseSummary = ResponseOf<'case:open'>;
export type SourceInfoDto = z.output<typeof sourceInfoSchema>;
export type StoredEventDto = z.output<typeof storedEventSchema>;
export type EventFilterDto = RequestOf<'events:query-page'>['filter'];
export type ViewFilterDto = z.input<typeof viewFilterSchema>;
export type AlertDto = z.output<typeof alertSchema>;
export type DossierDto = ResponseOf<'entity:get-dossier'>;
export type HistogramDto = ResponseOf<'events:get-histogram'>;
export type ImportProgressDto = PushPayloadOf<'import:progress-changed'>;
export type SyslogStatusDto = ResponseOf<'syslog:get-status'>;
export type SyslogListenerDto = SyslogStatusDto['listeners'][number];
export type AppCommand = PushPayloadOf<'app:command-requested'>['command'];
