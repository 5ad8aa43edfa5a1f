import type { ParsedEvent } from '../../event.ts';
import { parseAccounts } from './accounts.ts';
import { extraOf, type ProgramParser, type ProgramState } from './common.ts';
import { parseCron } from './cron.ts';
import { parseLogind } from './logind.ts';
import { parsePam } from './pam.ts';
import { parseSshd } from './sshd.ts';
import { parseSu } from './su.ts';
import { parseSudo } from './sudo.ts';

export { createProgramState, type ProgramState } from './common.ts';

interface Program {
  dataset: string;
  parse: ProgramParser;
}

const PROGRAMS = new Map<string, Program>();
function register(names: readonly string[], parse: ProgramParser, dataset?: string): void {
  for (const name of names) PROGRAMS.set(name, { dataset: dataset ?? name, parse });
}
// OpenSSH 9.8 moved the per-connection work to sshd-session, 10.0 the authentication to sshd-auth.
register(['sshd', 'sshd-session', 'sshd-auth'], parseSshd, 'sshd');
register(['sudo'], parseSudo);
register(['su'], parseSu);
register(['useradd', 'usermod', 'userdel', 'groupadd', 'groupdel', 'groupmod', 'gpasswd', 'passwd', 'chpasswd', 'chage'], parseAccounts);
register(['cron', 'crond', 'crontab'], parseCron, 'cron');
register(['systemd-logind'], parseLogind);

/** Program name → parser, with the misses too, so a line costs one map lookup. */
const resolved = new Map<string, Program | null>();

function lookup(program: string): Program | null {
  let found = resolved.get(program);
  if (found === undefined) {
    // `CRON`, and `/USR/SBIN/CRON` or `/usr/sbin/sshd` from older daemons that log their path.
    found = PROGRAMS.get(program) ?? PROGRAMS.get(program.slice(program.lastIndexOf('/') + 1).toLowerCase()) ?? null;
    if (resolved.size > 10_000) resolved.clear();
    resolved.set(program, found);
  }
  return found;
}

const REPEATED_RE = /^message repeated (\d+) times: \[ ?(.*)\]$/s;

/**
 * Reads the message of a syslog line with its program's parser, setting the dataset when the
 * message is recognised; otherwise the event keeps the dataset and header fields it has.
 */
export function applyProgram(event: ParsedEvent, program: string | null, message: string, state: ProgramState): void {
  let msg = message;
  // rsyslog folds identical lines into `message repeated N times: [ <line>]`.
  if (msg.startsWith('message repeated ')) {
    const r = REPEATED_RE.exec(msg);
    if (r) {
      extraOf(event).repeated = Number(r[1]);
      msg = r[2] ?? '';
    }
  }
  const entry = program === null ? null : lookup(program);
  if (entry !== null && entry.parse(msg, event, state)) {
    event.dataset = entry.dataset;
  } else if (msg.startsWith('pam_') && parsePam(msg, event)) {
    event.dataset = entry?.dataset ?? 'pam';
  }
}
