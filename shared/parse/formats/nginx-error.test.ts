import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../event.ts';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format as apacheError } from './apache-error.ts';
import { format } from './nginx-error.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.UTC(2026, 5, 30) };
const parse = (line: string, c: ParseContext = ctx) => format.create(c).parse(line);

const OPEN_FAILED = '2024/01/15 10:23:45 [error] 1234#5678: *99 open() "/var/www/x" failed (2: No such file or directory), '
  + 'client: 203.0.113.5, server: example.com, request: "GET /x HTTP/1.1", host: "example.com"';

describe('nginx.error parser', () => {
  it('reads the prefix and the request context', () => {
    expect(parse(OPEN_FAILED)).toEqual({
      ts: Date.UTC(2024, 0, 15, 10, 23, 45),
      dataset: 'nginx.error',
      flags: EventFlag.zoneAssumed,
      pid: 1234,
      srcIp: '203.0.113.5',
      httpMethod: 'GET',
      url: '/x',
      message: 'open() "/var/www/x" failed (2: No such file or directory)',
      httpVersion: 'HTTP/1.1',
      extra: { level: 'error', tid: 5678, connection: 99, server: 'example.com', host: 'example.com' },
    });
  });

  it('reads lines without connection or context', () => {
    expect(parse('2026/03/10 06:00:01 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)')).toEqual({
      ts: Date.UTC(2026, 2, 10, 6, 0, 1),
      dataset: 'nginx.error',
      flags: EventFlag.zoneAssumed,
      pid: 1,
      message: 'bind() to 0.0.0.0:80 failed (98: Address already in use)',
      extra: { level: 'emerg', tid: 1 },
    });
  });

  it('applies the source time zone', () => {
    expect(parse(OPEN_FAILED, { ...ctx, timezone: 'Asia/Kolkata' })?.ts).toBe(Date.UTC(2024, 0, 15, 4, 53, 45));
  });

  it('reads upstream and referrer, and keeps garbage requests whole', () => {
    const e = parse('2026/02/03 14:00:31 [error] 2201#2201: *5812 upstream timed out (110: Connection timed out), '
      + 'client: 10.1.2.3, server: api, request: "\\x16\\x03\\x01", upstream: "http://10.0.0.21:9000/v1", host: "api", referrer: "https://app/"');
    expect(e).toMatchObject({ srcIp: '10.1.2.3', referrer: 'https://app/' });
    expect(e?.httpMethod).toBeUndefined();
    expect(e?.extra).toMatchObject({ request: '\\x16\\x03\\x01', upstream: 'http://10.0.0.21:9000/v1', host: 'api' });
  });

  it('ignores a client context forged inside a quoted path', () => {
    const e = parse('2026/06/22 03:14:16 [error] 811#811: *4 open() "/var/www/x, client: 6.6.6.6, server: fake" failed, '
      + 'client: 198.51.100.66, server: _, request: "GET /x HTTP/1.1", host: "h"');
    expect(e?.srcIp).toBe('198.51.100.66');
    expect(e?.message).toBe('open() "/var/www/x, client: 6.6.6.6, server: fake" failed');
  });

  it('still finds the context after unbalanced quotes in FastCGI output', () => {
    const e = parse('2026/02/03 14:01:02 [error] 2201#2201: *5820 FastCGI sent in stderr: "PHP message: a " b" while reading, '
      + 'client: 10.1.2.4, server: app, request: "GET /item.php HTTP/1.1", host: "app"');
    expect(e).toMatchObject({ srcIp: '10.1.2.4', url: '/item.php', message: 'FastCGI sent in stderr: "PHP message: a " b" while reading' });
  });

  it('prefers the request end that closes an HTTP version when the request holds quotes', () => {
    const e = parse('2026/06/22 03:14:19 [error] 811#811: *7 x, client: 192.0.2.1, server: _, '
      + 'request: "GET /a", host: "b" HTTP/1.1", host: "real"');
    expect(e).toMatchObject({ url: '/a", host: "b"', extra: { host: 'real' } });
  });

  it('accepts a last value cut off by the 2048-byte line limit', () => {
    const e = parse(`${OPEN_FAILED}, referrer: "https://example.com/${'a'.repeat(40)}`);
    expect(e?.referrer).toBe(`https://example.com/${'a'.repeat(40)}`);
    expect(e?.srcIp).toBe('203.0.113.5');
  });

  it('rejects other formats and broken prefixes', () => {
    const bad = [
      '192.0.2.1 - - [02/Feb/2026:10:00:00 +0100] "GET / HTTP/1.0" 200 2326',
      '[Thu Jun 27 06:59:03.123456 2019] [core:error] [pid 1234:tid 5678] AH00126: x',
      '2024/13/15 10:23:45 [error] 1234#5678: bad month',
      '2024/02/30 10:23:45 [error] 1234#5678: no such day',
      '2024/01/15 10:23:45 [fatal] 1234#5678: unknown level',
      '2024/01/15 10:23:45 [error] 1234: no thread id',
      '2024-01-15 10:23:45 [error] 1234#5678: dashes',
    ];
    for (const line of bad) expect(parse(line), line).toBeNull();
  });
});

describe('nginx.error detection', () => {
  it('claims nginx error logs, not Apache ones', () => {
    const sample = [OPEN_FAILED, '2026/03/10 06:00:00 [notice] 1#1: start worker processes'];
    expect(format.detect(sample, ctx)).toBe(1);
    expect(apacheError.detect(sample, ctx)).toBe(0);
    expect(detectFormat(FORMATS, sample, ctx)?.format.id).toBe('nginx.error');
  });
});
