import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format } from './zeek-tsv.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.UTC(2026, 5, 30) };
const row = (...cells: string[]): string => cells.join('\t');

const HEADER = [
  '#separator \\x09',
  row('#set_separator', ','),
  row('#empty_field', '(empty)'),
  row('#unset_field', '-'),
  row('#path', 'http'),
  row('#open', '2026-06-16-09-00-00'),
  row('#fields', 'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'method', 'host', 'uri', 'status_code', 'tags', 'resp_mime_types', 'proxied'),
  row('#types', 'time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'count', 'set[enum]', 'vector[string]', 'bool'),
];

describe('Zeek TSV parser', () => {
  it('turns every header line into a zeek.meta event without a time', () => {
    const parser = format.create(ctx);
    const events = HEADER.map((l) => parser.parse(l));
    expect(events.every((e) => e?.dataset === 'zeek.meta' && e.ts === null)).toBe(true);
    expect(events[0]?.extra).toEqual({ directive: 'separator', value: '\t' });
    expect(events[6]?.extra?.['value']).toHaveLength(13);
    expect(parser.parse('#close\t2026-06-16-10-00-00')?.extra).toEqual({ directive: 'close', value: '2026-06-16-10-00-00' });
  });

  it('types data by #types, omits unset and empty, and unescapes \\x sequences', () => {
    const parser = format.create(ctx);
    HEADER.forEach((l) => parser.parse(l));
    const e = parser.parse(row('1781600400.250000', 'C1', '10.0.0.1', '5000', '10.0.0.2', '80', 'GET', 'example.com', '/a\\x09b\\xe2\\x9c\\x93\\\\x41', '200', '(empty)', 'text/html,text/css', 'T'));
    expect(e).toEqual({
      ts: 1781600400250, dataset: 'zeek.http', srcIp: '10.0.0.1', srcPort: 5000, dstIp: '10.0.0.2', dstPort: 80,
      httpMethod: 'GET', httpStatus: 200, url: 'example.com/a\tb✓\\x41', message: 'GET example.com/a\tb✓\\x41 200',
      extra: { uid: 'C1', host: 'example.com', uri: '/a\tb✓\\x41', resp_mime_types: ['text/html', 'text/css'], proxied: true },
    });
    const sparse = parser.parse(row('1781600401.0', 'C2', '10.0.0.1', '5001', '10.0.0.2', '80', '-', '-', '-', '-', '-', '-', '-'));
    expect(sparse).toEqual({ ts: 1781600401000, dataset: 'zeek.http', srcIp: '10.0.0.1', srcPort: 5001, dstIp: '10.0.0.2', dstPort: 80, extra: { uid: 'C2' } });
  });

  it('keeps a masked time in extra with ts null, and extra columns by position', () => {
    const parser = format.create(ctx);
    HEADER.forEach((l) => parser.parse(l));
    const e = parser.parse(row('XXXXXXXXXX.XXXXXX', 'C3', '10.0.0.1', '1', '10.0.0.2', '2', '-', '-', '-', '-', '-', '-', '-', 'surplus'));
    expect(e?.ts).toBeNull();
    expect(e?.extra).toMatchObject({ ts: 'XXXXXXXXXX.XXXXXX', column_14: 'surplus' });
  });

  it('returns null for data before #fields, unknown # lines and blank lines', () => {
    const parser = format.create(ctx);
    expect(parser.parse(row('1781600400.0', 'C1'))).toBeNull();
    expect(parser.parse('### BTest baseline data')).toBeNull();
    expect(parser.parse('#fieldsx\ta')).toBeNull();
    expect(parser.parse('')).toBeNull();
  });

  it('wins detection over CSV, and never claims a plain TSV', () => {
    const data = row('1781600400.250000', 'C1', '10.0.0.1', '5000', '10.0.0.2', '80', 'GET', 'h', '/', '200', '-', '-', 'F');
    expect(detectFormat(FORMATS, [...HEADER, data, data], ctx)?.format.id).toBe('zeek.tsv');
    const tsv = [row('time', 'user', 'action'), row('2026-06-16T09:00:00Z', 'alice', 'login')];
    expect(format.detect(tsv, ctx)).toBe(0);
    expect(detectFormat(FORMATS, tsv, ctx)?.format.id).toBe('csv');
  });
});
