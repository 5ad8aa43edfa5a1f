/** What each reputation provider module describes: how to ask it, and how to read its answer. */
import type { ProviderId, Reputation, Verdict } from '../../../shared/intel/model.ts';

export type Detail = Reputation['detail'];

/** A provider's answer about one address, read through its schema. */
export interface Answer {
  found: boolean;
  verdict: Verdict;
  summary: string;
  detail: Detail;
}

export interface ProviderSpec {
  id: ProviderId;
  title: string;
  /** Its API documentation, which the module follows. */
  docs: string;
  defaultBaseUrl: string;
  /** The API key: the environment variable the CLI reads, and whether the provider works without one. */
  key: { env: string; required: boolean } | null;
  families: readonly (4 | 6)[];
  /** Spacing between requests by default (free tiers allow about this pace). */
  minIntervalMs: number;
  /** What leaves the machine on a lookup, for the README and the settings. */
  sends: string;
  /** Path and query (appended to the base URL) and headers of the lookup of `ip`. */
  request(ip: string, key: string | undefined): { path: string; headers: Record<string, string> };
  /** Statuses that carry an answer (200, and 404 "no data" for some). */
  answers: readonly number[];
  /** The answer in a body sent with one of `answers`; throws (a zod error) when the body is not what the API documents. */
  read(status: number, body: unknown): Answer;
  /** The provider's error text in a body it sent with a failure status, if any. */
  errorText?(body: unknown): string | undefined;
}

/** `["a", null, "b"]` → `"a, b"`. */
export const joined = (parts: readonly (string | null | undefined | false)[], sep = ', '): string =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join(sep);
