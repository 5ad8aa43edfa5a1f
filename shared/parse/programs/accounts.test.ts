import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function run(program: string, message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, program, message, createProgramState());
  return event;
}

describe('account management messages', () => {
  it('reads useradd with the new account as the user', () => {
    expect(run('useradd', 'new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash, from=/dev/pts/0')).toEqual({
      ts: 0, dataset: 'useradd', action: 'useradd', outcome: 'success', user: 'bob',
      extra: { uid: 1001, gid: 1001, home: '/home/bob', shell: '/bin/bash', from: '/dev/pts/0' },
    });
    expect(run('useradd', 'new group: name=bob, GID=1001')).toMatchObject({ action: 'groupadd', extra: { group: 'bob', gid: 1001 } });
  });

  it('reads group membership changes from usermod and gpasswd', () => {
    expect(run('usermod', "add 'bob' to group 'sudo'")).toMatchObject({
      dataset: 'usermod', action: 'group-member-add', user: 'bob', extra: { group: 'sudo' },
    });
    expect(run('usermod', "add 'bob' to shadow group 'sudo'").extra).toEqual({ group: 'sudo', shadow: true });
    expect(run('gpasswd', 'user bob added by root to group docker')).toMatchObject({
      dataset: 'gpasswd', action: 'group-member-add', user: 'bob', extra: { group: 'docker', actor: 'root' },
    });
  });

  it('reads groupadd, userdel and password changes', () => {
    expect(run('groupadd', 'group added to /etc/group: name=ops, GID=1002')).toMatchObject({
      dataset: 'groupadd', action: 'groupadd', extra: { group: 'ops', gid: 1002, file: '/etc/group' },
    });
    expect(run('userdel', "delete user 'bob'")).toMatchObject({ dataset: 'userdel', action: 'userdel', user: 'bob' });
    expect(run('passwd', 'pam_unix(passwd:chauthtok): password changed for bob')).toMatchObject({
      dataset: 'passwd', action: 'password-change', outcome: 'success', user: 'bob',
    });
    expect(run('chpasswd', 'pam_unix(chpasswd:chauthtok): password changed for svc')).toMatchObject({ dataset: 'chpasswd', user: 'svc' });
    expect(run('usermod', "change user 'bob' shell from '/bin/sh' to '/bin/bash'").extra).toEqual({ change: 'shell', from: '/bin/sh', to: '/bin/bash' });
  });

  it('leaves other messages alone', () => {
    expect(run('useradd', "useradd: user 'alice' already exists")).toEqual({ ts: 0, dataset: 'syslog' });
  });
});
