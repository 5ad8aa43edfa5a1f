import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function run(program: string | null, message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, program, message, createProgramState());
  return event;
}

describe('program dispatch', () => {
  it('maps OpenSSH 9.8+ sshd-session and logged paths to their parser', () => {
    expect(run('sshd-session', 'Invalid user x from 192.0.2.1 port 1').dataset).toBe('sshd');
    expect(run('/usr/sbin/sshd', 'Invalid user x from 192.0.2.1 port 1').dataset).toBe('sshd');
  });

  it('leaves lines of unknown programs and lines without a program as syslog', () => {
    expect(run('kernel', 'Invalid user x from 192.0.2.1 port 1')).toEqual({ ts: 0, dataset: 'syslog' });
    expect(run(null, '-- MARK --')).toEqual({ ts: 0, dataset: 'syslog' });
  });

  it('unfolds rsyslog repeats and keeps the count even when the line is not recognised', () => {
    expect(run('myapp', 'message repeated 2 times: [ cache miss]')).toEqual({ ts: 0, dataset: 'syslog', extra: { repeated: 2 } });
  });
});
