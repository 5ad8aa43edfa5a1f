import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../event.ts';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format as rfc5424 } from './syslog-5424.ts';
import { format as syslog } from './syslog.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.parse('2026-01-05T00:00:00Z') };

const BSD = [
  'Dec 31 23:59:01 web1 sshd[10]: Failed password for root from 203.0.113.8 port 4000 ssh2',
  'Jan  1 00:00:02 web1 sshd[10]: Failed password for root from 203.0.113.8 port 4000 ssh2',
  'Jan  1 00:10:00 web1 CRON[11]: (root) CMD (/usr/local/bin/backup.sh)',
];
const RFC5424 = [
  '<38>1 2026-01-01T00:00:02.000000+00:00 web1 sshd 10 - - Failed password for root from 203.0.113.8 port 4000 ssh2',
  '<78>1 2026-01-01T00:10:00.000000+00:00 web1 CRON 11 - - (root) CMD (/usr/local/bin/backup.sh)',
];

describe('syslog format', () => {
  it('infers the year across New Year and says so', () => {
    const parser = syslog.create(ctx);
    const events = BSD.map((line) => parser.parse(line));
    expect(events.map((e) => e && new Date(e.ts ?? 0).toISOString())).toEqual([
      '2025-12-31T23:59:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:10:00.000Z',
    ]);
    expect(events[0]?.flags).toBe(EventFlag.yearInferred | EventFlag.zoneAssumed);
    expect(parser.assumptions?.()).toEqual(['year inferred from file time 2026-01-05: lines dated 2025 and 2026']);
  });

  it('applies the file zone to BSD times and honours RFC 3339 offsets', () => {
    const parser = syslog.create({ ...ctx, timezone: 'Europe/Berlin' });
    expect(parser.parse('Jan  2 10:00:00 h p: m')?.ts).toBe(Date.UTC(2026, 0, 2, 9));
    const withOffset = parser.parse('2026-01-02T10:00:00.5+05:30 h p: m');
    expect(withOffset?.ts).toBe(Date.UTC(2026, 0, 2, 4, 30, 0, 500));
    expect(withOffset?.flags).toBeUndefined();
    expect(parser.parse('2026-01-02T10:00:00 h p: m')?.flags).toBe(EventFlag.zoneAssumed);
    expect(parser.assumptions?.()).toEqual(['year inferred from file time 2026-01-05: lines dated 2026']);
  });

  it('puts facility and severity in extra next to program fields', () => {
    expect(syslog.create(ctx).parse('<86>Jan  2 10:00:00 h sshd[1]: Accepted password for a from 10.0.0.1 port 1 ssh2')).toMatchObject({
      dataset: 'sshd', host: 'h', program: 'sshd', pid: 1, user: 'a', extra: { facility: 'authpriv', severity: 'info', method: 'password' },
    });
  });
});

describe('syslog.rfc5424 format', () => {
  it('reads APP-NAME, PROCID, MSGID and runs the program parsers', () => {
    expect(rfc5424.create(ctx).parse('<38>1 2026-01-01T00:00:02Z web1 sshd-session abc ID1 - Invalid user x from 192.0.2.1 port 1')).toEqual({
      ts: Date.UTC(2026, 0, 1, 0, 0, 2), dataset: 'sshd', host: 'web1', program: 'sshd-session', message: 'Invalid user x from 192.0.2.1 port 1',
      action: 'invalid-user', outcome: 'failure', user: 'x', srcIp: '192.0.2.1', srcPort: 1,
      extra: { procid: 'abc', msgid: 'ID1', facility: 'auth', severity: 'info', invalidUser: true },
    });
  });
});

describe('detection between the syslog formats', () => {
  it('tells BSD files from RFC 5424 files', () => {
    expect(detectFormat(FORMATS, BSD, ctx)?.format.id).toBe('syslog');
    expect(detectFormat(FORMATS, RFC5424, ctx)?.format.id).toBe('syslog.rfc5424');
    expect(syslog.detect(RFC5424, ctx)).toBe(0);
    expect(rfc5424.detect(BSD, ctx)).toBe(0);
  });

  it('scores a file by the share of lines it reads', () => {
    expect(syslog.detect([...BSD, 'not syslog'], ctx)).toBe(0.75);
  });
});
