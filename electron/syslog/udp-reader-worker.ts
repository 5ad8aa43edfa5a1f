// A UDP socket read in a thread that does nothing else: the kernel's buffer is drained within
// milliseconds even while the listener's thread is inside a long commit or a garbage collection,
// which is when datagrams were dropped. Datagrams go to the listener in packed batches (one
// transferred buffer every 20 ms, not a message each). Protocol: udp-listener.ts.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { peerAddress } from './bind-address.ts';
import { datagramFrame } from './udp-listener.ts';
import { HEADER_BYTES } from './udp-reader-constants.ts';

export interface UdpReaderData {
  host: string;
  port: number;
  recvBufferBytes: number;
  /** Bytes kept of a datagram; the rest is counted, not copied. */
  maxBytes: number;
}

export type FromUdpReader =
  | { type: 'bound'; port: number; granted: number }
  | { type: 'failed'; code: string | undefined; message: string }
  | { type: 'batch'; buffer: ArrayBuffer; count: number }
  | { type: 'closed' };

export type ToUdpReader = { type: 'close' };

/** Handing a batch over costs ~100 µs whatever its size (measured): a few dozen per second. */
const FLUSH_MS = 20;
const BATCH_BYTES = 1 << 20;

const port = parentPort;
if (!port) throw new Error('udp-reader-worker.ts must run in a worker thread');
const data = workerData as UdpReaderData;
const send = (m: FromUdpReader, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);

let buf = Buffer.allocUnsafeSlow(BATCH_BYTES);
let used = 0;
let count = 0;
let timer: NodeJS.Timeout | null = null;

function flush(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (count === 0) return;
  const out = buf.buffer.slice(buf.byteOffset, buf.byteOffset + used);
  send({ type: 'batch', buffer: out, count }, [out]);
  used = 0;
  count = 0;
}

const socket = createSocket({ type: isIP(data.host) === 6 ? 'udp6' : 'udp4', recvBufferSize: data.recvBufferBytes });
socket.once('error', (err: NodeJS.ErrnoException) => {
  send({ type: 'failed', code: err.code, message: err.message });
  port.close();
});
socket.bind(data.port, data.host, () => {
  socket.removeAllListeners('error');
  // An error after binding (rare on UDP) must not end the thread; the datagram is lost either way.
  socket.on('error', () => {});
  send({ type: 'bound', port: socket.address().port, granted: socket.getRecvBufferSize() });
  // Most datagrams come from the same few senders: their address is encoded once.
  let lastAddress = '';
  let address = Buffer.alloc(0);
  socket.on('message', (msg, rinfo) => {
    if (rinfo.address !== lastAddress) {
      lastAddress = rinfo.address;
      address = Buffer.from(peerAddress(rinfo.address), 'latin1');
    }
    const frame = datagramFrame(msg, data.maxBytes);
    const kept = frame.bytes.length;
    const need = HEADER_BYTES + address.length + kept;
    if (used + need > buf.length) {
      flush();
      if (need > buf.length) buf = Buffer.allocUnsafeSlow(need);
    }
    buf.writeDoubleLE(Date.now(), used);
    buf.writeUInt32LE(frame.byteLength, used + 8);
    buf.writeUInt32LE(kept, used + 12);
    buf.writeUInt16LE(rinfo.port, used + 16);
    buf.writeUInt8(address.length, used + 18);
    address.copy(buf, used + HEADER_BYTES);
    frame.bytes.copy(buf, used + HEADER_BYTES + address.length);
    used += need;
    count++;
    timer ??= setTimeout(flush, FLUSH_MS);
  });
});

port.on('message', (m: ToUdpReader) => {
  if (m.type !== 'close') return;
  socket.close(() => {
    flush();
    send({ type: 'closed' });
    port.close();
  });
});
