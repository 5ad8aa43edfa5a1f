/** Syslog over UDP (RFC 5426): one message per datagram. */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { Frame } from './frame-decoder.ts';
import { peerAddress } from './bind-address.ts';
import { udpKernelDrops } from './kernel-drops.ts';
import type { FromUdpReader, ToUdpReader, UdpReaderData } from './udp-reader-worker.ts';
import { HEADER_BYTES } from './udp-reader-constants.ts';

/**
 * Asked of the kernel: about 1.5 s of a 20,000 msg/s feed at the kernel's ~1 KiB of bookkeeping per
 * small datagram. Linux grants up to net.core.rmem_max (often 208 KiB to 4 MiB), doubled.
 */
export const DEFAULT_RECV_BUFFER = 32 * 1024 * 1024;

export type FrameHandler = (peer: { address: string; port: number }, frame: Frame, receivedAt: number) => void;

export class UdpListener {
  readonly host: string;
  readonly port: number;
  readonly recvBuffer: { requested: number; granted: number };
  private readonly closeSocket: () => Promise<void>;

  private constructor(closeSocket: () => Promise<void>, host: string, port: number, recvBuffer: { requested: number; granted: number }) {
    this.closeSocket = closeSocket;
    this.host = host;
    this.port = port;
    this.recvBuffer = recvBuffer;
  }

  static start(host: string, port: number, opts: { maxBytes: number; recvBufferBytes?: number }, onFrame: FrameHandler): Promise<UdpListener> {
    const requested = opts.recvBufferBytes ?? DEFAULT_RECV_BUFFER;
    const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: requested });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        // An error after binding (rare on UDP) must not crash the process; the datagram is lost either way.
        socket.on('error', () => {});
        const granted = socket.getRecvBufferSize();
        socket.on('message', (msg, rinfo) => {
          onFrame({ address: peerAddress(rinfo.address), port: rinfo.port }, datagramFrame(msg, opts.maxBytes), Date.now());
        });
        const close = (): Promise<void> => new Promise((done) => socket.close(() => done()));
        resolve(new UdpListener(close, host, socket.address().port, { requested, granted }));
      });
    });
  }

  /**
   * The same, the socket read in a worker thread of its own (udp-reader-worker.ts), so that it is
   * drained while this thread is busy storing; frames arrive here in batches.
   */
  static startInWorker(host: string, port: number, opts: { maxBytes: number; recvBufferBytes?: number; workerUrl?: URL }, onFrame: FrameHandler): Promise<UdpListener> {
    const requested = opts.recvBufferBytes ?? DEFAULT_RECV_BUFFER;
    const data: UdpReaderData = { host, port, recvBufferBytes: requested, maxBytes: opts.maxBytes };
    const worker = new Worker(opts.workerUrl ?? new URL('./udp-reader-worker.ts', import.meta.url), {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    let closed: (() => void) | null = null;
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromUdpReader) => {
        switch (m.type) {
          case 'bound': {
            const close = async (): Promise<void> => {
              const done = new Promise<void>((r) => {
                closed = r;
              });
              worker.postMessage({ type: 'close' } satisfies ToUdpReader);
              await Promise.race([done, ended]);
              await worker.terminate();
            };
            resolve(new UdpListener(close, host, m.port, { requested, granted: m.granted }));
            break;
          }
          case 'failed':
            reject(Object.assign(new Error(m.message), { code: m.code }));
            break;
          case 'batch':
            unpack(Buffer.from(m.buffer), m.count, onFrame);
            break;
          case 'closed':
            closed?.();
            break;
          default:
            break;
        }
      });
      // After binding, a failed reader only ends the datagrams' flow; it must not take this thread with it.
      worker.on('error', reject);
      void ended.then(() => reject(new Error('the UDP reader thread stopped before binding')));
    });
  }

  /** Datagrams the kernel dropped for this socket so far, or null where that cannot be known. */
  kernelDrops(): number | null {
    return udpKernelDrops(this.host, this.port);
  }

  close(): Promise<void> {
    return this.closeSocket();
  }
}

/** A datagram as a frame: trailing LF, CR or NUL (some senders add them) are not part of the message. */
export function datagramFrame(msg: Buffer, maxBytes: number): Frame {
  let end = msg.length;
  while (end > 0 && (msg[end - 1] === 10 || msg[end - 1] === 13 || msg[end - 1] === 0)) end--;
  const truncated = end > maxBytes;
  const frame: Frame = { bytes: msg.subarray(0, truncated ? maxBytes : end), byteLength: end, truncated };
  if (end === 0) frame.problem = 'empty datagram';
  return frame;
}

/** The datagrams of a batch from the reader thread, as frames (see udp-reader-worker.ts for the layout). */
function unpack(buf: Buffer, count: number, onFrame: FrameHandler): void {
  let at = 0;
  for (let i = 0; i < count; i++) {
    const receivedAt = buf.readDoubleLE(at);
    const byteLength = buf.readUInt32LE(at + 8);
    const kept = buf.readUInt32LE(at + 12);
    const peerPort = buf.readUInt16LE(at + 16);
    const addressLength = buf.readUInt8(at + 18);
    const address = buf.toString('latin1', at + HEADER_BYTES, at + HEADER_BYTES + addressLength);
    const start = at + HEADER_BYTES + addressLength;
    const frame: Frame = { bytes: buf.subarray(start, start + kept), byteLength, truncated: byteLength > kept };
    if (byteLength === 0) frame.problem = 'empty datagram';
    onFrame({ address, port: peerPort }, frame, receivedAt);
    at = start + kept;
  }
}
