import { extraOf, type ProgramParser } from './common.ts';

// `   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id`; sudo pads the name.
const LINE_RE = /^\s*(\S+) : (.*)$/s;
const ATTEMPTS_RE = /^(\d+) incorrect password attempts?$/;
const KEY_RE = /^[A-Z]+=/;

const FIELDS: Record<string, string> = { TTY: 'tty', PWD: 'pwd', USER: 'targetUser', GROUP: 'targetGroup', ENV: 'env' };

/** sudo's command log. A leading text before the `KEY=value` fields is why sudo refused. */
export const parseSudo: ProgramParser = (message, event) => {
  const m = LINE_RE.exec(message);
  if (!m) return false;
  const [, user = '', rest = ''] = m;
  // COMMAND= comes last and may itself contain ` ; `.
  const cmdAt = rest.startsWith('COMMAND=') ? 0 : rest.indexOf(' ; COMMAND=');
  const head = cmdAt < 0 ? rest : rest.slice(0, cmdAt);
  const parts = head === '' ? [] : head.split(' ; ');
  const reason = parts[0] !== undefined && !KEY_RE.test(parts[0]) ? parts.shift() : undefined;
  if (cmdAt < 0 && !parts.some((p) => KEY_RE.test(p))) return false;

  const extra = extraOf(event);
  event.action = 'sudo';
  event.user = user;
  event.outcome = reason === undefined ? 'success' : 'failure';
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = FIELDS[part.slice(0, eq)];
    if (key !== undefined) extra[key] = part.slice(eq + 1);
  }
  if (cmdAt >= 0) extra.command = rest.slice(cmdAt === 0 ? 8 : cmdAt + 11);
  if (reason !== undefined) readReason(reason, extra);
  return true;
};

function readReason(reason: string, extra: Record<string, unknown>): void {
  const attempts = ATTEMPTS_RE.exec(reason);
  if (attempts) {
    extra.reason = 'incorrect password';
    extra.attempts = Number(attempts[1]);
    return;
  }
  switch (reason) {
    case 'user NOT in sudoers': extra.reason = 'not in sudoers'; break;
    case 'user NOT authorized on host': extra.reason = 'not authorized on host'; break;
    case 'a password is required': extra.reason = 'password required'; break;
    default: extra.reason = reason.toLowerCase();
  }
}
