/**
 * A UDP socket read in its own thread gives the listener the same frames as one read in the
 * listener's thread: text, trailing line breaks and NULs dropped, the size cap, empty datagrams,
 * the peer; and says why it cannot bind.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from './frame-decoder.ts';
import { UdpListener } from './udp-listener.ts';

const listeners: UdpListener[] = [];
afterEach(async () => {
  for (const l of listeners.splice(0)) await l.close();
});

type Got = { peer: string; text: string; byteLength: number; truncated: boolean; problem?: string };

async function collect(start: typeof UdpListener.start, datagrams: Buffer[]): Promise<Got[]> {
  const got: Got[] = [];
  const l = await start('127.0.0.1', 0, { maxBytes: 64 }, (peer, frame: Frame) => {
    got.push({ peer: peer.address, text: frame.bytes.toString('latin1'), byteLength: frame.byteLength, truncated: frame.truncated, ...(frame.problem ? { problem: frame.problem } : {}) });
  });
  listeners.push(l);
  expect(l.recvBuffer.granted).toBeGreaterThan(0);
  const client = createSocket('udp4');
  for (const d of datagrams) await new Promise((resolve) => client.send(d, l.port, '127.0.0.1', resolve));
  client.close();
  const deadline = Date.now() + 10_000;
  while (got.length < datagrams.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return got;
}

describe('UDP read in a worker thread', () => {
  it('gives the frames the listener thread would read itself', async () => {
    const datagrams = [
      Buffer.from('<13>Nov 28 11:00:00 web01 app: first'),
      Buffer.from('<13>Nov 28 11:00:01 web01 app: with a trailer\r\n\0'),
      Buffer.from(`<13>Nov 28 11:00:02 web01 app: ${'x'.repeat(200)}`),
      Buffer.from('\n'),
      Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0xff, 0xfe, 0x41]),
    ];
    const inWorker = await collect((h, p, o, f) => UdpListener.startInWorker(h, p, o, f), datagrams);
    const inThread = await collect((h, p, o, f) => UdpListener.start(h, p, o, f), datagrams);
    expect(inWorker).toHaveLength(datagrams.length);
    expect(inWorker).toEqual(inThread);
    expect(inWorker[1]?.text).toBe('<13>Nov 28 11:00:01 web01 app: with a trailer');
    expect(inWorker[2]).toMatchObject({ truncated: true, byteLength: datagrams[2]?.length, peer: '127.0.0.1' });
    expect(inWorker[2]?.text).toHaveLength(64);
    expect(inWorker[3]).toMatchObject({ problem: 'empty datagram', byteLength: 0 });
  });

  it('says why it cannot bind', async () => {
    const taken = await UdpListener.start('127.0.0.1', 0, { maxBytes: 64 }, () => {});
    listeners.push(taken);
    await expect(UdpListener.startInWorker('127.0.0.1', taken.port, { maxBytes: 64 }, () => {})).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
