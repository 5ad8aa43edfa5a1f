import type { ParsedEvent } from '../../event.ts';
import { extraOf, firstWord, setSource, setUser, type ProgramParser } from './common.ts';
import { readAuthPairs } from './pam.ts';

// Usernames come from the network and may hold spaces, so they are matched lazily up to the
// ` from <addr> port <n>` that every one of these lines ends with.
const ACCEPTED_RE = /^Accepted (\S+) for (.*?) from (\S+) port (\d+)(?: ssh2)?(?:: (\S+) (\S+).*)?$/s;
const FAILED_RE = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?(?:: (\S+) (\S+).*)?$/s;
const INVALID_RE = /^Invalid user (.*?) from (\S+) port (\d+)$/s;
const DISCONNECTED_RE = /^Disconnected from (?:(invalid |authenticating )?user (.*?) )?(\S+) port (\d+)$/s;
const DISCONNECTING_RE = /^Disconnecting (?:(invalid |authenticating )?user (.*?) )?(\S+) port (\d+): (.*)$/s;
const RECEIVED_DISCONNECT_RE = /^Received disconnect from (\S+) port (\d+):(\d+): ?(.*)$/s;
const CLOSED_RE = /^Connection (closed|reset) by (?:(invalid |authenticating )?user (.*?) )?(\S+) port (\d+)$/s;
const CONNECTION_FROM_RE = /^Connection from (\S+) port (\d+) on (\S+) port (\d+)/;
const MAX_ATTEMPTS_RE = /^error: maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?$/s;
const NO_IDENT_RE = /^Did not receive identification string from (\S+)(?: port (\d+))?$/;
const BAD_IDENT_RE = /^(?:Bad protocol version identification .* from|banner exchange: Connection from) (\S+) port (\d+)/s;
const NEGOTIATE_RE = /^Unable to negotiate with (\S+) port (\d+): (.*)$/s;
const NOT_ALLOWED_RE = /^User (.*?) from (\S+) not allowed because (.*)$/s;
const PAM_MORE_RE = /^PAM (\d+) more authentication failures?; (.*)$/s;

/** OpenSSH server messages (sshd, and sshd-session since OpenSSH 9.8). */
export const parseSshd: ProgramParser = (message, event) => {
  // `[preauth]` marks lines from the unprivileged pre-authentication child.
  const preauth = message.endsWith(' [preauth]');
  const msg = preauth ? message.slice(0, -10) : message;
  if (!readMessage(msg, event)) return false;
  if (preauth) extraOf(event).preauth = true;
  return true;
};

function readMessage(msg: string, e: ParsedEvent): boolean {
  switch (firstWord(msg)) {
    case 'Accepted': {
      const m = ACCEPTED_RE.exec(msg);
      if (!m) return false;
      login(e, 'success', m[1], m[2], m[3], m[4]);
      if (m[5] !== undefined && m[6] !== undefined) Object.assign(extraOf(e), { keyType: m[5], key: m[6] });
      return true;
    }
    case 'Failed': {
      const m = FAILED_RE.exec(msg);
      if (!m) return false;
      login(e, 'failure', m[1], m[3], m[4], m[5]);
      if (m[2] !== undefined) extraOf(e).invalidUser = true;
      if (m[6] !== undefined && m[7] !== undefined) Object.assign(extraOf(e), { keyType: m[6], key: m[7] });
      return true;
    }
    case 'Invalid': {
      const m = INVALID_RE.exec(msg);
      if (!m) return false;
      act(e, 'invalid-user', 'failure', m[1], m[2], m[3]);
      extraOf(e).invalidUser = true;
      return true;
    }
    case 'Disconnected': {
      const m = DISCONNECTED_RE.exec(msg);
      if (!m) return false;
      act(e, 'disconnect', undefined, m[2], m[3], m[4]);
      userState(e, m[1]);
      return true;
    }
    case 'Disconnecting': {
      const m = DISCONNECTING_RE.exec(msg);
      if (!m) return false;
      act(e, 'disconnect', undefined, m[2], m[3], m[4]);
      userState(e, m[1]);
      extraOf(e).reason = m[5];
      return true;
    }
    case 'Received': {
      const m = RECEIVED_DISCONNECT_RE.exec(msg);
      if (!m) return false;
      act(e, 'disconnect', undefined, undefined, m[1], m[2]);
      Object.assign(extraOf(e), { reasonCode: Number(m[3]), reason: m[4] });
      return true;
    }
    case 'Connection': return connection(msg, e);
    case 'error:': {
      const m = MAX_ATTEMPTS_RE.exec(msg);
      if (!m) return false;
      act(e, 'auth-attempts-exceeded', 'failure', m[2], m[3], m[4]);
      if (m[1] !== undefined) extraOf(e).invalidUser = true;
      return true;
    }
    case 'Did': {
      const m = NO_IDENT_RE.exec(msg);
      if (!m) return false;
      act(e, 'no-identification', undefined, undefined, m[1], m[2]);
      return true;
    }
    case 'Bad':
    case 'banner': {
      const m = BAD_IDENT_RE.exec(msg);
      if (!m) return false;
      act(e, 'bad-identification', undefined, undefined, m[1], m[2]);
      return true;
    }
    case 'Unable': {
      const m = NEGOTIATE_RE.exec(msg);
      if (!m) return false;
      act(e, 'negotiation-failed', 'failure', undefined, m[1], m[2]);
      extraOf(e).reason = m[3];
      return true;
    }
    case 'User': {
      const m = NOT_ALLOWED_RE.exec(msg);
      if (!m) return false;
      act(e, 'login', 'failure', m[1], m[2], undefined);
      extraOf(e).reason = `not allowed because ${m[3] ?? ''}`;
      return true;
    }
    case 'PAM': {
      const m = PAM_MORE_RE.exec(msg);
      if (!m) return false;
      e.action = 'auth';
      e.outcome = 'failure';
      extraOf(e).more = Number(m[1]);
      readAuthPairs(m[2] ?? '', e);
      return true;
    }
    default:
      return false;
  }
}

function connection(msg: string, e: ParsedEvent): boolean {
  const c = CLOSED_RE.exec(msg);
  if (c) {
    act(e, c[1] === 'closed' ? 'connection-closed' : 'connection-reset', undefined, c[3], c[4], c[5]);
    userState(e, c[2]);
    return true;
  }
  const f = CONNECTION_FROM_RE.exec(msg);
  if (!f) return false;
  act(e, 'connect', undefined, undefined, f[1], f[2]);
  e.dstIp = f[3] ?? '';
  e.dstPort = Number(f[4]);
  return true;
}

function login(e: ParsedEvent, outcome: 'success' | 'failure', method: string | undefined, user?: string, address?: string, port?: string): void {
  act(e, 'login', outcome, user, address, port);
  if (method !== undefined) extraOf(e).method = method;
}

function act(e: ParsedEvent, action: string, outcome: 'success' | 'failure' | undefined, user?: string, address?: string, port?: string): void {
  e.action = action;
  if (outcome !== undefined) e.outcome = outcome;
  setUser(e, user);
  if (address !== undefined) setSource(e, address, port);
}

/** `invalid user` / `authenticating user` before the name in disconnect lines. */
function userState(e: ParsedEvent, qualifier: string | undefined): void {
  if (qualifier === 'invalid ') extraOf(e).invalidUser = true;
  else if (qualifier === 'authenticating ') extraOf(e).authenticating = true;
}
