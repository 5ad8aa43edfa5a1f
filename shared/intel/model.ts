/**
 * What IP intelligence gives the window and the CLI, as zod schemas (types inferred from them), so
 * the IPC contract can carry them unchanged. Provider text in here is untrusted: it is stored and
 * shown as text, never as markup.
 */
import { z } from 'zod';
import { IP_CATEGORIES } from './special-ranges.ts';

export const PROVIDER_IDS = ['ipinfo', 'abuseipdb', 'greynoise', 'shodan-internetdb'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/**
 * A provider's opinion, on one scale for all of them:
 * `malicious` (reported or seen attacking), `suspicious` (scanning, anonymiser, some reports),
 * `benign` (a known-good service), `unknown` (no opinion, or nothing known about the address).
 */
export const VERDICTS = ['malicious', 'suspicious', 'benign', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Where the date a list describes came from. */
export const LIST_DATE_SOURCES = ['header', 'analyst', 'mtime'] as const;
export type ListDateSource = (typeof LIST_DATE_SOURCES)[number];

const count = z.number().int().nonnegative();

export const ipClassSchema = z.strictObject({
  ip: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
  category: z.enum(IP_CATEGORIES),
  name: z.string(),
  network: z.string().nullable(),
  rfc: z.string().nullable(),
  globallyReachable: z.boolean(),
  mapped: z.boolean(),
});

export const listInfoSchema = z.strictObject({
  id: z.number().int().positive(),
  name: z.string(),
  path: z.string(),
  sha256: z.string(),
  size: count,
  format: z.string(),
  /** The date the list describes (UTC epoch ms), and how Loupe knows it. */
  describedAt: z.number(),
  describedAtFrom: z.enum(LIST_DATE_SOURCES),
  /** The header line the date was read from, when it came from the header. */
  describedAtText: z.string().nullable(),
  entries: count,
  rejected: count,
  column: z.string().nullable(),
  importedAt: z.number(),
  /** Distinct addresses of the case on the list (as of the last refresh). */
  hits: count,
});

/** An address is on a list: "on LIST as known at DATE", with the entry that contains it. */
export const listHitSchema = z.strictObject({
  list: z.string(),
  listId: z.number().int().positive(),
  entry: z.string(),
  note: z.string().nullable(),
  describedAt: z.number(),
  describedAtFrom: z.enum(LIST_DATE_SOURCES),
  sha256: z.string(),
});

export const geoSchema = z.strictObject({
  country: z.string().nullable(),
  countryName: z.string().nullable(),
  city: z.string().nullable(),
  asn: z.number().int().nullable(),
  asOrg: z.string().nullable(),
  /** The databases that answered (`GeoLite2-City 2026-11-20`). */
  source: z.string(),
});

export const reputationSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS),
  ip: z.string(),
  fetchedAt: z.number(),
  /** The provider knows the address (false: it answered "no data"). */
  found: z.boolean(),
  verdict: z.enum(VERDICTS),
  /** One line for the analyst, built from the provider's fields. */
  summary: z.string(),
  /** The fields Loupe read from the response, as text and numbers. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))])),
});

export const lookupErrorKinds = [
  'not-public', 'unsupported', 'no-key', 'refused', 'rate-limited', 'timeout', 'server-error', 'bad-response', 'too-large',
  'network', 'cancelled', 'not-enabled',
] as const;
export type LookupErrorKind = (typeof lookupErrorKinds)[number];

export const lookupErrorSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS),
  ip: z.string(),
  error: z.enum(lookupErrorKinds),
  message: z.string(),
});

/** Everything Loupe knows about one address in a case: the dossier's enrichment slot. */
export const ipIntelSchema = z.strictObject({
  ip: z.string(),
  classification: ipClassSchema,
  lists: z.array(listHitSchema),
  geo: geoSchema.nullable(),
  /** The latest cached answer of each provider, whatever its age (`fetchedAt` says when). */
  reputation: z.array(reputationSchema),
});

/** An address as a grid row shows it: what the case's derived intel tables hold for it. */
export const ipSummarySchema = z.strictObject({
  /** As written in the events. */
  ip: z.string(),
  /** `invalid` for text that is no address. */
  category: z.string(),
  country: z.string().nullable(),
  asn: z.number().int().nullable(),
  asOrg: z.string().nullable(),
  /** Names of the lists the address is on. */
  lists: z.array(z.string()),
});

/** The outcome of a bulk lookup: answers (from the case's cache or just fetched), failures, what was sent. */
export const bulkLookupSchema = z.strictObject({
  results: z.array(reputationSchema.extend({ cached: z.boolean() })),
  errors: z.array(lookupErrorSchema),
  sent: count,
  cancelled: z.boolean(),
});

export type IpClassDto = z.output<typeof ipClassSchema>;
export type ListInfo = z.output<typeof listInfoSchema>;
export type ListHitDto = z.output<typeof listHitSchema>;
export type Geo = z.output<typeof geoSchema>;
export type Reputation = z.output<typeof reputationSchema>;
export type LookupError = z.output<typeof lookupErrorSchema>;
export type IpIntel = z.output<typeof ipIntelSchema>;
export type BulkLookup = z.output<typeof bulkLookupSchema>;
export type IpSummary = z.output<typeof ipSummarySchema>;
