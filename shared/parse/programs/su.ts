import { extraOf, type ProgramParser } from './common.ts';

// util-linux su: `(to root) alice on pts/0`, `FAILED SU (to root) alice on pts/0`.
const UTIL_LINUX_RE = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/;
// shadow su: `Successful su for root by alice`, `FAILED su for root by alice`, `+ pts/0 alice:root`.
const SHADOW_RE = /^(Successful|FAILED) su for (\S+) by (\S+)$/;
const SULOG_RE = /^([+-]) (\S+) ([^\s:]+):(\S+)$/;

export const parseSu: ProgramParser = (message, event) => {
  let failed: boolean;
  let user: string | undefined;
  let target: string | undefined;
  let tty: string | undefined;
  let m: RegExpExecArray | null;
  if ((m = UTIL_LINUX_RE.exec(message))) {
    [, , target, user, tty] = m;
    failed = m[1] !== undefined;
  } else if ((m = SHADOW_RE.exec(message))) {
    [, , target, user] = m;
    failed = m[1] === 'FAILED';
  } else if ((m = SULOG_RE.exec(message))) {
    [, , tty, user, target] = m;
    failed = m[1] === '-';
  } else {
    return false;
  }
  event.action = 'su';
  event.outcome = failed ? 'failure' : 'success';
  if (user !== undefined) event.user = user;
  const extra = extraOf(event);
  if (target !== undefined) extra.targetUser = target;
  if (tty !== undefined) extra.tty = tty;
  return true;
};
