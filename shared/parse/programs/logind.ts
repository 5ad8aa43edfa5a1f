import type { ParsedEvent } from '../../event.ts';
import { extraOf, type ProgramParser } from './common.ts';

const NEW_RE = /^New session (\S+) of user (.+)\.$/s;
const REMOVED_RE = /^Removed session (\S+)\.$/;
const LOGGED_OUT_RE = /^Session (\S+) logged out\./;
/** Sessions remembered per file; a bound, because a listener runs for weeks. */
const MAX_SESSIONS = 50_000;

/** systemd-logind session lines; the session's user is remembered so the later lines name it. */
export const parseLogind: ProgramParser = (message, event, state) => {
  let m = NEW_RE.exec(message);
  if (m) {
    const [, id = '', user = ''] = m;
    if (state.sessions.size >= MAX_SESSIONS) state.sessions.clear();
    state.sessions.set(key(event, id), user);
    return session(event, 'session-open', id, user);
  }
  if ((m = REMOVED_RE.exec(message))) {
    const id = m[1] ?? '';
    const user = state.sessions.get(key(event, id));
    state.sessions.delete(key(event, id));
    return session(event, 'session-close', id, user);
  }
  if ((m = LOGGED_OUT_RE.exec(message))) {
    const id = m[1] ?? '';
    return session(event, 'logout', id, state.sessions.get(key(event, id)));
  }
  return false;
};

function session(event: ParsedEvent, action: string, id: string, user: string | undefined): true {
  event.action = action;
  event.outcome = 'success';
  if (user !== undefined && user !== '') event.user = user;
  extraOf(event).session = id;
  return true;
}

function key(event: ParsedEvent, id: string): string {
  return `${event.host ?? ''} ${id}`;
}
