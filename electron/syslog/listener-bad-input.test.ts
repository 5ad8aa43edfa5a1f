/**
 * What hostile or broken senders do to the listener: garbage octet counts, binary bytes, invalid
 * UTF-8, a frame far over the size cap, a client that hangs up mid-frame, empty and huge
 * datagrams. Every message is kept (truncated or flagged, with the reason), the counters say so,
 * and the listener and the case carry on (integrity check, then a good message after).
 */
import { createSocket } from 'node:dgram';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { EventFlag, UNPARSED } from '../../shared/event.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveSession } from './live-session.ts';
import { listener, octetFrame, storedAtLeast, storedEvents, tcpClient, useLiveSessions } from './test-support.ts';

const tempDir = useTempDir();

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * JavaScript heap and buffers still reachable after full garbage collections. V8 frees buffers'
 * memory on a background thread after a collection, so this collects again after a pause.
 */
async function retainedBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const liveSession = useLiveSessions(tempDir);

function session(): { c: CaseDb; session: LiveSession } {
  return liveSession();
}

describe('the listener under bad input', () => {
  it('keeps every TCP frame, saying what was wrong with each, and carries on', async () => {
    const { c, session: s } = session();
    const l = await s.start({ transport: 'tcp', port: 0, maxMessageBytes: 1024 });
    const big = `<13>Nov 28 10:00:00 h app: ${'x'.repeat(300_000)}`;
    const CUT = '<13>1 2026-11-28T10:00:01Z h app - - - cut short';
    const a = await tcpClient(l.port);
    await a.write(Buffer.concat([
      octetFrame('<13>1 2026-11-28T10:00:00Z h app - - - first'),
      octetFrame(big),
      Buffer.from('not-a-length and some words\n'),
      octetFrame(Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28])),
      octetFrame(Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x80, 0x81])),
      Buffer.from(`200 ${CUT}`),
    ]));
    await a.end();
    await storedAtLeast(s, l.id, 6);
    const b = await tcpClient(l.port);
    await b.write('<13>Nov 28 10:00:02 h app: after the storm\n');
    await b.end();
    const status = await storedAtLeast(s, l.id, 7);
    const events = storedEvents(c, l.sourceId);
    expect(events.map((e) => [e.message, e.flags & (EventFlag.truncated | EventFlag.invalidUtf8), e.extra['loupe.frame_problem'] ?? null])).toEqual([
      ['first', 0, null],
      [`${'x'.repeat(1024 - 27)}`, EventFlag.truncated, null],
      [null, 0, expect.stringMatching(/octet-counting frame without a valid length/)],
      ['bad \uFFFD\uFFFD \uFFFD(', EventFlag.invalidUtf8, null],
      [null, EventFlag.invalidUtf8, null],
      ['cut short', 0, `connection closed after ${CUT.length} of the 200 bytes the frame announced`],
      ['after the storm', 0, null],
    ]);
    expect(events[1]?.extra['loupe.line_bytes']).toBe(Buffer.byteLength(big));
    expect(events[2]).toMatchObject({ dataset: UNPARSED, raw: 'not-a-length and some words' });
    // The exact bytes of lines that were not UTF-8 are kept beside the decoded text.
    const bytes = c.db.prepare('SELECT bytes FROM raw_bytes WHERE event_id = ?').pluck().get(events[4]?.id) as Buffer;
    expect(bytes).toEqual(Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x80, 0x81]));
    expect(events[4]).toMatchObject({ dataset: UNPARSED });
    expect(events[4]?.ts).toBe(events[4]?.extra['loupe.received_at']);
    expect(listener(status, l.id).totals).toMatchObject({ received: 7, stored: 7, truncated: 1, malformed: 2, invalidUtf8: 2, connections: 2 });
    expect(listener(status, l.id).peers).toEqual([expect.objectContaining({ address: '127.0.0.1', received: 7, malformed: 2, connections: 2 })]);
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const peerRow = c.db.prepare('SELECT messages, truncated, malformed, invalid_utf8, connections FROM syslog_peers WHERE source_id = ?').get(l.sourceId);
    expect(peerRow).toEqual({ messages: 7, truncated: 1, malformed: 2, invalid_utf8: 2, connections: 2 });
  });

  it('keeps memory bounded when a client streams a line that never ends', async () => {
    const { c, session: s } = session();
    const l = await s.start({ transport: 'tcp', port: 0, maxMessageBytes: 4096 });
    const a = await tcpClient(l.port);
    const chunk = Buffer.alloc(1 << 20, 0x41);
    const before = await retainedBytes();
    for (let i = 0; i < 64; i++) await a.write(chunk);
    await a.write('\n<13>next\n');
    await a.end();
    await storedAtLeast(s, l.id, 2);
    const events = storedEvents(c, l.sourceId);
    expect(events.map((e) => [e.raw.length, e.flags & EventFlag.truncated, e.extra['loupe.line_bytes'] ?? null])).toEqual([
      [4096, EventFlag.truncated, 64 << 20],
      ['<13>next'.length, 0, null],
    ]);
    // 64 MiB went through; the listener kept none of it. (Measured after a full collection: the
    // resident size also counts memory the allocator has freed but not returned, and flaked.)
    expect((await retainedBytes()) - before).toBeLessThan(16 << 20);
  });

  it('keeps empty, oversized and non-UTF-8 datagrams, and a NUL-terminated one without its NUL', async () => {
    const { c, session: s } = session();
    const l = await s.start({ transport: 'udp', port: 0, maxMessageBytes: 1024 });
    const socket = createSocket('udp4');
    const send = (bytes: Buffer): Promise<void> => new Promise((resolve, reject) => socket.send(bytes, l.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    try {
      await send(Buffer.alloc(0));
      await send(Buffer.from(`<13>Nov 28 10:00:00 h app: ${'y'.repeat(60_000)}`));
      await send(Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0xff, 0xfe, 0xfd]));
      await send(Buffer.from('<13>Nov 28 10:00:00 h app: nul-terminated\u0000'));
    } finally {
      socket.close();
    }
    const status = await storedAtLeast(s, l.id, 4);
    const events = storedEvents(c, l.sourceId);
    expect(events.map((e) => [e.raw.length > 100 ? e.raw.length : e.raw, e.flags & (EventFlag.truncated | EventFlag.invalidUtf8), e.extra['loupe.frame_problem'] ?? null])).toEqual([
      ['', 0, 'empty datagram'],
      [1024, EventFlag.truncated, null],
      ['<13>\uFFFD\uFFFD\uFFFD', EventFlag.invalidUtf8, null],
      ['<13>Nov 28 10:00:00 h app: nul-terminated', 0, null],
    ]);
    expect(listener(status, l.id).totals).toMatchObject({ received: 4, stored: 4, truncated: 1, malformed: 1, invalidUtf8: 1 });
  });
});
