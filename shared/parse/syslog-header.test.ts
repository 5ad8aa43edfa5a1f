import { describe, expect, it } from 'vitest';
import { decodePri, parseBsdHeader, parseRfc5424 } from './syslog-header.ts';

describe('RFC 3164 headers', () => {
  it('reads host, program, pid and message', () => {
    expect(parseBsdHeader('Nov 28 08:22:48 web1 sshd[1234]: Accepted password')).toMatchObject({
      pri: null, iso: null, year: null, month0: 10, day: 28, hour: 8, minute: 22, second: 48, ms: 0,
      host: 'web1', program: 'sshd', pid: 1234, message: 'Accepted password',
    });
  });

  it('reads a PRI, a space-padded day, a program without pid, and no program', () => {
    expect(parseBsdHeader('<38>Nov  3 08:22:48 web1 sudo: x')).toMatchObject({ pri: 38, day: 3, program: 'sudo', pid: null, message: 'x' });
    expect(parseBsdHeader('Nov 28 08:22:48 web1 -- MARK --')).toMatchObject({ host: 'web1', program: null, message: '-- MARK --' });
    expect(parseBsdHeader('Nov 28 08:22:48 dnsmasq[9]: query')).toMatchObject({ host: null, program: 'dnsmasq', pid: 9 });
  });

  it('reads fractions, an explicit year and RFC 3339 times', () => {
    expect(parseBsdHeader('Nov 28 08:22:48.123456 h p: m')).toMatchObject({ ms: 123 });
    expect(parseBsdHeader('Nov 28 2025 08:22:48 h p: m')).toMatchObject({ year: 2025 });
    expect(parseBsdHeader('2026-11-28T08:22:48.123456+01:00 h p[1]: m')).toMatchObject({
      iso: '2026-11-28T08:22:48.123456+01:00', host: 'h', program: 'p', pid: 1, message: 'm',
    });
  });

  it('rejects what is not a syslog line', () => {
    for (const line of ['', 'hello', 'Foo 28 08:22:48 h p: m', 'Nov 32 08:22:48 h p: m', 'Nov 28 24:00:00 h p: m',
      '<192>Nov 28 08:22:48 h p: m', '<34>1 2003-10-11T22:14:15.003Z host app - - - m', '2026-11-28 08:22:48 h p: m']) {
      expect(parseBsdHeader(line), line).toBeNull();
    }
  });

  it('decodes PRI', () => {
    expect(decodePri(38)).toEqual({ facility: 'auth', severity: 'info' });
    expect(decodePri(191)).toEqual({ facility: 'local7', severity: 'debug' });
    expect(decodePri(192)).toBeNull();
  });
});

describe('RFC 5424 headers', () => {
  it('reads every header field and the structured data', () => {
    expect(parseRfc5424('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] msg')).toEqual({
      pri: 165, version: 1, timestamp: '2003-10-11T22:14:15.003Z', host: 'mymachine.example.com', appName: 'evntslog',
      procId: null, msgId: 'ID47', sd: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application' } }, sdInvalid: false, message: 'msg',
    });
  });

  it('unescapes \\" \\\\ \\] and keeps other backslashes', () => {
    expect(parseRfc5424('<14>1 - - - - - [a@1 x="q\\"b\\\\s\\]e\\n"] m')?.sd).toEqual({ 'a@1': { x: 'q"b\\s]e\\n' } });
  });

  it('reads several elements, repeated params, nil values and a BOM before the message', () => {
    const h = parseRfc5424('<14>1 - - - - - [a@1 p="1" p="2"][b@1] \uFEFFhello');
    expect(h).toMatchObject({ timestamp: null, host: null, appName: null, sd: { 'a@1': { p: ['1', '2'] }, 'b@1': {} }, message: 'hello' });
    expect(parseRfc5424('<14>1 - - - - - -')).toMatchObject({ sd: null, message: '' });
  });

  it('keeps malformed structured data as message text', () => {
    expect(parseRfc5424('<14>1 - h a - - [a@1 x="open] rest')).toMatchObject({ sd: null, sdInvalid: true, message: '[a@1 x="open] rest' });
  });

  it('rejects other lines', () => {
    for (const line of ['Nov 28 08:22:48 h p: m', '<14>1 2026-01-01T00:00:00Z', '<192>1 - - - - - -', '<14>0 - - - - - -']) {
      expect(parseRfc5424(line), line).toBeNull();
    }
  });
});
