/**
 * A provider's pace: one request at a time, starts at least `minIntervalMs` apart, and none at all
 * until a time a 429 named. Free tiers count requests per minute or day and punish bursts.
 */
import { LookupFailure } from './http.ts';

/** Resolves after `ms`, or rejects with `cancelled` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new LookupFailure('cancelled', 'cancelled'));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new LookupFailure('cancelled', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RateLimiter {
  readonly minIntervalMs: number;
  private tail: Promise<void> = Promise.resolve();
  private earliest = 0;

  constructor(minIntervalMs: number) {
    this.minIntervalMs = minIntervalMs;
  }

  /** No request starts before `at` (epoch ms): the provider said to wait. */
  holdUntil(at: number): void {
    this.earliest = Math.max(this.earliest, at);
  }

  /** Runs `fn` in turn: after the previous request has finished and the interval has passed. */
  async run<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release = (): void => {};
    this.tail = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      await sleep(this.earliest - Date.now(), signal);
      this.earliest = Date.now() + this.minIntervalMs;
      return await fn();
    } finally {
      release();
    }
  }
}
