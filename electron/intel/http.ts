/**
 * One HTTP GET to a reputation provider through undici: no redirects (a provider answers or it
 * does not), a deadline over the whole exchange, and a cap on the body read. Errors are typed and
 * their messages never carry the request (its headers hold API keys).
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { LookupErrorKind } from '../../shared/intel/model.ts';

export class LookupFailure extends Error {
  readonly kind: LookupErrorKind;
  /** For `rate-limited`: how long the provider asked to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(kind: LookupErrorKind, message: string, retryAfterMs?: number) {
    super(message);
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as UTF-8 text (invalid bytes replaced), at most `maxBytes` long. */
  text: string;
}

export interface GetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal | undefined;
  dispatcher: Dispatcher;
}

/** The connection pool the providers share; created only when a lookup is about to be made. */
export function createDispatcher(timeoutMs: number): Agent {
  return new Agent({ connect: { timeout: timeoutMs }, connections: 4, keepAliveTimeout: 10_000 });
}

export async function httpGet(url: URL, opts: GetOptions): Promise<HttpResponse> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const aborted = (): LookupFailure => (opts.signal?.aborted
    ? new LookupFailure('cancelled', 'cancelled')
    : new LookupFailure('timeout', `no answer within ${opts.timeoutMs} ms`));
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: 'GET', headers: opts.headers, signal, dispatcher: opts.dispatcher,
      headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs,
    });
  } catch (err) {
    if (signal.aborted) throw aborted();
    throw networkFailure(err);
  }
  const length = Number(res.headers['content-length']);
  if (Number.isFinite(length) && length > opts.maxBytes) {
    res.body.destroy();
    throw new LookupFailure('too-large', `the answer is ${length} bytes, more than the ${opts.maxBytes} Loupe reads`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > opts.maxBytes) {
        res.body.destroy();
        throw new LookupFailure('too-large', `the answer is more than the ${opts.maxBytes} bytes Loupe reads`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof LookupFailure) throw err;
    if (signal.aborted) throw aborted();
    throw networkFailure(err);
  }
  return { status: res.statusCode, headers: res.headers, text: new TextDecoder().decode(Buffer.concat(chunks)) };
}

/** A failure to connect or read, described by its code only (undici's messages are safe, but short is enough). */
function networkFailure(err: unknown): LookupFailure {
  const e = err as { code?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'error';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new LookupFailure('timeout', `timed out (${code})`);
  }
  return new LookupFailure('network', `could not reach the provider (${code})`);
}

/**
 * A `Retry-After` header (RFC 9110 §10.2.3): seconds, or an HTTP date. Milliseconds from `now`,
 * or undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
