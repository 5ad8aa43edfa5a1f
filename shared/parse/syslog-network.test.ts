import { describe, expect, it } from 'vitest';
import { EventFlag, UNPARSED } from '../event.ts';
import { NetworkSyslogParser } from './syslog-network.ts';

const RECEIVED = Date.UTC(2026, 10, 28, 10, 0, 0, 500);

function parse(text: string, tz = 'UTC') {
  return new NetworkSyslogParser(tz, RECEIVED).parse(text, RECEIVED);
}

describe('NetworkSyslogParser', () => {
  it('reads RFC 5424 with structured data, and sshd messages as file import does', () => {
    const e = parse('<38>1 2026-11-28T09:59:58.123+01:00 web01 sshd 4242 - [origin ip="10.0.0.5"] Failed password for root from 203.0.113.50 port 40022 ssh2');
    expect(e).toMatchObject({
      ts: Date.UTC(2026, 10, 28, 8, 59, 58, 123), dataset: 'sshd', host: 'web01', program: 'sshd', pid: 4242,
      srcIp: '203.0.113.50', srcPort: 40022, user: 'root', action: 'login', outcome: 'failure',
      extra: { facility: 'auth', severity: 'info', sd: { origin: { ip: '10.0.0.5' } } },
    });
    expect(e.flags ?? 0).toBe(0);
  });

  it('reads rsyslog\'s RFC 5424 forwarding, whose message keeps the space after the original tag', () => {
    const e = parse('<38>1 2026-11-28T09:59:58+00:00 web01 sshd 42 - -  Accepted password for bob from 198.51.100.7 port 50000 ssh2');
    expect(e).toMatchObject({ dataset: 'sshd', user: 'bob', message: 'Accepted password for bob from 198.51.100.7 port 50000 ssh2' });
  });

  it('dates an RFC 5424 message with a nil time when it was received, and says so', () => {
    const e = parse('<13>1 - vm app - - - hello');
    expect(e).toMatchObject({ ts: RECEIVED, dataset: 'syslog', program: 'app', message: 'hello', flags: EventFlag.timeReceived });
  });

  it('reads RFC 3164 with and without a hostname, the year from the receive time', () => {
    const withHost = parse('<86>Nov 28 09:58:00 web01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id');
    expect(withHost).toMatchObject({ ts: Date.UTC(2026, 10, 28, 9, 58), dataset: 'sudo', host: 'web01', user: 'alice' });
    expect(withHost.flags).toBe(EventFlag.zoneAssumed | EventFlag.yearInferred);
    const noHost = parse('<38>Nov 28 09:58:00 sshd[811]: Accepted password for bob from 198.51.100.7 port 50000 ssh2');
    expect(noHost).toMatchObject({ dataset: 'sshd', program: 'sshd', pid: 811, user: 'bob', outcome: 'success' });
    expect(noHost.host).toBeUndefined();
    // Received on Jan 1st, a Dec 31st line is last year's.
    const newYear = Date.UTC(2027, 0, 1, 0, 0, 5);
    expect(new NetworkSyslogParser('UTC', newYear).parse('<13>Dec 31 23:59:59 h app: x', newYear).ts).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it('applies the listener time zone to times without an offset', () => {
    const e = parse('<13>Nov 28 10:58:00 h app: x', 'Europe/Berlin');
    expect(e.ts).toBe(Date.UTC(2026, 10, 28, 9, 58));
  });

  it('reads Cisco IOS headers: sequence number, time-sync marker, milliseconds, zone name, mnemonic', () => {
    const e = parse('<189>123: *Nov 28 09:46:11.123 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 (10.0.0.1)');
    expect(e).toMatchObject({
      ts: Date.UTC(2026, 10, 28, 9, 46, 11, 123), dataset: 'syslog', message: '%SYS-5-CONFIG_I: Configured from console by vty0 (10.0.0.1)',
      extra: { facility: 'local7', severity: 'notice', sequence: 123, time_sync: 'not synchronised', time_zone_name: 'UTC', mnemonic: 'SYS-5-CONFIG_I' },
    });
    expect(e.flags).toBe(EventFlag.yearInferred);
    const host = parse('<187>45: core-sw1: .Nov 28 09:46:12: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down');
    expect(host).toMatchObject({ host: 'core-sw1', extra: { sequence: 45, time_sync: 'synchronisation lost', mnemonic: 'LINK-3-UPDOWN' } });
    expect(host.flags).toBe(EventFlag.zoneAssumed | EventFlag.yearInferred);
  });

  it('reads the Cisco ASA header (year, colon after the time)', () => {
    const e = parse('<166>Nov 28 2026 09:20:30: %ASA-6-302013: Built outbound TCP connection 1 for outside:198.51.100.1/443');
    expect(e).toMatchObject({ ts: Date.UTC(2026, 10, 28, 9, 20, 30), extra: { mnemonic: 'ASA-6-302013', facility: 'local4' } });
  });

  it('keeps a PRI without a header as a message dated on arrival, its tag read', () => {
    expect(parse('<13>hello there')).toMatchObject({ ts: RECEIVED, dataset: 'syslog', message: 'hello there', flags: EventFlag.timeReceived, extra: { facility: 'user' } });
    expect(parse('<38>sshd[9]: Failed password for invalid user x from 192.0.2.1 port 1 ssh2')).toMatchObject({
      dataset: 'sshd', program: 'sshd', pid: 9, srcIp: '192.0.2.1', action: 'login', outcome: 'failure',
    });
  });

  it('keeps text with no syslog header at all as unparsed, dated on arrival', () => {
    for (const text of ['just some words', '<999>bad pri', '', '\u0000\u0001binary\uFFFD']) {
      expect(parse(text)).toEqual({ ts: RECEIVED, dataset: UNPARSED, flags: EventFlag.timeReceived });
    }
  });

  it('reads a BSD line without PRI (a relay that dropped it)', () => {
    expect(parse('Nov 28 09:58:00 h cron[1]: x')).toMatchObject({ dataset: 'syslog', host: 'h', program: 'cron' });
  });

  it('says which years it inferred', () => {
    const p = new NetworkSyslogParser('UTC', RECEIVED);
    p.parse('<13>Nov 28 09:58:00 h app: x', RECEIVED);
    expect(p.assumptions().join('\n')).toMatch(/year of RFC 3164 times inferred .*: 2026/);
  });
});
