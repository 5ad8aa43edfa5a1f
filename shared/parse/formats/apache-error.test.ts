import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../event.ts';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format } from './apache-error.ts';
import { format as nginxError } from './nginx-error.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.UTC(2026, 5, 30) };
const parse = (line: string, c: ParseContext = ctx) => format.create(c).parse(line);

const V24 = '[Thu Jun 27 06:59:03.123456 2019] [core:error] [pid 1234:tid 5678] [client 10.0.0.1:51234] '
  + 'AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1';
const V22 = '[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/test';

describe('apache.error parser', () => {
  it('reads the 2.4 layout', () => {
    expect(parse(V24)).toEqual({
      ts: Date.UTC(2019, 5, 27, 6, 59, 3, 123),
      dataset: 'apache.error',
      flags: EventFlag.zoneAssumed,
      pid: 1234,
      srcIp: '10.0.0.1',
      srcPort: 51234,
      message: 'AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1',
      extra: { level: 'error', module: 'core', tid: 5678, code: 'AH00126' },
    });
  });

  it('reads the 2.2 layout, whose client has no port', () => {
    expect(parse(V22)).toEqual({
      ts: Date.UTC(2000, 9, 11, 14, 32, 52),
      dataset: 'apache.error',
      flags: EventFlag.zoneAssumed,
      srcIp: '127.0.0.1',
      message: 'client denied by server configuration: /export/home/test',
      extra: { level: 'error' },
    });
    expect(parse('[Wed Oct 11 14:32:52 2000] [error] [client 2001:db8::1] x')?.srcIp).toBe('2001:db8::1');
    expect(parse('[Wed Oct 11 14:32:52 2000] [error] [client 2001:db8::1] x')?.srcPort).toBeUndefined();
  });

  it('splits IPv6 client and port in 2.4 lines', () => {
    const e = parse('[Tue Apr 07 08:46:31.771900 2026] [php:error] [pid 2001] [client 2001:db8::7:51514] PHP Fatal error: x');
    expect(e).toMatchObject({ srcIp: '2001:db8::7', srcPort: 51514, pid: 2001, extra: { level: 'error', module: 'php' } });
  });

  it('applies the source time zone', () => {
    const e = parse(V22, { ...ctx, timezone: 'America/New_York' });
    expect(e?.ts).toBe(Date.UTC(2000, 9, 11, 18, 32, 52));
    expect(format.create(ctx).assumptions?.()).toEqual([]);
  });

  it('separates the OS error, source file and referer', () => {
    const e = parse('[Tue Apr 07 08:44:10.000120 2026] [proxy_http:error] [pid 1933:tid 99] mod_proxy_http.c(1234): '
      + '(70007)The timeout specified has expired: [client 203.0.113.18:41050] AH01102: error reading status line, referer: https://x.example/');
    expect(e).toMatchObject({
      srcIp: '203.0.113.18',
      referrer: 'https://x.example/',
      message: 'AH01102: error reading status line',
      extra: { osError: '(70007)The timeout specified has expired', sourceFile: 'mod_proxy_http.c(1234)', code: 'AH01102' },
    });
  });

  it('takes the client only from the prefix, not from the message', () => {
    const e = parse('[Wed Oct 11 14:32:52 2000] [error] [client 192.0.2.1] File does not exist: /x/[client 6.6.6.6]');
    expect(e?.srcIp).toBe('192.0.2.1');
  });

  it('keeps startup lines that have only a code', () => {
    expect(parse('AH00558: apache2: Could not reliably determine the server\'s fully qualified domain name')).toMatchObject({
      ts: null, extra: { code: 'AH00558' },
    });
  });

  it('rejects other formats and broken prefixes', () => {
    const bad = [
      '192.0.2.1 - - [02/Feb/2026:10:00:00 +0100] "GET / HTTP/1.0" 200 2326',
      '2024/01/15 10:23:45 [error] 1234#5678: *99 open() "/x" failed, client: 203.0.113.5',
      '[Wed Oct 11 14:32:52 2000] [bogus] [client 127.0.0.1] unknown level',
      '[Wed Foo 11 14:32:52 2000] [error] bad month',
      '[Wed Feb 30 14:32:52 2000] [error] no such day',
      '[Wed Oct 11 25:32:52 2000] [error] bad hour',
      'PHP Stack trace:',
    ];
    for (const line of bad) expect(parse(line), line).toBeNull();
  });
});

describe('apache.error detection', () => {
  it('claims Apache error logs, not nginx ones', () => {
    const sample = [V24, V22];
    expect(format.detect(sample, ctx)).toBe(1);
    expect(nginxError.detect(sample, ctx)).toBe(0);
    expect(detectFormat(FORMATS, sample, ctx)?.format.id).toBe('apache.error');
  });
});
