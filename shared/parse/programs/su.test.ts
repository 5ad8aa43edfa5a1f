import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function run(program: string, message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, program, message, createProgramState());
  return event;
}

describe('su messages', () => {
  it('reads util-linux and shadow su lines', () => {
    expect(run('su', '(to root) alice on pts/0')).toEqual({
      ts: 0, dataset: 'su', action: 'su', outcome: 'success', user: 'alice', extra: { targetUser: 'root', tty: 'pts/0' },
    });
    expect(run('su', 'FAILED SU (to root) bob on pts/1')).toMatchObject({ outcome: 'failure', user: 'bob', extra: { targetUser: 'root' } });
    expect(run('su', 'FAILED su for root by bob')).toMatchObject({ outcome: 'failure', user: 'bob', extra: { targetUser: 'root' } });
    expect(run('su', '+ /dev/pts/3 root:postgres')).toMatchObject({ outcome: 'success', user: 'root', extra: { targetUser: 'postgres' } });
  });

  it('reads authentication failures with the requesting user', () => {
    expect(run('su', 'pam_unix(su:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=root')).toMatchObject({
      dataset: 'su', action: 'auth', outcome: 'failure', user: 'bob', extra: { targetUser: 'root', tty: '/dev/pts/1' },
    });
  });
});
