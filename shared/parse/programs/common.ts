import type { ParsedEvent } from '../../event.ts';

/**
 * State one file (or one listener) keeps across lines, e.g. which user a logind session belongs to,
 * so `Removed session 12.` can name the user of `New session 12 of user alice.`.
 */
export interface ProgramState {
  sessions: Map<string, string>;
}

export function createProgramState(): ProgramState {
  return { sessions: new Map() };
}

/**
 * Reads the message of one program into `event` and returns true, or returns false and leaves
 * `event` untouched when it does not recognise the message. The caller sets the dataset.
 *
 * Who is `user`: whoever acted when the line names them (the sudo or su invoker, PAM's `ruser`,
 * the `by` of a PAM session), else the account the line is about; `extra.targetUser` is the account
 * acted on when it differs. Account management lines (useradd, usermod, passwd…) are about an
 * account: it is `user`, and an actor they name goes to `extra.actor`.
 */
export type ProgramParser = (message: string, event: ParsedEvent, state: ProgramState) => boolean;

export function extraOf(event: ParsedEvent): Record<string, unknown> {
  return (event.extra ??= {});
}

const IPV4_RE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IPV6_RE = /^[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*$/;

/** True for dotted IPv4 and textual IPv6 addresses (a cheap shape check, not a validator). */
export function isIp(text: string): boolean {
  return IPV4_RE.test(text) || IPV6_RE.test(text);
}

/** Sets `srcIp` (or `extra.srcHost` when sshd logged a name, with UseDNS) and `srcPort`. */
export function setSource(event: ParsedEvent, address: string, port?: string): void {
  if (isIp(address)) event.srcIp = address;
  else if (address !== '') extraOf(event).srcHost = address;
  if (port !== undefined) event.srcPort = Number(port);
}

export function setUser(event: ParsedEvent, user: string | undefined): void {
  if (user !== undefined && user !== '') event.user = user;
}

/** The text before the first space. */
export function firstWord(text: string): string {
  const sp = text.indexOf(' ');
  return sp < 0 ? text : text.slice(0, sp);
}
