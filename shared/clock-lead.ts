/**
 * Live syslog messages stamped ahead of the time they were received: a sender whose clock runs
 * fast, or local time east of UTC read as UTC. Their correlation matches wait until this machine's
 * clock reaches them, so the listener counts them and the analyst is told why alerts come late.
 */

/** A lead over the receive time past which a message counts as ahead; below it is ordinary clock drift. */
export const AHEAD_THRESHOLD_MS = 2 * 60_000;

/** The lead as a person reads it: 3 min, 2 h, 1 h 30 min, 3 days. */
export function formatLead(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `${Math.round(minutes / 1440)} days`;
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The warning shown in the Live view and printed by `loupe listen`. */
export function aheadWarning(count: number, maxLeadMs: number): string {
  const what = count === 1 ? '1 message is' : `${count.toLocaleString('en-US')} messages are`;
  return `${what} stamped up to ${formatLead(maxLeadMs)} ahead of this machine's clock: check the sender's clock or the listener's time zone; ` +
    `${count === 1 ? 'its' : 'their'} correlations wait until the clock reaches ${count === 1 ? 'it' : 'them'}`;
}
