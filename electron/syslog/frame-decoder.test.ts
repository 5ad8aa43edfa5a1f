import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_OCTET_COUNT, type Frame } from './frame-decoder.ts';

interface Seen {
  text: string;
  byteLength: number;
  truncated: boolean;
  problem?: string;
}

/** Feeds `input` cut at the given positions, then closes the connection. */
function decode(input: string | Buffer, cuts: number[] = [], maxBytes = 1024, close = true): { frames: Seen[]; mode: string | null } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const d = new FrameDecoder(maxBytes);
  const frames: Seen[] = [];
  const sink = (f: Frame): void => {
    frames.push({ text: f.bytes.toString('utf8'), byteLength: f.byteLength, truncated: f.truncated, ...(f.problem ? { problem: f.problem } : {}) });
  };
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    d.push(bytes.subarray(from, cut), sink);
    from = cut;
  }
  if (close) d.end(sink);
  return { frames, mode: d.mode };
}

const plain = (text: string): Seen => ({ text, byteLength: Buffer.byteLength(text), truncated: false });

describe('FrameDecoder', () => {
  it('splits non-transparent framing on LF, CRLF and NUL, skipping empty lines', () => {
    const r = decode('<13>one\n<13>two\r\n\n<13>three\u0000<13>four\n');
    expect(r.mode).toBe('non-transparent');
    expect(r.frames).toEqual(['<13>one', '<13>two', '<13>three', '<13>four'].map(plain));
  });

  it('reads octet-counted frames, a trailer inside or after the count being framing', () => {
    const r = decode('8 <13>one\n9 <13>two\n\n9 <13>three');
    expect(r.mode).toBe('octet-counting');
    expect(r.frames).toEqual([plain('<13>one'), plain('<13>two'), plain('<13>three')]);
    // A counted frame may hold a newline inside its message.
    expect(decode('11 <13>a\nb\nc d').frames).toEqual([plain('<13>a\nb\nc d')]);
  });

  it('gives the same frames however the stream is cut into chunks', () => {
    for (const input of ['7 <13>abc7 <13>def12 <13>€uro\n', '<13>abc\n<13>d€f\r\n<13>ghi\u0000']) {
      const whole = decode(input).frames;
      const length = Buffer.byteLength(input);
      for (let cut = 1; cut < length; cut++) expect(decode(input, [cut]).frames).toEqual(whole);
      expect(decode(input, Array.from({ length: length - 1 }, (_, i) => i + 1)).frames).toEqual(whole);
    }
  });

  it('truncates a frame over the cap, keeping its start and full length, in both framings', () => {
    const big = `<13>${'x'.repeat(5000)}`;
    const line = decode(`${big}\n<13>after\n`, [100, 3000], 1024).frames;
    expect(line).toEqual([{ text: big.slice(0, 1024), byteLength: 5004, truncated: true }, plain('<13>after')]);
    const counted = decode(`5004 ${big}9 <13>after`, [100, 3000], 1024).frames;
    expect(counted).toEqual([{ text: big.slice(0, 1024), byteLength: 5004, truncated: true }, plain('<13>after')]);
  });

  it('keeps memory bounded by the cap on a line that never ends', () => {
    const d = new FrameDecoder(64);
    const chunk = Buffer.alloc(65536, 0x41);
    for (let i = 0; i < 200; i++) d.push(chunk, () => {});
    const frames: Frame[] = [];
    d.push(Buffer.from('\n'), (f) => frames.push({ ...f, bytes: Buffer.from(f.bytes) }));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ byteLength: 200 * 65536, truncated: true });
    expect(frames[0]?.bytes.length).toBe(64);
  });

  it('keeps a frame whose octet count is missing or garbage up to the next line break, then carries on', () => {
    const r = decode('8 <13>one\nxyz garbage\n7 <13>two');
    expect(r.frames).toEqual([
      plain('<13>one'),
      { ...plain('xyz garbage'), problem: expect.stringMatching(/without a valid length/) as unknown as string },
      plain('<13>two'),
    ]);
    const huge = decode(`${MAX_OCTET_COUNT + 1} <13>x\n7 <13>two`).frames;
    expect(huge[0]?.problem).toMatch(/taken for garbage/);
    expect(huge[0]?.text).toBe(`${MAX_OCTET_COUNT + 1} <13>x`);
    expect(huge[1]).toEqual(plain('<13>two'));
  });

  it('says so when the connection closes mid-frame, keeping what arrived', () => {
    expect(decode('100 <13>cut sh').frames).toEqual([
      { text: '<13>cut sh', byteLength: 10, truncated: false, problem: 'connection closed after 10 of the 100 bytes the frame announced' },
    ]);
    expect(decode('7 <13>one12').frames[1]).toMatchObject({ text: '12', problem: 'connection closed inside an octet count' });
    // Non-transparent framing cannot tell a cut message from a missing last trailer.
    expect(decode('<13>one\n<13>last').frames).toEqual([plain('<13>one'), plain('<13>last')]);
  });

  it('passes binary bytes through untouched (decoding is the caller\'s business)', () => {
    const bytes = Buffer.from([0x31, 0x20, 0xff, 0x35, 0x20, 0x3c, 0x31, 0x33, 0x3e, 0xc3]);
    const d = new FrameDecoder(1024);
    const got: Buffer[] = [];
    d.push(bytes, (f) => got.push(Buffer.from(f.bytes)));
    expect(got).toEqual([Buffer.from([0xff]), Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0xc3])]);
  });
});
