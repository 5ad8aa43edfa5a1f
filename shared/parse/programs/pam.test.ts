import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function run(program: string, message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, program, message, createProgramState());
  return event;
}

describe('PAM lines from any program', () => {
  it('reads sessions with the pam module fields', () => {
    expect(run('systemd', 'pam_unix(systemd-user:session): session opened for user alice(uid=1000) by alice(uid=0)')).toEqual({
      ts: 0, dataset: 'pam', action: 'session-open', outcome: 'success', user: 'alice',
      extra: { pamModule: 'pam_unix', pamService: 'systemd-user', pamType: 'session', uid: 1000 },
    });
    // Older PAM writes no uid after the user.
    expect(run('login', 'pam_unix(login:session): session closed for user root')).toMatchObject({ action: 'session-close', user: 'root' });
  });

  it('reads authentication failures, with a host name kept apart from addresses', () => {
    expect(run('dovecot', 'pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=eve rhost=mail.example.org user=eve')).toMatchObject({
      dataset: 'pam', action: 'auth', outcome: 'failure', user: 'eve', extra: { srcHost: 'mail.example.org', tty: 'dovecot' },
    });
  });

  it('keeps unknown PAM messages as pam with their module, and rejects look-alikes', () => {
    expect(run('polkitd', 'pam_systemd(polkit-1:session): Cannot create session')).toEqual({
      ts: 0, dataset: 'pam', extra: { pamModule: 'pam_systemd', pamService: 'polkit-1', pamType: 'session' },
    });
    expect(run('app', 'pam_unix is not configured')).toEqual({ ts: 0, dataset: 'syslog' });
  });
});
