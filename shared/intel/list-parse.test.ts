import { afterEach, describe, expect, it } from 'vitest';
import { entryText, ListParseError, parseHeaderDate, parseList } from './list-parse.ts';

const FIREHOL = `#
# firehol_level1
#
# ipv4 hash:net ipset
#
# Maintainer      : FireHOL
# Maintainer URL  : http://iplists.firehol.org/
# Source File Date: Sun Nov 22 21:40:12 UTC 2026
#
# This File Date  : Sun Nov 22 21:49:03 UTC 2026
# Update Frequency: 1 min
# Entries         : 4 subnets, 16778753 unique IPs
#
0.0.0.0/8
1.10.16.0/20
5.188.10.0/23
203.0.113.0/24
`;

const SPAMHAUS_TXT = `; Spamhaus DROP List 2026/11/22 - (c) 2026 The Spamhaus Project SLU
; https://www.spamhaus.org/drop/drop.txt
; Last-Modified: Sun, 22 Nov 2026 11:47:24 GMT
; Expires: Mon, 23 Nov 2026 13:25:17 GMT
1.10.16.0/20 ; SBL256894
1.19.0.0/16 ; SBL434604
`;

const SPAMHAUS_JSON = `{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}
{"cidr":"2a06:e480::/29","sblid":"SBL301771","rir":"ripencc"}
{"type":"metadata","timestamp":1795347244,"size":1234,"records":2,"copyright":"(c) 2026 The Spamhaus Project SLU"}
`;

const FEODO = `################################################################
# abuse.ch Feodo Tracker Botnet C2 IoC Blocklist (CSV)         #
# Last updated: 2026-11-22 10:05:03 UTC                        #
################################################################
"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
"2026-01-17 07:44:46","51.178.161.32","4643","online","2026-11-22","Dridex"
"2026-02-03 11:02:10","not-an-ip","443","offline","2026-10-01","QakBot"
`;

describe('parseList', () => {
  it('reads a FireHOL netset: entries, and the date from "This File Date"', () => {
    const r = parseList(FIREHOL);
    expect(r.format).toBe('netset');
    expect(r.entries.map(entryText)).toEqual(['0.0.0.0/8', '1.10.16.0/20', '5.188.10.0/23', '203.0.113.0/24']);
    expect(r.entries[1]).toMatchObject({ line: 15, note: null });
    expect(r.rejected).toBe(0);
    expect(r.headerDate).toEqual({ ms: Date.UTC(2026, 10, 22, 21, 49, 3), text: '# This File Date  : Sun Nov 22 21:49:03 UTC 2026' });
  });

  it('reads Spamhaus DROP: `;` remarks become the entry\'s note, Last-Modified dates it', () => {
    const r = parseList(SPAMHAUS_TXT);
    expect(r.format).toBe('netset');
    expect(r.entries.map((e) => [entryText(e), e.note])).toEqual([['1.10.16.0/20', 'SBL256894'], ['1.19.0.0/16', 'SBL434604']]);
    expect(r.headerDate?.ms).toBe(Date.UTC(2026, 10, 22, 11, 47, 24));
  });

  it('reads Spamhaus JSON lines, dated by the metadata record', () => {
    const r = parseList(SPAMHAUS_JSON);
    expect(r.format).toBe('jsonl');
    expect(r.entries.map((e) => [entryText(e), e.note])).toEqual([
      ['1.10.16.0/20', 'sblid=SBL256894 rir=apnic'], ['2a06:e480::/29', 'sblid=SBL301771 rir=ripencc'],
    ]);
    expect(r.headerDate?.ms).toBe(1795347244 * 1000);
  });

  it('reads a CSV by its indicator column, keeping the other cells as the note', () => {
    const r = parseList(FEODO);
    expect(r.format).toBe('csv');
    expect(r.column).toBe('dst_ip');
    expect(r.entries.map((e) => [entryText(e), e.note])).toEqual([['51.178.161.32/32', '2026-01-17 07:44:46 | 4643 | online | 2026-11-22 | Dridex']]);
    expect(r.rejected).toBe(1);
    expect(r.rejectedSamples).toEqual([{ line: 7, text: '"2026-02-03 11:02:10","not-an-ip","443","offline","2026-10-01","QakBot"' }]);
    expect(r.headerDate?.ms).toBe(Date.UTC(2026, 10, 22, 10, 5, 3));
  });

  it('takes the column the analyst names, by header or number', () => {
    const csv = 'seen,src,dst\n2026-11-01,192.0.2.1,198.51.100.1\n';
    expect(parseList(csv, { column: 'dst' }).entries.map(entryText)).toEqual(['198.51.100.1/32']);
    expect(parseList(csv, { column: '2' }).entries.map(entryText)).toEqual(['192.0.2.1/32']);
    expect(() => parseList(csv, { column: 'nope' })).toThrow(ListParseError);
    expect(() => parseList('a,b\n1,2\n', { format: 'csv' })).toThrow(/no indicator column found/);
  });

  it('reads a CSV without a header by the column holding addresses', () => {
    const r = parseList('2026-11-01,198.51.100.9,c2\n2026-11-02,198.51.100.10,c2\n');
    expect(r.format).toBe('csv');
    expect(r.entries.map(entryText)).toEqual(['198.51.100.9/32', '198.51.100.10/32']);
  });

  it('reads a plain list: addresses, networks, ranges, address:port, IPv6, CRLF, and counts what it cannot read', () => {
    const r = parseList('192.0.2.1\r\n2001:db8::/48\r\n198.51.100.10-198.51.100.13\r\n203.0.113.5:8443\r\nexample.com\r\n\r\n10.0.0.0/8 scanner net\r\n');
    expect(r.format).toBe('plain');
    expect(r.entries.map(entryText)).toEqual(['192.0.2.1/32', '2001:db8::/48', '198.51.100.10/31', '198.51.100.12/31', '203.0.113.5/32', '10.0.0.0/8']);
    expect(r.entries.at(-1)?.note).toBe('scanner net');
    expect(r.rejected).toBe(1);
    expect(r.headerDate).toBeNull();
  });

  it('has no header date when the header says none', () => {
    expect(parseList('# my list\n# Maintainer: me\n192.0.2.1\n').headerDate).toBeNull();
    // A date in a comment after the entries is not the header's.
    expect(parseList('192.0.2.1\n# Date: 2026-11-01\n').headerDate).toBeNull();
  });
});

describe('parseHeaderDate', () => {
  const tz = process.env['TZ'];
  afterEach(() => {
    if (tz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = tz;
  });

  it('reads header dates as UTC whatever the machine\'s time zone', () => {
    process.env['TZ'] = 'America/New_York';
    expect(parseHeaderDate('2026-11-22')).toBe(Date.UTC(2026, 10, 22));
    expect(parseHeaderDate('2026-11-22 10:05:03')).toBe(Date.UTC(2026, 10, 22, 10, 5, 3));
    expect(parseHeaderDate('2026-11-22T10:05:03+02:00')).toBe(Date.UTC(2026, 10, 22, 8, 5, 3));
    expect(parseHeaderDate('Sun Nov 22 21:49:03 2026')).toBe(Date.UTC(2026, 10, 22, 21, 49, 3));
    expect(parseHeaderDate('Sun, 22 Nov 2026 11:47:24 GMT')).toBe(Date.UTC(2026, 10, 22, 11, 47, 24));
    expect(parseHeaderDate('2026/11/22')).toBe(Date.UTC(2026, 10, 22));
    expect(parseHeaderDate('1795347244')).toBe(1795347244000);
    expect(parseHeaderDate('1 min')).toBeUndefined();
    expect(parseHeaderDate('soon')).toBeUndefined();
  });
});
