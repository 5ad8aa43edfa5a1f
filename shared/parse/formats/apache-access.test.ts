import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format } from './apache-access.ts';
import { format as apacheError } from './apache-error.ts';
import { format as nginxError } from './nginx-error.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.UTC(2026, 5, 30) };
const parse = (line: string) => format.create(ctx).parse(line);

const COMBINED = '203.0.113.77 - maria [14/Mar/2026:08:05:41 -0700] "GET /orders?page=2 HTTP/1.1" 404 9031 '
  + '"https://shop.example.org/" "Mozilla/5.0 (X11; Linux x86_64)"';

describe('apache.access parser', () => {
  it('reads every field of a combined line, honouring the offset', () => {
    expect(parse(COMBINED)).toEqual({
      ts: Date.UTC(2026, 2, 14, 15, 5, 41),
      dataset: 'apache.access',
      srcIp: '203.0.113.77',
      user: 'maria',
      httpMethod: 'GET',
      url: '/orders?page=2',
      httpStatus: 404,
      httpBytes: 9031,
      referrer: 'https://shop.example.org/',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      httpVersion: 'HTTP/1.1',
      outcome: 'failure',
    });
    // toEqual above also proves there is no `message` copy of the request line and no `extra`.
  });

  it('reads common lines, ident, `-` bytes and host names', () => {
    const e = parse('crawler.example.com frank - [02/Feb/2026:10:04:00 +0530] "POST /cgi-bin/form.cgi HTTP/1.0" 302 -');
    expect(e).toMatchObject({ ts: Date.UTC(2026, 1, 2, 4, 34), httpStatus: 302, httpBytes: 0, outcome: 'success' });
    expect(e?.srcIp).toBeUndefined();
    expect(e?.user).toBeUndefined();
    expect(e?.referrer).toBeUndefined();
    expect(e?.extra).toEqual({ clientHost: 'crawler.example.com', ident: 'frank' });
    expect(e?.httpVersion).toBe('HTTP/1.0');
  });

  it('reads vhost_combined and IPv6 clients', () => {
    const e = parse('shop.example.org:443 2001:db8::42 - - [20/Apr/2026:17:45:02 +0200] "GET / HTTP/2.0" 200 12 "-" "-"');
    expect(e).toMatchObject({ srcIp: '2001:db8::42', ts: Date.UTC(2026, 3, 20, 15, 45, 2) });
    expect(e?.userAgent).toBeUndefined();
    expect(e?.extra).toEqual({ vhost: 'shop.example.org:443' });
    expect(e?.httpVersion).toBe('HTTP/2.0');
  });

  it('unwraps lines quoted as a whole, with backslash or CSV escaping', () => {
    const backslash = `"${COMBINED.replaceAll('"', '\\"')}"`;
    const csv = `"${COMBINED.replaceAll('"', '""')}"`;
    expect(parse(backslash)).toEqual(parse(COMBINED));
    expect(parse(csv)).toEqual(parse(COMBINED));
    expect(parse('"not an access line"')).toBeNull();
  });

  it('undoes Apache quote escapes but leaves \\xhh escapes as text', () => {
    const e = parse('192.0.2.1 - - [14/Mar/2026:08:20:00 +0000] "GET /q=\\"x\\" HTTP/1.1" 200 1 "-" "A \\"quoted\\" \\x1b[31m agent\\\\"');
    expect(e?.url).toBe('/q="x"');
    expect(e?.userAgent).toBe('A "quoted" \\x1b[31m agent\\');
  });

  it('keeps garbage request lines as the message only', () => {
    const tls = parse('192.0.2.1 - - [14/Mar/2026:09:00:00 +0000] "\\x16\\x03\\x01" 400 226 "-" "-"');
    expect(tls).toMatchObject({ message: '\\x16\\x03\\x01', httpStatus: 400, outcome: 'failure' });
    expect(tls?.httpMethod).toBeUndefined();
    const empty = parse('192.0.2.1 - - [14/Mar/2026:09:00:01 +0000] "-" 408 - "-" "-"');
    expect(empty?.message).toBeUndefined();
    expect(empty?.httpStatus).toBe(408);
  });

  it('finds the real end of fields holding unescaped quotes', () => {
    const e = parse('192.0.2.1 - - [14/Mar/2026:09:00:09 +0000] "GET /q?x="a" HTTP/1.1" 200 12 "-" "Mozilla "raw" here" 0.004');
    expect(e).toMatchObject({ url: '/q?x="a"', userAgent: 'Mozilla "raw" here', httpVersion: 'HTTP/1.1', extra: { trailing: '0.004' } });
  });

  it('keeps fields after the user agent in extra', () => {
    const e = parse(`${COMBINED} "198.51.100.7, 10.0.0.2" rt=0.120`);
    expect(e?.userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64)');
    expect(e?.extra?.['trailing']).toBe('"198.51.100.7, 10.0.0.2" rt=0.120');
  });

  it('rejects impossible dates and malformed lines', () => {
    const bad = [
      COMBINED.replace('14/Mar', '31/Feb'),
      COMBINED.replace('14/Mar', '14/Foo'),
      COMBINED.replace('08:05:41', '24:05:41'),
      COMBINED.replace(' -0700', ''),
      COMBINED.replace('404', '4O4'),
      COMBINED.replace(' 9031', ''),
      '[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] File does not exist: /x',
      '2024/01/15 10:23:45 [error] 1234#5678: *99 open() "/x" failed, client: 203.0.113.5, server: x',
      '',
      '-',
    ];
    for (const line of bad) expect(parse(line), line).toBeNull();
  });

  it('does not reuse a cached day across date changes', () => {
    const parser = format.create(ctx);
    const at = (date: string) => parser.parse(COMBINED.replace('14/Mar/2026', date))?.ts;
    expect(at('31/Jan/2026')).toBe(Date.UTC(2026, 0, 31, 15, 5, 41));
    expect(at('01/Feb/2026')).toBe(Date.UTC(2026, 1, 1, 15, 5, 41));
    expect(at('29/Feb/2028')).toBe(Date.UTC(2028, 1, 29, 15, 5, 41));
    expect(at('29/Feb/2026')).toBeUndefined();
    expect(at('31/Jan/2026')).toBe(Date.UTC(2026, 0, 31, 15, 5, 41));
  });
});

describe('apache.access detection', () => {
  const access = [COMBINED, '192.0.2.1 - - [02/Feb/2026:10:00:00 +0100] "GET / HTTP/1.0" 200 2326'];
  const errors = [
    '[Thu Jun 27 06:59:03.123456 2019] [core:error] [pid 1234:tid 5678] [client 10.0.0.1:51234] AH00126: Invalid URI',
    '2024/01/15 10:23:45 [error] 1234#5678: *99 open() "/x" failed, client: 203.0.113.5, server: example.com',
  ];

  it('claims access logs and nothing else', () => {
    expect(format.detect(access, ctx)).toBe(1);
    expect(format.detect(errors, ctx)).toBe(0);
    expect(apacheError.detect(access, ctx)).toBe(0);
    expect(nginxError.detect(access, ctx)).toBe(0);
    expect(detectFormat(FORMATS, access, ctx)?.format.id).toBe('apache.access');
  });
});
