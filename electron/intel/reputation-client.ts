/**
 * Asks reputation providers about addresses: only the providers the analyst turned on, only about
 * public addresses, at each provider's pace, retrying what is worth retrying (429 after the wait
 * the provider names, 5xx and network failures with exponential backoff), and reading at most a
 * capped, schema-checked answer. Nothing is sent, and no connection opened, until `lookup` is called.
 */
import type { Dispatcher } from 'undici';
import { ZodError } from 'zod';
import { classifyIp, isLookupWorthy } from '../../shared/intel/classify.ts';
import type { LookupError, LookupErrorKind, ProviderId, Reputation } from '../../shared/intel/model.ts';
import { createDispatcher, httpGet, LookupFailure, retryAfterMs, type HttpResponse } from './http.ts';
import { redact, type KeyProvider } from './keys.ts';
import { PROVIDERS, type ProviderSpec } from './providers/index.ts';
import type { Detail } from './providers/types.ts';
import { RateLimiter, sleep } from './rate-limit.ts';

export interface ReputationClientOptions {
  /** The providers the analyst turned on; a lookup with any other is refused without a request. */
  enabled: readonly ProviderId[];
  keys: KeyProvider;
  /** Where each provider is reached (tests point them at loopback servers). */
  baseUrls?: Partial<Record<ProviderId, string>>;
  /** Deadline of one request, connection included (default 10 s). */
  timeoutMs?: number;
  /** Largest answer read (default 256 KiB). */
  maxBytes?: number;
  /** Tries per lookup (default 3). */
  attempts?: number;
  /** First backoff after a 5xx or a network failure, doubled each time (default 1 s). */
  backoffMs?: number;
  /** Longest `Retry-After` waited for; a longer one ends the lookup as rate-limited (default 60 s). */
  maxWaitMs?: number;
  /** Spacing between requests per provider (default: the provider's). */
  minIntervalMs?: Partial<Record<ProviderId, number>>;
  now?: () => number;
}

type Outcome =
  | { ok: true; reputation: Reputation; /** The response body as received (key redacted). */ raw: string }
  | { ok: false; error: LookupError };

/** The outcome, and how many requests were sent (connections tried) for it: 0 when nothing left the machine. */
export type LookupResult = Outcome & { requests: number };

const MESSAGE_TEXT = 200;

export class ReputationClient {
  private readonly opts: ReputationClientOptions;
  private readonly limiters = new Map<ProviderId, RateLimiter>();
  /** Providers that asked for a longer wait than Loupe waits: no request until then. */
  private readonly blockedUntil = new Map<ProviderId, number>();
  private dispatcher: Dispatcher | undefined;

  constructor(opts: ReputationClientOptions) {
    this.opts = opts;
  }

  get enabled(): readonly ProviderId[] {
    return this.opts.enabled;
  }

  /** One provider's answer about one address. Never throws; failures are results. */
  async lookup(provider: ProviderId, ip: string, signal?: AbortSignal): Promise<LookupResult> {
    const fail = (error: LookupErrorKind, message: string, requests = 0): LookupResult =>
      ({ ok: false, error: { provider, ip, error, message }, requests });
    const spec = PROVIDERS[provider];
    if (!this.opts.enabled.includes(provider)) return fail('not-enabled', `${spec.title} is not turned on; nothing was sent`);
    const c = classifyIp(ip);
    if (!c) return fail('unsupported', `"${ip.slice(0, 64)}" is not an IP address`);
    if (!isLookupWorthy(c)) {
      return fail('not-public', `${c.ip} is ${c.name}${c.rfc ? ` (${c.rfc})` : ''}: Loupe sends only public addresses to providers`);
    }
    if (!spec.families.includes(c.family)) return fail('unsupported', `${spec.title} takes IPv${spec.families.join('/IPv')} addresses only`);
    let key: string | undefined;
    try {
      key = (await this.opts.keys(provider)) ?? undefined;
    } catch (err) {
      return fail('no-key', `the ${spec.title} API key could not be read: ${(err as Error).message}`);
    }
    if (spec.key?.required && !key) {
      return fail('no-key', `${spec.title} needs an API key (${spec.key.env} for the command line, the intel settings in the app)`);
    }
    const blocked = this.blockedUntil.get(provider) ?? 0;
    if (blocked > Date.now()) {
      return fail('rate-limited', `${spec.title} asked Loupe to wait until ${new Date(blocked).toISOString()}; nothing was sent`);
    }
    const count = { requests: 0 };
    try {
      const res = await this.fetch(spec, c.ip, key, signal, count);
      return { ...this.interpret(spec, c.ip, res, key), requests: count.requests };
    } catch (err) {
      if (err instanceof LookupFailure) return fail(err.kind, redact(err.message, key), count.requests);
      return fail('network', `unexpected failure (${(err as Error).name})`, count.requests);
    }
  }

  /** Closes the connections a lookup opened. */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    await d?.close();
  }

  private limiter(spec: ProviderSpec): RateLimiter {
    let l = this.limiters.get(spec.id);
    if (!l) {
      l = new RateLimiter(this.opts.minIntervalMs?.[spec.id] ?? spec.minIntervalMs);
      this.limiters.set(spec.id, l);
    }
    return l;
  }

  private async fetch(
    spec: ProviderSpec, ip: string, key: string | undefined, signal: AbortSignal | undefined, count: { requests: number },
  ): Promise<HttpResponse> {
    const attempts = Math.max(1, this.opts.attempts ?? 3);
    const backoff = this.opts.backoffMs ?? 1000;
    const maxWait = this.opts.maxWaitMs ?? 60_000;
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    const { path, headers } = spec.request(ip, key);
    const url = new URL(path, this.opts.baseUrls?.[spec.id] ?? spec.defaultBaseUrl);
    const limiter = this.limiter(spec);
    this.dispatcher ??= createDispatcher(timeoutMs);
    const dispatcher = this.dispatcher;
    // Exponential backoff with jitter, so that retries of many lookups do not arrive together.
    const pause = (attempt: number): Promise<void> => sleep(backoff * 2 ** attempt * (0.75 + Math.random() * 0.5), signal);
    for (let attempt = 0; ; attempt++) {
      const last = attempt === attempts - 1;
      let res: HttpResponse;
      try {
        res = await limiter.run(signal, () => {
          count.requests++;
          return httpGet(url, { headers, timeoutMs, maxBytes: this.opts.maxBytes ?? 256 * 1024, signal, dispatcher });
        });
      } catch (err) {
        const retry = err instanceof LookupFailure && (err.kind === 'network' || err.kind === 'timeout');
        if (!retry || last) throw err;
        await pause(attempt);
        continue;
      }
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers['retry-after']);
        const seconds = wait === undefined ? '' : `; it asks to wait ${Math.ceil(wait / 1000)} s`;
        if (last || (wait !== undefined && wait > maxWait)) {
          if (wait !== undefined) this.blockedUntil.set(spec.id, Date.now() + wait);
          throw new LookupFailure('rate-limited', `${spec.title} is rate-limiting Loupe (HTTP 429${seconds})`, wait);
        }
        if (wait !== undefined) limiter.holdUntil(Date.now() + wait);
        else await pause(attempt);
        continue;
      }
      if (res.status >= 500) {
        if (last) throw new LookupFailure('server-error', `${spec.title} failed (HTTP ${res.status}) ${attempts} time(s)`);
        await pause(attempt);
        continue;
      }
      return res;
    }
  }

  private interpret(spec: ProviderSpec, ip: string, res: HttpResponse, key: string | undefined): Outcome {
    const provider = spec.id;
    const raw = redact(res.text, key);
    const fail = (error: LookupErrorKind, message: string): Outcome =>
      ({ ok: false, error: { provider, ip, error, message: redact(message, key) } });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      body = undefined;
    }
    if (!spec.answers.includes(res.status)) {
      const said = body === undefined ? undefined : spec.errorText?.(body);
      const because = said ? `: ${oneLine(said)}` : '';
      if (res.status === 401 || res.status === 403) return fail('refused', `${spec.title} refused the request (HTTP ${res.status}${because}); check the API key`);
      return fail('bad-response', `${spec.title} answered HTTP ${res.status}${because}`);
    }
    if (body === undefined) return fail('bad-response', `${spec.title} answered HTTP ${res.status} with a body that is not JSON`);
    let answer;
    try {
      answer = spec.read(res.status, body);
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      const issue = err.issues[0];
      return fail('bad-response', `${spec.title}'s answer is not what its API documents (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`);
    }
    return {
      ok: true,
      raw,
      reputation: {
        provider, ip, fetchedAt: (this.opts.now ?? Date.now)(), found: answer.found, verdict: answer.verdict,
        summary: redact(oneLine(answer.summary), key) || '(no details)', detail: redactDetail(answer.detail, key),
      },
    };
  }
}

/** Provider text as one line of bounded length, without control characters. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();
  return flat.length > MESSAGE_TEXT * 2 ? `${flat.slice(0, MESSAGE_TEXT * 2)}…` : flat;
}

function redactDetail(detail: Detail, key: string | undefined): Detail {
  if (!key) return detail;
  const out: Detail = {};
  for (const [k, v] of Object.entries(detail)) {
    out[k] = typeof v === 'string' ? redact(v, key) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? redact(x, key) : x)) : v;
  }
  return out;
}
