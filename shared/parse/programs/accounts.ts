import type { Outcome } from '../../event.ts';
import { extraOf, firstWord, type ProgramParser } from './common.ts';

// shadow-utils messages (useradd, usermod, groupadd, userdel, groupdel, gpasswd, passwd, chage).
const MEMBER_RE = /^(add|delete) '([^']*)' (?:to|from) (shadow )?group '([^']*)'$/;
const CHANGE_RE = /^change user '([^']*)' (.+?)(?: from '(.*)' to '(.*)')?$/s;
const RENAME_RE = /^change user name '([^']*)' to '([^']*)'$/;
const LOCK_RE = /^(lock|unlock) user '([^']*)' password$/;
const REMOVED_GROUP_RE = /^removed (shadow )?group '([^']*)' owned by '([^']*)'$/;
const GROUP_REMOVED_RE = /^group '([^']*)' removed(?: from (\S+))?$/;
const GPASSWD_RE = /^user (\S+) (added|removed) by (\S+) (?:to|from) group (\S+)$/;
const MEMBERS_RE = /^members of group (\S+) set by (\S+) to (.*)$/;
const GROUP_ADDED_RE = /^group added to (\S+): (.*)$/;
const DELETE_USER_RE = /^delete user '([^']*)'$/;
const FAILED_ADD_RE = /^failed adding user '([^']*)'/;
const PASSWORD_BY_RE = /^password for '([^']*)' changed by '([^']*)'$/;

type Extra = Record<string, unknown>;

export const parseAccounts: ProgramParser = (message, event) => {
  const found = read(message);
  if (found === null) return false;
  const [action, user, extra, outcome = 'success'] = found;
  event.action = action;
  event.outcome = outcome;
  if (user !== '') event.user = user;
  if (Object.keys(extra).length > 0) Object.assign(extraOf(event), extra);
  return true;
};

/** Action, affected user ('' when none), extra and outcome (default success). */
type Found = [action: string, user: string, extra: Extra, outcome?: Outcome];

function read(msg: string): Found | null {
  let m: RegExpExecArray | null;
  switch (firstWord(msg)) {
    case 'new': {
      if (msg.startsWith('new user: ')) {
        const { name, ...extra } = pairs(msg.slice(10));
        return ['useradd', String(name ?? ''), extra];
      }
      if (msg.startsWith('new group: ')) return group(pairs(msg.slice(11)));
      return null;
    }
    case 'group': {
      const added = GROUP_ADDED_RE.exec(msg);
      if (added) return group({ ...pairs(added[2] ?? ''), file: added[1] });
      if ((m = GROUP_REMOVED_RE.exec(msg))) return ['groupdel', '', withFile({ group: m[1] }, m[2])];
      return null;
    }
    case 'add':
    case 'delete': {
      if ((m = MEMBER_RE.exec(msg))) {
        const extra: Extra = { group: m[4] };
        if (m[3] !== undefined) extra.shadow = true;
        return [m[1] === 'add' ? 'group-member-add' : 'group-member-remove', m[2] ?? '', extra];
      }
      const del = DELETE_USER_RE.exec(msg);
      return del ? ['userdel', del[1] ?? '', {}] : null;
    }
    case 'change': {
      if ((m = RENAME_RE.exec(msg))) return ['user-rename', m[1] ?? '', { newName: m[2] }];
      if (!(m = CHANGE_RE.exec(msg))) return null;
      if (m[2] === 'password') return ['password-change', m[1] ?? '', {}];
      const extra: Extra = { change: m[2] };
      if (m[3] !== undefined) Object.assign(extra, { from: m[3], to: m[4] });
      return ['usermod', m[1] ?? '', extra];
    }
    case 'lock':
    case 'unlock':
      return (m = LOCK_RE.exec(msg)) ? [`user-${m[1] ?? ''}`, m[2] ?? '', {}] : null;
    case 'removed':
      return (m = REMOVED_GROUP_RE.exec(msg)) ? ['groupdel', '', shadow({ group: m[2], owner: m[3] }, m[1])] : null;
    case 'user':
      return (m = GPASSWD_RE.exec(msg))
        ? [m[2] === 'added' ? 'group-member-add' : 'group-member-remove', m[1] ?? '', { group: m[4], actor: m[3] }]
        : null;
    case 'members':
      return (m = MEMBERS_RE.exec(msg)) ? ['group-members-set', '', { group: m[1], actor: m[2], members: m[3] }] : null;
    case 'password':
      return (m = PASSWORD_BY_RE.exec(msg)) ? ['password-change', m[1] ?? '', { actor: m[2] }] : null;
    case 'changed':
      return msg.startsWith('changed password expiry for ') ? ['password-expiry-change', msg.slice(28), {}] : null;
    case 'failed': {
      const failed = FAILED_ADD_RE.exec(msg);
      return failed ? ['useradd', failed[1] ?? '', { reason: msg }, 'failure'] : null;
    }
    default:
      return null;
  }
}

function group(fields: Extra): Found {
  const { name, ...rest } = fields;
  return ['groupadd', '', { group: name, ...rest }];
}

function withFile(extra: Extra, file: string | undefined): Extra {
  if (file !== undefined) extra.file = file;
  return extra;
}

function shadow(extra: Extra, flag: string | undefined): Extra {
  if (flag !== undefined) extra.shadow = true;
  return extra;
}

/** `name=bob, UID=1001, GID=1001, home=/home/bob` → { name, uid, gid, home }. */
function pairs(text: string): Extra {
  const out: Extra = {};
  for (const part of text.split(', ')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'UID' || key === 'GID') out[key.toLowerCase()] = /^\d+$/.test(value) ? Number(value) : value;
    else out[key] = value;
  }
  return out;
}
