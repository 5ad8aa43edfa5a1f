/**
 * Syslog over TCP (RFC 6587) and over TLS (RFC 5425), which differ only in the socket: each
 * connection gets its own frame decoder. Reading pauses while the writer is behind, so a fast
 * sender is slowed down by TCP's own flow control instead of filling memory.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { FrameDecoder } from './frame-decoder.ts';
import { peerAddress } from './bind-address.ts';
import type { FrameHandler } from './udp-listener.ts';

export interface TcpListenerOptions {
  maxBytes: number;
  tls?: { cert: string; key: string };
  /** Most connections at once; more are refused (and counted) rather than exhausting file handles. */
  maxConnections?: number;
}

export interface ConnectionHandlers {
  onFrame: FrameHandler;
  onConnection(peer: string): void;
  /** A TLS handshake failed (wrong protocol, a client that does not trust the certificate…). */
  onTlsFailure(peer: string, reason: string): void;
}

/** A slow or silent client cannot hold a TLS handshake open for long. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export class TcpListener {
  readonly host: string;
  readonly port: number;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private paused = false;

  private constructor(server: Server, host: string, port: number) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  static start(host: string, port: number, opts: TcpListenerOptions, handlers: ConnectionHandlers): Promise<TcpListener> {
    let listener: TcpListener | undefined;
    const onSocket = (socket: Socket): void => listener?.accept(socket, opts.maxBytes, handlers);
    const server = opts.tls
      ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2', handshakeTimeout: HANDSHAKE_TIMEOUT_MS }, onSocket)
      : createServer(onSocket);
    server.maxConnections = opts.maxConnections ?? 1024;
    if (opts.tls) {
      server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
        handlers.onTlsFailure(peerAddress(socket.remoteAddress), err.message);
      });
    }
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, backlog: 511 }, () => {
        server.off('error', reject);
        server.on('error', () => {});
        const address = server.address();
        listener = new TcpListener(server, host, typeof address === 'object' && address ? address.port : port);
        resolve(listener);
      });
    });
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Stops reading from every connection (the writer is behind). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const s of this.sockets) s.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const s of this.sockets) s.resume();
  }

  /** Stops accepting and closes every connection; what a connection was cut in the middle of is kept. */
  async close(): Promise<void> {
    const closed = [new Promise<void>((resolve) => this.server.close(() => resolve()))];
    for (const s of this.sockets) {
      closed.push(new Promise((resolve) => s.once('close', () => resolve())));
      s.destroy();
    }
    await Promise.all(closed);
  }

  private accept(socket: Socket, maxBytes: number, handlers: ConnectionHandlers): void {
    const peer = { address: peerAddress(socket.remoteAddress), port: socket.remotePort ?? 0 };
    const decoder = new FrameDecoder(maxBytes);
    this.sockets.add(socket);
    handlers.onConnection(peer.address);
    if (this.paused) socket.pause();
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      this.sockets.delete(socket);
      decoder.end((frame) => handlers.onFrame(peer, frame, Date.now()));
    };
    socket.on('data', (chunk: Buffer) => {
      const now = Date.now();
      decoder.push(chunk, (frame) => handlers.onFrame(peer, frame, now));
    });
    // A reset connection is the peer's business; its frames so far are kept by `finish`.
    socket.on('error', () => {});
    socket.on('close', finish);
  }
}
