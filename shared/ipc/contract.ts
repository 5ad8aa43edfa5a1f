/**
 * The IPC contract: every channel the renderer may call, with its request and response schema, and
 * every event the main process pushes. Channels are `domain:verb-noun`, push events
 * `domain:noun-changed`. The main process validates both directions against this table, the
 * preload builds `window.loupe` from it, and the types below are inferred from it so they cannot
 * drift from what is checked at run time.
 */
import { z } from 'zod';
import {
  appInfoSchema, caseSummarySchema, importCancelResponseSchema, importProgressSchema, importResultSchema,
  importStartRequestSchema, noRequest, queryPageRequestSchema, sourceInfoSchema, storedEventSchema, filePath,
} from './schemas.ts';

export const contract = {
  'app:get-info': { request: noRequest, response: appInfoSchema },
  'case:open': { request: z.strictObject({ path: filePath }), response: caseSummarySchema },
  /** The case open in this window, if any (e.g. one given on the command line). */
  'case:get-current': { request: noRequest, response: caseSummarySchema.nullable() },
  'case:list-sources': { request: noRequest, response: z.array(sourceInfoSchema) },
  'events:query-page': { request: queryPageRequestSchema, response: z.array(storedEventSchema) },
  'import:start': { request: importStartRequestSchema, response: importResultSchema },
  'import:cancel': { request: noRequest, response: importCancelResponseSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const pushEvents = {
  'import:progress-changed': importProgressSchema,
  /** The open case changed without the renderer asking (a case given to a second instance). */
  'case:summary-changed': caseSummarySchema,
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
export type ImportProgressDto = PushPayloadOf<'import:progress-changed'>;
