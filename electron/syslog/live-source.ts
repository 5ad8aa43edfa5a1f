/**
 * A listener's side of the case: its `sources` row (status `importing` while it listens), its
 * `syslog_listeners` row, and the per-peer counts, all updated in the transaction that stores a
 * batch of messages so that the counts always match the events.
 */
import type { Database, Statement } from 'better-sqlite3';
import { UNPARSED, type ParsedEvent } from '../../shared/event.ts';
import { appendAudit } from '../engine/audit.ts';
import { EventWriter } from '../engine/event-writer.ts';
import { insertSource } from '../engine/sources.ts';
import { LOUPE_VERSION } from '../engine/version.ts';
import type { Line } from '../ingest/line-splitter.ts';

export type Transport = 'udp' | 'tcp' | 'tls';

/** The format recorded on a live source: the listener reads RFC 5424, RFC 3164 and their variants. */
export const LIVE_FORMAT = 'syslog.network';

export interface LiveSourceInit {
  url: string;
  name: string;
  transport: Transport;
  host: string;
  port: number;
  timezone: string;
  maxMessageBytes: number;
  recvBuffer?: { requested: number; granted: number };
  tls?: { fingerprint256: string; selfSigned: boolean };
}

/** One received message on its way into the case. */
export interface ReceivedMessage {
  line: Line;
  event: ParsedEvent;
  peer: string;
  /** A framing problem (kept in the event's extra too). */
  malformed: boolean;
}

/** What the listener counted outside the messages, written with each batch. */
export interface ListenerTally {
  /** Connections accepted, and TLS handshakes failed, per peer since the last batch. */
  newConnections: Map<string, number>;
  newTlsFailures: Map<string, number>;
  connections: number;
  tlsFailures: number;
  kernelDrops: number | null;
  queueDrops: number;
}

export interface SourceTotals {
  total: number;
  parsed: number;
  unparsed: number;
  truncated: number;
  invalidUtf8: number;
  bytes: number;
}

interface PeerDelta {
  messages: number;
  bytes: number;
  truncated: number;
  malformed: number;
  invalidUtf8: number;
  connections: number;
  tlsFailures: number;
}

export class LiveSource {
  readonly id: number;
  readonly totals: SourceTotals = { total: 0, parsed: 0, unparsed: 0, truncated: 0, invalidUtf8: 0, bytes: 0 };
  private readonly db: Database;
  private readonly writer: EventWriter;
  private readonly updateSource: Statement;
  private readonly updateListener: Statement;
  private readonly upsertPeer: Statement;
  private readonly maxId: Statement;
  private lastAt = 0;

  constructor(db: Database, init: LiveSourceInit) {
    this.db = db;
    const now = Date.now();
    this.id = db.transaction(() => {
      const id = insertSource(db, {
        path: init.url, name: init.name, size: 0, mtime: now, compression: null, format: LIVE_FORMAT,
        formatConfidence: null, formatForced: true, timezone: init.timezone, loupeVersion: LOUPE_VERSION,
      });
      db.prepare(`INSERT INTO syslog_listeners (source_id, transport, host, port, max_message_bytes, recv_buffer_requested,
          recv_buffer_granted, tls_fingerprint, tls_self_signed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(id, init.transport, init.host, init.port, init.maxMessageBytes, init.recvBuffer?.requested ?? null,
          init.recvBuffer?.granted ?? null, init.tls?.fingerprint256 ?? null, init.tls === undefined ? null : Number(init.tls.selfSigned));
      appendAudit(db, 'listener-started', {
        sourceId: id, url: init.url, timezone: init.timezone, maxMessageBytes: init.maxMessageBytes,
        ...(init.recvBuffer ? { recvBuffer: init.recvBuffer } : {}), ...(init.tls ? { tls: init.tls } : {}),
      });
      return id;
    }).immediate();
    this.writer = new EventWriter(db, this.id);
    this.maxId = db.prepare('SELECT max(id) FROM events').pluck();
    this.updateSource = db.prepare(`UPDATE sources SET lines_total = ?, lines_parsed = ?, lines_unparsed = ?, lines_truncated = ?,
        lines_invalid_utf8 = ?, bytes_read = ?, size = ?, mtime = ? WHERE id = ?`);
    this.updateListener = db.prepare(`UPDATE syslog_listeners SET connections = ?, tls_failures = ?, kernel_drops = ?,
        queue_drops = ? WHERE source_id = ?`);
    this.upsertPeer = db.prepare(`INSERT INTO syslog_peers (source_id, address, messages, bytes, truncated, malformed, invalid_utf8,
        connections, tls_failures, first_at, last_at) VALUES (@source, @address, @messages, @bytes, @truncated, @malformed, @invalidUtf8,
        @connections, @tlsFailures, @first, @last)
      ON CONFLICT (source_id, address) DO UPDATE SET messages = messages + excluded.messages, bytes = bytes + excluded.bytes,
        truncated = truncated + excluded.truncated, malformed = malformed + excluded.malformed,
        invalid_utf8 = invalid_utf8 + excluded.invalid_utf8, connections = connections + excluded.connections,
        tls_failures = tls_failures + excluded.tls_failures,
        last_at = max(last_at, excluded.last_at)`);
  }

  /**
   * Stores a batch in one transaction: the events, the source's counts, the peers' counts. Returns
   * the id range the batch's events took, for the live detections.
   */
  store(batch: readonly ReceivedMessage[], tally: ListenerTally): { firstId: number; lastId: number } | null;
  /**
   * The same, each item made into its message just before it is written: a parsed event then lives
   * for microseconds and never outlasts a garbage collection of the young generation (measured:
   * parsing a whole batch first doubled the listener's peak memory).
   */
  store<T>(batch: readonly T[], tally: ListenerTally, toMessage: (item: T) => ReceivedMessage): { firstId: number; lastId: number } | null;
  store<T>(batch: readonly T[], tally: ListenerTally, toMessage?: (item: T) => ReceivedMessage): { firstId: number; lastId: number } | null {
    const peers = new Map<string, PeerDelta>();
    const delta = (peer: string): PeerDelta => {
      let d = peers.get(peer);
      if (!d) {
        d = { messages: 0, bytes: 0, truncated: 0, malformed: 0, invalidUtf8: 0, connections: 0, tlsFailures: 0 };
        peers.set(peer, d);
      }
      return d;
    };
    const now = Date.now();
    for (const [peer, n] of tally.newConnections) delta(peer).connections += n;
    for (const [peer, n] of tally.newTlsFailures) delta(peer).tlsFailures += n;
    const before = { ...this.totals };
    let firstId = 0;
    let lastId = 0;
    try {
      for (const item of batch) {
        const m = toMessage ? toMessage(item) : (item as ReceivedMessage);
        // An unparsed message is written as an event too: it keeps its receive time and extra.
        this.writer.write(m.line, m.event);
        const d = delta(m.peer);
        d.messages++;
        d.bytes += m.line.byteLength;
        this.totals.total++;
        this.totals.bytes += m.line.byteLength;
        if (m.event.dataset === UNPARSED) this.totals.unparsed++;
        else this.totals.parsed++;
        if (m.line.truncated) {
          d.truncated++;
          this.totals.truncated++;
        }
        if (m.line.invalidBytes) {
          d.invalidUtf8++;
          this.totals.invalidUtf8++;
        }
        if (m.malformed) d.malformed++;
      }
      if (batch.length > 0) this.lastAt = now;
      else this.db.exec('BEGIN IMMEDIATE');
      const t = this.totals;
      this.updateSource.run(t.total, t.parsed, t.unparsed, t.truncated, t.invalidUtf8, t.bytes, t.bytes, this.lastAt || now, this.id);
      this.updateListener.run(tally.connections, tally.tlsFailures, tally.kernelDrops, tally.queueDrops, this.id);
      for (const [address, d] of peers) {
        this.upsertPeer.run({ source: this.id, address, ...d, first: now, last: now });
      }
      if (batch.length > 0) {
        // The writer holds up to 32 rows until its commit: only then are their ids known.
        this.writer.commit();
        lastId = this.maxId.get() as number;
        firstId = lastId - batch.length + 1;
      } else {
        this.db.exec('COMMIT');
      }
    } catch (err) {
      Object.assign(this.totals, before);
      if (batch.length > 0) this.writer.rollback();
      else if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    return batch.length > 0 ? { firstId, lastId } : null;
  }

  /** The listener stopped: the source is complete (or incomplete, saying why). */
  finish(problem: string | null, assumptions: readonly string[], summary: Record<string, unknown>): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE sources SET status = ?, problem = ?, assumptions = ?, finished_at = ? WHERE id = ?`)
        .run(problem === null ? 'complete' : 'incomplete', problem, JSON.stringify(assumptions), Date.now(), this.id);
      appendAudit(this.db, 'listener-stopped', { sourceId: this.id, ...summary, ...(problem ? { problem } : {}) });
    }).immediate();
  }
}
