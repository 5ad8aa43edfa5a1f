import { describe, expect, it } from 'vitest';
import { type Line, LineSplitter } from './line-splitter.ts';

function split(chunks: (string | Buffer)[], max = 1024): Line[] {
  const lines: Line[] = [];
  const s = new LineSplitter(max);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c, (l) => lines.push(l));
  s.end((l) => lines.push(l));
  return lines;
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines with line numbers and byte offsets', () => {
    const lines = split(['one\r\ntwo\nthr', 'ee\n\nlast']);
    expect(lines.map((l) => [l.text, l.lineNo, l.offset])).toEqual([
      ['one', 1, 0], ['two', 2, 5], ['three', 3, 9], ['', 4, 15], ['last', 5, 16],
    ]);
  });

  it('keeps a line split across many chunks', () => {
    const lines = split(['a', 'b', 'c', '\n', 'd\n']);
    expect(lines.map((l) => l.text)).toEqual(['abc', 'd']);
  });

  it('truncates lines over the cap and flags them, without losing the next line', () => {
    const huge = 'x'.repeat(5000);
    const lines = split([`short\n${huge.slice(0, 2000)}`, `${huge.slice(2000)}\nafter\n`], 100);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ text: 'x'.repeat(100), truncated: true, byteLength: 5000, lineNo: 2 });
    expect(lines[2]).toMatchObject({ text: 'after', truncated: false, offset: 6 + 5001 });
  });

  it('keeps invalid UTF-8 lines with their exact bytes', () => {
    const bad = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]);
    const [line] = split([bad, 'ok \uFFFD fine\n']);
    expect(line?.text).toBe('a\uFFFD\uFFFDb');
    expect(line?.invalidBytes).toEqual(Buffer.from([0x61, 0xff, 0xfe, 0x62]));
    const lines = split([bad, 'ok \uFFFD fine\n']);
    expect(lines[1]?.invalidBytes).toBeNull();
  });

  it('drops a UTF-8 byte order mark from the first line only', () => {
    const lines = split(['\uFEFFfirst\n\uFEFFsecond\n']);
    expect(lines.map((l) => l.text)).toEqual(['first', '\uFEFFsecond']);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const euro = Buffer.from('€\n');
    const lines = split([euro.subarray(0, 1), euro.subarray(1)]);
    expect(lines[0]?.text).toBe('€');
    expect(lines[0]?.invalidBytes).toBeNull();
  });
});
