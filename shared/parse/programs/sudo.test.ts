import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function run(program: string, message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, program, message, createProgramState());
  return event;
}

describe('sudo messages', () => {
  it('reads a command run as another user', () => {
    expect(run('sudo', '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id')).toEqual({
      ts: 0, dataset: 'sudo', action: 'sudo', outcome: 'success', user: 'alice',
      extra: { tty: 'pts/0', pwd: '/home/alice', targetUser: 'root', command: '/usr/bin/id' },
    });
  });

  it('keeps ` ; ` inside the command', () => {
    expect(run('sudo', 'alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh -c a ; b').extra?.command).toBe('/bin/sh -c a ; b');
  });

  it('reads refusals as failures with a reason', () => {
    expect(run('sudo', '  bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/cat /etc/shadow')).toMatchObject({
      dataset: 'sudo', action: 'sudo', outcome: 'failure', user: 'bob', extra: { reason: 'not in sudoers', command: '/bin/cat /etc/shadow' },
    });
    expect(run('sudo', 'carol : 3 incorrect password attempts ; TTY=pts/2 ; PWD=/ ; USER=root ; COMMAND=/bin/ls')).toMatchObject({
      outcome: 'failure', user: 'carol', extra: { reason: 'incorrect password', attempts: 3 },
    });
  });

  it('reads its PAM lines: the invoker is the user, the account they became the target', () => {
    expect(run('sudo', 'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice')).toMatchObject({
      dataset: 'sudo', action: 'auth', outcome: 'failure', user: 'alice',
    });
    expect(run('sudo', 'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)')).toMatchObject({
      dataset: 'sudo', action: 'session-open', user: 'alice', extra: { uid: 1000, targetUser: 'root', targetUid: 0 },
    });
  });

  it('does not claim lines without sudo fields', () => {
    expect(run('sudo', 'alice : unable to resolve host web1: Name or service not known').dataset).toBe('syslog');
  });
});
