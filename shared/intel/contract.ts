/**
 * The IPC channels of IP intelligence, spread into shared/ipc/contract.ts; electron/intel/handlers.ts
 * answers them in the engine. `intel:set-key` and `intel:delete-key` belong to the main process
 * (Electron's safeStorage, electron/main/main-handlers.ts); the others to the engine.
 */
import { z } from 'zod';
import { epochMs, filePath, noRequest, viewFilterSchema } from '../ipc/schemas.ts';
import { bulkLookupSchema, ipIntelSchema, ipSummarySchema, listInfoSchema, PROVIDER_IDS } from './model.ts';

const provider = z.enum(PROVIDER_IDS);
const ipText = z.string().min(2).max(64);

export const intelSettingsSchema = z.strictObject({
  mmdb: z.array(z.strictObject({
    path: z.string(),
    /** From the file's metadata, when it could be opened. */
    databaseType: z.string().nullable(),
    builtAt: z.number().nullable(),
    problem: z.string().nullable(),
  })),
  providers: z.array(z.strictObject({
    id: provider,
    title: z.string(),
    enabled: z.boolean(),
    /** null: the provider takes no key. */
    key: z.strictObject({ required: z.boolean(), saved: z.boolean() }).nullable(),
    /** What leaves the machine on a lookup. */
    sends: z.string(),
    docs: z.string(),
  })),
  /** The settings file could not be read (every provider is then off). */
  problem: z.string().nullable(),
});

export const importListResultSchema = z.strictObject({
  list: listInfoSchema,
  replaced: z.boolean(),
  warnings: z.array(z.string()),
  rejectedSamples: z.array(z.strictObject({ line: z.number().int(), text: z.string() })),
});

export const publicIpsSchema = z.strictObject({
  /** Busiest first: the number of the filter's events each address is in (either end). */
  ips: z.array(z.strictObject({ ip: z.string(), events: z.number().int().nonnegative() })),
  /** Distinct public addresses in the filter's events; more than `ips` holds when the cap was hit. */
  total: z.number().int().nonnegative(),
  cap: z.number().int().positive(),
  /** Stopped by intel:cancel-public-ips or a newer request: what was counted until then. */
  cancelled: z.boolean(),
});

export const intelContract = {
  /** What the case knows about one address: the dossier's enrichment slot. */
  'intel:get-ip': { request: z.strictObject({ ip: ipText }), response: ipIntelSchema },
  /** Country, network owner and lists of the addresses a grid page shows, as the case knows them. */
  'intel:get-summaries': {
    request: z.strictObject({ ips: z.array(z.string().min(1).max(128)).max(2000) }),
    response: z.array(ipSummarySchema),
  },
  'intel:list-lists': { request: noRequest, response: z.array(listInfoSchema) },
  'intel:import-list': {
    request: z.strictObject({
      path: filePath,
      name: z.string().min(1).max(64).exactOptional(),
      /** The date the list describes, when its header does not say. */
      date: epochMs.exactOptional(),
      column: z.string().min(1).max(128).exactOptional(),
    }),
    response: importListResultSchema,
  },
  'intel:remove-list': { request: z.strictObject({ name: z.string().min(1).max(64) }), response: z.strictObject({ removed: z.boolean() }) },
  /**
   * The distinct public addresses (offline classification) of every event the view filter matches,
   * busiest first, up to `limit` (5,000 by default): what a bulk lookup of "these IPs" asks about.
   * A filter that makes the engine read every event reports intel:public-ips-progress-changed,
   * tagged with the request's `serial` (0 without one) so a caller can tell its own from an older
   * request's; a newer request stops an older one.
   */
  'intel:list-public-ips': {
    request: z.strictObject({
      filter: viewFilterSchema,
      limit: z.number().int().min(1).max(10_000).exactOptional(),
      serial: z.number().int().nonnegative().exactOptional(),
    }),
    response: publicIpsSchema,
  },
  'intel:cancel-public-ips': { request: noRequest, response: z.strictObject({ cancelled: z.boolean() }) },
  /** Online lookups with providers turned on in the settings; progress comes as intel:lookup-progress-changed. */
  'intel:lookup': {
    request: z.strictObject({ ips: z.array(ipText).min(1).max(10_000), providers: z.array(provider).min(1), refresh: z.boolean().exactOptional() }),
    response: bulkLookupSchema,
  },
  'intel:cancel-lookup': { request: noRequest, response: z.strictObject({ cancelled: z.boolean() }) },
  'intel:get-settings': { request: noRequest, response: intelSettingsSchema },
  'intel:set-settings': {
    request: z.strictObject({ mmdb: z.array(filePath).max(8), providers: z.array(provider) }),
    response: intelSettingsSchema,
  },
  'intel:set-key': { request: z.strictObject({ provider, key: z.string().min(1).max(512) }), response: intelSettingsSchema },
  'intel:delete-key': { request: z.strictObject({ provider }), response: intelSettingsSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export const intelPushEvents = {
  /** Events read of those in the case, while the intel:list-public-ips request numbered `serial` reads them all. */
  'intel:public-ips-progress-changed': z.strictObject({ serial: z.number().int(), scanned: z.number().int(), total: z.number().int() }),
  'intel:lookup-progress-changed': z.strictObject({ done: z.number().int(), total: z.number().int(), sent: z.number().int() }),
} as const satisfies Record<string, z.ZodType>;

export type IntelChannel = keyof typeof intelContract;
export type IntelRequest<C extends IntelChannel> = z.output<(typeof intelContract)[C]['request']>;
export type IntelResponse<C extends IntelChannel> = z.output<(typeof intelContract)[C]['response']>;
export type IntelSettingsDto = z.output<typeof intelSettingsSchema>;
