import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../event.ts';
import { applyProgram, createProgramState } from './index.ts';

function sshd(message: string): ParsedEvent {
  const event: ParsedEvent = { ts: 0, dataset: 'syslog' };
  applyProgram(event, 'sshd', message, createProgramState());
  return event;
}

describe('sshd messages', () => {
  it('reads accepted logins with the key fingerprint', () => {
    expect(sshd('Accepted publickey for alice from 10.0.0.5 port 51234 ssh2: RSA SHA256:AbCd+eF/0')).toEqual({
      ts: 0, dataset: 'sshd', action: 'login', outcome: 'success', user: 'alice', srcIp: '10.0.0.5', srcPort: 51234,
      extra: { method: 'publickey', keyType: 'RSA', key: 'SHA256:AbCd+eF/0' },
    });
  });

  it('makes a root login recognisable by user and action', () => {
    const e = sshd('Accepted password for root from 203.0.113.7 port 2200 ssh2');
    expect([e.user, e.action, e.outcome]).toEqual(['root', 'login', 'success']);
  });

  it('reads failed passwords, for invalid users too', () => {
    expect(sshd('Failed password for root from 198.51.100.2 port 4000 ssh2')).toMatchObject({
      action: 'login', outcome: 'failure', user: 'root', srcIp: '198.51.100.2', srcPort: 4000, extra: { method: 'password' },
    });
    expect(sshd('Failed password for invalid user guest from 198.51.100.2 port 4001 ssh2')).toMatchObject({
      action: 'login', outcome: 'failure', user: 'guest', extra: { invalidUser: true },
    });
  });

  it('takes the real address when the username imitates the tail of the line', () => {
    const e = sshd('Failed password for invalid user x from 10.9.9.9 port 1 ssh2 from 203.0.113.66 port 4446 ssh2');
    expect([e.user, e.srcIp, e.srcPort]).toEqual(['x from 10.9.9.9 port 1 ssh2', '203.0.113.66', 4446]);
  });

  it('reads invalid users, disconnects and closed connections', () => {
    expect(sshd('Invalid user oracle from 203.0.113.45 port 50122')).toMatchObject({
      action: 'invalid-user', outcome: 'failure', user: 'oracle', srcIp: '203.0.113.45', srcPort: 50122,
    });
    expect(sshd('Disconnected from invalid user oracle 203.0.113.45 port 50122 [preauth]')).toMatchObject({
      action: 'disconnect', user: 'oracle', extra: { invalidUser: true, preauth: true },
    });
    expect(sshd('Disconnected from authenticating user root 203.0.113.45 port 50122 [preauth]')).toMatchObject({
      action: 'disconnect', user: 'root', extra: { authenticating: true, preauth: true },
    });
    expect(sshd('Received disconnect from 203.0.113.45 port 50122:11: Bye Bye [preauth]')).toMatchObject({
      action: 'disconnect', srcIp: '203.0.113.45', extra: { reasonCode: 11, reason: 'Bye Bye', preauth: true },
    });
    expect(sshd('Connection closed by authenticating user root 203.0.113.45 port 50122 [preauth]')).toMatchObject({
      action: 'connection-closed', user: 'root', srcPort: 50122,
    });
    expect(sshd('Connection closed by 203.0.113.45 port 50122')).toMatchObject({ action: 'connection-closed', srcIp: '203.0.113.45' });
  });

  it('reads the connection, identification and attempts-exceeded lines', () => {
    expect(sshd('Connection from 203.0.113.45 port 50122 on 10.0.0.4 port 22 rdomain ""')).toMatchObject({
      action: 'connect', srcIp: '203.0.113.45', srcPort: 50122, dstIp: '10.0.0.4', dstPort: 22,
    });
    expect(sshd('Did not receive identification string from 192.0.2.77 port 61000')).toMatchObject({
      action: 'no-identification', srcIp: '192.0.2.77', srcPort: 61000,
    });
    expect(sshd('error: maximum authentication attempts exceeded for invalid user admin from 192.0.2.77 port 61000 ssh2 [preauth]')).toMatchObject({
      action: 'auth-attempts-exceeded', outcome: 'failure', user: 'admin', extra: { invalidUser: true, preauth: true },
    });
  });

  it('reads PAM lines and repeated messages', () => {
    expect(sshd('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.45  user=root')).toMatchObject({
      dataset: 'sshd', action: 'auth', outcome: 'failure', user: 'root', srcIp: '203.0.113.45',
    });
    expect(sshd('pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)')).toMatchObject({
      dataset: 'sshd', action: 'session-open', user: 'alice', extra: { uid: 1000 },
    });
    expect(sshd('message repeated 3 times: [ Failed password for root from 203.0.113.45 port 22 ssh2]')).toMatchObject({
      action: 'login', outcome: 'failure', user: 'root', extra: { repeated: 3 },
    });
  });

  it('puts a host name where an address would be into extra', () => {
    expect(sshd('Accepted password for bob from jump.example.net port 40200 ssh2')).toMatchObject({
      srcPort: 40200, extra: { srcHost: 'jump.example.net' },
    });
    expect(sshd('Accepted password for bob from 2001:db8::1 port 40200 ssh2').srcIp).toBe('2001:db8::1');
  });

  it('leaves unknown messages to the syslog dataset, untouched', () => {
    expect(sshd('Server listening on 0.0.0.0 port 22.')).toEqual({ ts: 0, dataset: 'syslog' });
    expect(sshd('Accepted password for bob from nowhere')).toEqual({ ts: 0, dataset: 'syslog' });
  });
});
