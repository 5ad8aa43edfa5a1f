import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function run(program: string, message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, program, message, createProgramState());
  return event;
}

describe('cron messages', () => {
  it('reads the commands cron runs, whatever the daemon calls itself', () => {
    for (const program of ['CRON', 'cron', 'crond', '/USR/SBIN/CRON']) {
      expect(run(program, '(root) CMD (cd / && run-parts --report /etc/cron.hourly)')).toEqual({
        ts: 0, dataset: 'cron', action: 'cron-command', user: 'root', extra: { command: 'cd / && run-parts --report /etc/cron.hourly' },
      });
    }
  });

  it('keeps parentheses inside the command', () => {
    expect(run('CRON', '(www) CMD (test -x /x && ( /x >/dev/null ))').extra?.command).toBe('test -x /x && ( /x >/dev/null )');
  });

  it('reads crontab edits and the system crontab', () => {
    expect(run('crontab', '(alice) REPLACE (alice)')).toMatchObject({ dataset: 'cron', action: 'cron-replace', user: 'alice' });
    expect(run('cron', '(*system*) RELOAD (/etc/crontab)')).toEqual({
      ts: 0, dataset: 'cron', action: 'cron-reload', extra: { detail: '/etc/crontab', crontab: '*system*' },
    });
  });

  it('reads its PAM session lines and leaves notes alone', () => {
    expect(run('CRON', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)')).toMatchObject({
      dataset: 'cron', action: 'session-open', user: 'root',
    });
    expect(run('CRON', '(CRON) info (No MTA installed, discarding output)').dataset).toBe('syslog');
  });
});
