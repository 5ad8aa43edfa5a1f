import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

describe('systemd-logind messages', () => {
  const state = createProgramState();
  const run = (message: string, host = 'web1'): ParsedEvent => {
    const event: ParsedEvent = { ts: 0, dataset: 'syslog', host };
    applyProgram(event, 'systemd-logind', message, state);
    return event;
  };

  it('names the user of a session in its later lines, per host', () => {
    expect(run('New session 12 of user alice.')).toEqual({
      ts: 0, dataset: 'systemd-logind', host: 'web1', action: 'session-open', outcome: 'success', user: 'alice', extra: { session: '12' },
    });
    expect(run('Session 12 logged out. Waiting for processes to exit.')).toMatchObject({ action: 'logout', user: 'alice' });
    expect(run('Removed session 12.', 'db1').user).toBeUndefined();
    expect(run('Removed session 12.')).toMatchObject({ action: 'session-close', user: 'alice', extra: { session: '12' } });
    expect(run('Removed session 12.').user).toBeUndefined();
  });

  it('leaves other logind lines alone', () => {
    expect(run('Watching system buttons on /dev/input/event0 (Power Button)').dataset).toBe('syslog');
  });
});
