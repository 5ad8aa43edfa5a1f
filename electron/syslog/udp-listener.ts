/** Syslog over UDP (RFC 5426): one message per datagram. */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Frame } from './frame-decoder.ts';
import { peerAddress } from './bind-address.ts';
import { udpKernelDrops } from './kernel-drops.ts';

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
  private readonly socket: Socket;

  private constructor(socket: Socket, host: string, port: number, recvBuffer: { requested: number; granted: number }) {
    this.socket = socket;
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
        resolve(new UdpListener(socket, host, socket.address().port, { requested, granted }));
      });
    });
  }

  /** Datagrams the kernel dropped for this socket so far, or null where that cannot be known. */
  kernelDrops(): number | null {
    return udpKernelDrops(this.host, this.port);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
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
