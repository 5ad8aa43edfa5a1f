import type { z } from 'zod';
import { contract, isChannel, pushEvents, type IpcResult, type PushEvent } from '../../shared/ipc/contract.ts';
import type { Handlers } from './handlers.ts';
import type { Push } from './session.ts';

/** Who called: the URL of the calling frame, or null when it is not the window's top frame. */
export interface Sender {
  url: string | null;
}

export type Dispatch = (channel: string, request: unknown, sender: Sender) => Promise<IpcResult<unknown>>;

export interface DispatchOptions {
  /** True for the app's own page; every other caller is refused. */
  isTrustedSender: (url: string) => boolean;
  /** Where details that must not reach the page go (stacks, contract mismatches). */
  log?: (message: string) => void;
}

const MAX_ERROR_LENGTH = 1000;

/**
 * The one wrapper around every handler: checks the caller, validates the request against the
 * contract, runs the handler, validates its answer, and returns an `IpcResult`. A failure is a
 * message for the analyst; stacks and internals go to the log only.
 */
export function createDispatch(handlers: Handlers, options: DispatchOptions): Dispatch {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  return async (channel, request, sender) => {
    if (!isChannel(channel)) return fail(`unknown channel "${channel.slice(0, 64)}"`);
    if (sender.url === null || !options.isTrustedSender(sender.url)) {
      log(`refused ${channel} from ${sender.url ?? 'a frame that is not the top frame'}`);
      return fail(`${channel} refused: the call did not come from Loupe's own page`);
    }
    const spec = contract[channel];
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) return fail(`invalid request to ${channel}: ${describeIssues(parsed.error)}`);
    let value: unknown;
    try {
      // The table is keyed by channel, so this handler takes this channel's parsed request.
      const handler = handlers[channel] as (request: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (err) {
      log(`${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fail(err instanceof Error && err.message !== '' ? err.message : `${channel} failed unexpectedly`);
    }
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      log(`${channel}: the handler's answer does not match the contract: ${describeIssues(checked.error)}`);
      return fail(`${channel} failed: internal error (its answer did not match the contract)`);
    }
    return { ok: true, value: checked.data };
  };
}

/** Wraps a sender of push events so that only payloads matching the contract leave. */
export function validatedPush(send: (event: PushEvent, payload: unknown) => void, log: (message: string) => void): Push {
  return (event, payload) => {
    const parsed = pushEvents[event].safeParse(payload);
    if (parsed.success) send(event, parsed.data);
    else log(`push ${event} dropped: ${describeIssues(parsed.error)}`);
  };
}

export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'request'}: ${i.message}`);
  if (error.issues.length > shown.length) shown.push(`and ${error.issues.length - shown.length} more`);
  return shown.join('; ');
}

function fail(error: string): IpcResult<never> {
  return { ok: false, error: error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH)}…` : error };
}
