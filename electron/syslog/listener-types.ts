/**
 * What a live syslog session is told (listener configs) and what it reports (JSON-serialisable
 * status), apart from the session itself so the CLI, the app's handlers and the bench can name them.
 */
import type { LiveDetectionStats } from '../detect/live.ts';
import type { ForwardingLines } from './forwarding.ts';
import type { Transport } from './live-source.ts';

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

export interface ListenerConfig {
  transport: Transport;
  host?: string;
  port?: number;
  /** TLS: the analyst's certificate and key, or a folder where Loupe keeps a self-signed pair. */
  tls?: { certPath: string; keyPath: string } | { selfSignedDir: string };
  /** IANA zone for timestamps without an offset (default UTC). */
  timezone?: string;
  maxMessageBytes?: number;
  /** UDP: the receive buffer to ask the kernel for (default 32 MiB, granted up to twice net.core.rmem_max). */
  recvBufferBytes?: number;
}

export class ListenerConfigError extends Error {}

export interface MessageCounters {
  /** Messages received (each becomes an event). */
  received: number;
  /** Of those, stored in the case (committed). */
  stored: number;
  truncated: number;
  /** Frames with a framing problem (kept all the same). */
  malformed: number;
  invalidUtf8: number;
  bytes: number;
  /** Of those stored, the messages stamped more than AHEAD_THRESHOLD_MS (shared/clock-lead.ts) after they were received. */
  ahead: number;
  /** The largest lead of those, in ms (0 when none). */
  maxLeadMs: number;
}

export interface PeerStatus extends MessageCounters {
  address: string;
  connections: number;
  tlsFailures: number;
  firstAt: number;
  lastAt: number;
}

export interface ListenerStatus {
  id: string;
  /** syslog+udp://127.0.0.1:5514 — also the source's path in the case. */
  url: string;
  transport: Transport;
  host: string;
  port: number;
  /** The IANA zone its RFC 3164 times (no offset) are read in. */
  timezone: string;
  sourceId: number;
  state: 'listening' | 'stopped';
  /** A problem storing messages (the disk is full…); null when all is well. */
  problem: string | null;
  startedAt: number;
  stoppedAt: number | null;
  totals: MessageCounters & {
    /** UDP: datagrams the kernel dropped (receive buffer full); null where that is not known. */
    kernelDrops: number | null;
    /** UDP: datagrams dropped because the writer was too far behind. */
    queueDrops: number;
    /** TCP/TLS: connections accepted, and open now. */
    connections: number;
    openConnections: number;
    tlsFailures: number;
    /** Messages waiting for the writer. */
    queued: number;
  };
  udp: { recvBufferRequested: number; recvBufferGranted: number } | null;
  tls: { fingerprint256: string; selfSigned: boolean; certPath: string; validTo: string } | null;
  peers: PeerStatus[];
  /** The lines that make rsyslog or syslog-ng forward a host here. */
  forwarding: ForwardingLines;
}

export interface LiveStatus {
  listeners: ListenerStatus[];
  /** `problem`: why the detections stopped while the listeners go on (their thread failed). */
  detections: (LiveDetectionStats & { enabled: true; problem?: string }) | { enabled: false };
  /** True while TCP reading is paused because the writer is behind. */
  backpressure: boolean;
  /** Alerts the case holds now (live detections add to them). */
  alerts: number;
}
