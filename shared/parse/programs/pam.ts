import type { ParsedEvent } from '../../event.ts';
import { extraOf, setSource, setUser } from './common.ts';

// `pam_unix(sshd:session): …`: module, service, management group.
const PAM_RE = /^(pam_[\w-]+)\(([^:()]*):([^()]*)\): ?(.*)$/s;
// `session opened for user root(uid=0) by alice(uid=1000)`; older PAM omits the `(uid=…)` after the user.
const SESSION_RE = /^session (opened|closed) for user (.+?)(?:\(uid=(\d+)\))?(?: by (.*?)(?:\(uid=(\d+)\))?)?$/;
const IDENTIFY_RE = /^auth could not identify password for \[(.*)\]$/;

/**
 * Reads a `pam_<module>(<service>:<type>): …` line. Returns false when the line is not in that
 * shape; a PAM line whose text is not one of the known messages still gets its module fields.
 */
export function parsePam(message: string, event: ParsedEvent): boolean {
  const m = PAM_RE.exec(message);
  if (!m) return false;
  const [, module = '', service = '', type = '', text = ''] = m;
  const extra = extraOf(event);
  extra.pamModule = module;
  extra.pamService = service;
  extra.pamType = type;
  if (text.startsWith('session ')) {
    readSession(text, event);
  } else if (text.startsWith('authentication failure;')) {
    event.action = 'auth';
    event.outcome = 'failure';
    readAuthPairs(text.slice(23), event);
  } else if (text.startsWith('check pass; user unknown')) {
    event.action = 'auth';
    event.outcome = 'failure';
    extra.reason = 'user unknown';
  } else if (text.startsWith('password changed for ')) {
    event.action = 'password-change';
    event.outcome = 'success';
    setUser(event, text.slice(21));
  } else {
    const id = IDENTIFY_RE.exec(text);
    if (id) {
      event.action = 'auth';
      event.outcome = 'failure';
      setUser(event, id[1]);
      extra.reason = 'no password';
    }
  }
  return true;
}

function readSession(text: string, event: ParsedEvent): void {
  const s = SESSION_RE.exec(text);
  if (!s) return;
  const [, verb, user, uid, by, byUid] = s;
  event.action = verb === 'opened' ? 'session-open' : 'session-close';
  event.outcome = 'success';
  const extra = extraOf(event);
  // login(1) names itself `LOGIN`, which is no account.
  if (by !== undefined && by !== '' && by !== user && by !== 'LOGIN') {
    // `… for user root by alice`: alice acted, root is whom she became.
    event.user = by;
    if (byUid !== undefined) extra.uid = Number(byUid);
    setTarget(event, user);
    if (uid !== undefined) extra.targetUid = Number(uid);
  } else {
    setUser(event, user);
    if (uid !== undefined) extra.uid = Number(uid);
  }
}

/**
 * Reads `logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root` (the tail of an
 * authentication failure): `ruser` is who asked, `user` the account they tried.
 */
export function readAuthPairs(text: string, event: ParsedEvent): void {
  let user = '';
  let ruser = '';
  for (const part of text.split(' ')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) continue;
    const value = part.slice(eq + 1);
    switch (part.slice(0, eq)) {
      case 'user': user = value; break;
      case 'ruser': ruser = value; break;
      case 'rhost': setSource(event, value); break;
      case 'tty': extraOf(event).tty = value; break;
      case 'logname': extraOf(event).logname = value; break;
      default: break;
    }
  }
  if (ruser !== '' && ruser !== user) {
    event.user = ruser;
    setTarget(event, user);
  } else {
    setUser(event, user);
  }
}

function setTarget(event: ParsedEvent, user: string | undefined): void {
  if (user !== undefined && user !== '') extraOf(event).targetUser = user;
}
