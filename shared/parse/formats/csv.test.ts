import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../event.ts';
import { splitCsvLine } from '../csv-line.ts';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format } from './csv.ts';

const ctx: ParseContext = { timezone: 'America/New_York', referenceTime: Date.UTC(2026, 5, 30) };
const parseAll = (lines: string[]) => {
  const parser = format.create(ctx);
  return lines.map((l) => parser.parse(l));
};

describe('CSV line splitting (RFC 4180)', () => {
  it('handles quotes, doubled quotes and delimiters inside quotes', () => {
    expect(splitCsvLine('a,"b,c","say ""hi""",', ',')).toEqual(['a', 'b,c', 'say "hi"', '']);
    expect(splitCsvLine('a;"b;c";d', ';')).toEqual(['a', 'b;c', 'd']);
    expect(splitCsvLine(' "x" ,y', ',')).toEqual(['x', 'y']);
  });

  it('refuses a quoted cell left open (a line break inside it) and its tail', () => {
    expect(splitCsvLine('a,"starts here', ',')).toBeNull();
    expect(splitCsvLine('ends here",b', ',')).toBeNull();
  });
});

describe('CSV parser', () => {
  it('parses the header into csv.header and rows by column name', () => {
    const [header, row] = parseAll([
      'Time,Source IP,Source Port,User,Action,Note',
      '2026-01-15 07:00:00,192.0.2.7,5050,alice,login,"first, second"',
    ]);
    expect(header).toEqual({ ts: null, dataset: 'csv.header', extra: { columns: ['Time', 'Source IP', 'Source Port', 'User', 'Action', 'Note'] } });
    expect(row).toEqual({
      ts: Date.UTC(2026, 0, 15, 12), dataset: 'csv', flags: EventFlag.zoneAssumed,
      srcIp: '192.0.2.7', srcPort: 5050, user: 'alice', action: 'login', extra: { Note: 'first, second' },
    });
  });

  it('picks the delimiter from the header', () => {
    const [, semi] = parseAll(['ts;user;msg', '1781600000;bob;a,b']);
    expect(semi).toMatchObject({ ts: 1781600000000, user: 'bob', message: 'a,b' });
    const [, tab] = parseAll(['ts\tuser', '1781600000123\tcarol']);
    expect(tab).toMatchObject({ ts: 1781600000123, user: 'carol' });
  });

  it('parses short and long rows with what there is; leaves broken quoting unparsed', () => {
    const [, short, long, open] = parseAll(['a,b,user', '1', '1,2,dave,4', '1,"2']);
    expect(short).toEqual({ ts: null, dataset: 'csv', extra: { a: '1' } });
    expect(long).toEqual({ ts: null, dataset: 'csv', user: 'dave', extra: { a: '1', b: '2', column_4: '4' } });
    expect(open).toBeNull();
  });

  it('reads a repeated header line as a header again, and names blank or repeated columns', () => {
    const [, , again] = parseAll(['x,,x', '1,2,3', 'x,,x']);
    expect(again?.extra).toEqual({ columns: ['x', 'column_2', 'x_2'] });
  });

  it('does not take event.dataset from a row', () => {
    const [, row] = parseAll(['event.dataset,user', 'evil,erin']);
    expect(row).toEqual({ ts: null, dataset: 'csv', user: 'erin', extra: { 'event.dataset': 'evil' } });
  });

  it('is detected only behind a plausible header', () => {
    expect(format.detect(['time,user,action', '1,alice,login', '2,bob,logout'], ctx)).toBe(1);
    expect(format.detect(['1,2,3', '4,5,6'], ctx)).toBe(0);
    expect(format.detect(['{"a":1,"b":2}', '{"a":3,"b":4}'], ctx)).toBe(0);
    expect(format.detect(['Jun 16 09:00:00 host sshd[1]: Failed password for root, again', 'Jun 16 09:00:01 host x: y, z'], ctx)).toBe(0);
    expect(format.detect(['#separator \\x09', '#fields\tts\tuid'], ctx)).toBe(0);
    expect(format.detect(['single column', 'value'], ctx)).toBe(0);
    expect(detectFormat(FORMATS, ['time,user,action', '2026-06-16T09:00:00Z,alice,login'], ctx)?.format.id).toBe('csv');
  });
});
