/**
 * Live syslog into an open case: listeners (UDP, TCP, TLS), each a source of the case, whose
 * messages are parsed as they arrive, written in batches (one transaction each, every
 * `flushIntervalMs` or sooner when a batch fills), and matched by the live detections. Plain Node,
 * JSON-serialisable status: the CLI drives it, and the app can drive it through IPC
 * (`syslog:start-listener`, `syslog:stop-listener`, `syslog:get-status`, `syslog:status-changed`).
 * Each listener's queue and counters: live-listener.ts.
 */
import type { Statement } from 'better-sqlite3';
import { isValidTimeZone } from '../../shared/time.ts';
import type { RuleSet } from '../../shared/sigma/ruleset.ts';
import { claimImport, type CaseDb } from '../engine/case-db.ts';
import { LiveDetector } from '../detect/live.ts';
import { caseRules, DetectorThread, type LiveDetections } from './detector-thread.ts';
import { bindProblem, certificateHosts, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TLS_PORT, formatHostPort } from './bind-address.ts';
import type { Frame } from './frame-decoder.ts';
import {
  DEFAULT_MAX_MESSAGE_BYTES, ListenerConfigError, type ListenerConfig, type ListenerStatus, type LiveStatus, type PeerStatus,
} from './listener-types.ts';
import { enqueue, LeadTally, listenerStatus, newListener, peerOf, toMessage, type LiveListener } from './live-listener.ts';
import { LiveSource } from './live-source.ts';
import { TcpListener } from './tcp-listener.ts';
import { ensureSelfSigned, loadTlsMaterial, type TlsMaterial } from './tls-cert.ts';
import { DEFAULT_RECV_BUFFER, UdpListener } from './udp-listener.ts';

/** Messages per transaction at most (the event writer commits on its own past 16,384). */
const MAX_BATCH = 2048;
/** Above this many messages waiting for the writer, TCP reading pauses; below a quarter of it, it resumes. */
const HIGH_WATER = 32_768;
/** UDP cannot be paused: past this many waiting messages, datagrams are dropped and counted. */
const UDP_QUEUE_LIMIT = 262_144;

export interface LiveSessionOptions {
  /** Run the detection rules on live data (default: the rules of the case's last run). `false` turns them off. */
  detect?: boolean | { ruleSet: RuleSet };
  flushIntervalMs?: number;
  /** Least time between two status callbacks. */
  statusIntervalMs?: number;
  onStatus?: (status: LiveStatus) => void;
  /** Alerts were added or changed by live detections. */
  onAlerts?: () => void;
  /** Live detections: see LiveDetectorOptions. */
  latenessMs?: number;
  /** Messages waiting for the writer above which TCP reading pauses (default 32,768), and below which it resumes (a quarter). */
  highWater?: number;
  /** Messages waiting past which UDP datagrams are dropped, counted (default 262,144). */
  udpQueueLimit?: number;
  /**
   * Run the detections with the case's rules in a worker thread of their own (detector-thread.ts),
   * so that they use another core than the listener; needs a case file and a way to start workers.
   */
  detectInWorker?: boolean | { workerUrl: URL };
  /** Read UDP sockets in a worker thread each (udp-listener.ts), drained even while a batch is stored. */
  udpInWorker?: boolean | { workerUrl: URL };
}

export class LiveSession {
  private readonly c: CaseDb;
  private readonly opts: LiveSessionOptions;
  private readonly active = new Map<string, LiveListener>();
  private readonly detector: LiveDetections | null;
  private releaseClaim: (() => void) | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushSoon = false;
  private statusTimer: NodeJS.Timeout;
  private lastStatus = 0;
  private queued = 0;
  private paused = false;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly countAlerts: Statement;

  constructor(c: CaseDb, opts: LiveSessionOptions = {}) {
    this.c = c;
    this.opts = opts;
    this.countAlerts = c.db.prepare('SELECT count(*) FROM alerts').pluck();
    if (opts.detect === false) this.detector = null;
    else if (opts.detectInWorker && typeof opts.detect !== 'object') {
      this.detector = new DetectorThread(c.path, {
        ...(opts.latenessMs !== undefined ? { latenessMs: opts.latenessMs } : {}),
        ...(typeof opts.detectInWorker === 'object' ? { workerUrl: opts.detectInWorker.workerUrl } : {}),
      });
    } else {
      const set = opts.detect === true || opts.detect === undefined ? caseRules(c) : opts.detect.ruleSet;
      this.detector = new LiveDetector(c, set, opts.latenessMs !== undefined ? { latenessMs: opts.latenessMs } : {});
    }
    if (this.detector) {
      this.detector.onChange = () => opts.onAlerts?.();
      // Seeding scans what the case holds already; new batches wait for it, the listeners do not.
      void this.detector.start().catch(() => {});
    }
    this.statusTimer = setInterval(() => this.tick(), Math.max(50, opts.statusIntervalMs ?? 250));
    this.statusTimer.unref();
  }

  /** Starts a listener; the promise settles once it is bound (or failed to bind, saying why). */
  async start(config: ListenerConfig): Promise<ListenerStatus> {
    if (this.closed) throw new ListenerConfigError('this live session is closed');
    const transport = config.transport;
    const host = config.host ?? DEFAULT_HOST;
    const port = config.port ?? (transport === 'tls' ? DEFAULT_TLS_PORT : DEFAULT_PORT);
    const timezone = config.timezone ?? 'UTC';
    if (!isValidTimeZone(timezone)) throw new ListenerConfigError(`unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin, or UTC)`);
    const maxMessageBytes = config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 64) throw new ListenerConfigError('the message size cap must be at least 64 bytes');
    let tls: TlsMaterial | null = null;
    if (transport === 'tls') {
      if (!config.tls) throw new ListenerConfigError('a TLS listener needs a certificate and key, or a folder for a self-signed pair');
      tls = 'selfSignedDir' in config.tls
        ? ensureSelfSigned(config.tls.selfSignedDir, certificateHosts(host))
        : loadTlsMaterial(config.tls.certPath, config.tls.keyPath);
    }
    const pending = newListener({ transport, timezone, maxMessageBytes }, tls);
    let a: LiveListener | undefined;
    const onFrame = (peer: { address: string; port: number }, frame: Frame, receivedAt: number): void => {
      if (a) this.receive(a, peer, frame, receivedAt);
    };
    let udp: UdpListener | null = null;
    let tcp: TcpListener | null = null;
    try {
      if (transport === 'udp') {
        const udpOptions = { maxBytes: maxMessageBytes, recvBufferBytes: config.recvBufferBytes ?? DEFAULT_RECV_BUFFER };
        const inWorker = this.opts.udpInWorker;
        udp = inWorker
          ? await UdpListener.startInWorker(host, port, { ...udpOptions, ...(typeof inWorker === 'object' ? { workerUrl: inWorker.workerUrl } : {}) }, onFrame)
          : await UdpListener.start(host, port, udpOptions, onFrame);
      } else {
        tcp = await TcpListener.start(host, port, { maxBytes: maxMessageBytes, ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}) }, {
          onFrame,
          onConnection: (peer) => {
            if (!a) return;
            a.totals.connections++;
            a.newConnections.set(peer, (a.newConnections.get(peer) ?? 0) + 1);
            peerOf(a, peer, Date.now()).connections++;
            a.tallyDirty = true;
            this.scheduleFlush(false);
          },
          onTlsFailure: (peer) => {
            if (!a) return;
            a.totals.tlsFailures++;
            a.newTlsFailures.set(peer, (a.newTlsFailures.get(peer) ?? 0) + 1);
            peerOf(a, peer, Date.now()).tlsFailures++;
            a.tallyDirty = true;
            this.scheduleFlush(false);
          },
        });
      }
    } catch (err) {
      throw new ListenerConfigError(bindProblem(transport, host, port, err as NodeJS.ErrnoException));
    }
    const boundPort = udp?.port ?? tcp?.port ?? port;
    const url = `syslog+${transport}://${formatHostPort(host, boundPort)}`;
    const id = url;
    if (this.active.has(id)) {
      await (udp ?? tcp)?.close();
      throw new ListenerConfigError(`${url} is already listening`);
    }
    const source = new LiveSource(this.c.db, {
      url, name: `syslog over ${transport.toUpperCase()} on ${formatHostPort(host, boundPort)}`, transport, host, port: boundPort,
      timezone, maxMessageBytes,
      ...(udp ? { recvBuffer: udp.recvBuffer } : {}),
      ...(tls ? { tls: { fingerprint256: tls.fingerprint256, selfSigned: tls.selfSigned } } : {}),
    });
    a = { ...pending, id, url, source, udp, tcp };
    this.active.set(id, a);
    this.releaseClaim ??= claimImport(this.c, 'live');
    this.emitStatus(true);
    return listenerStatus(a);
  }

  /**
   * Stops one listener: every message it received is stored and its source marked complete; what the
   * case refuses to the end is counted as lost on the source (incomplete), and dropped.
   */
  async stop(id: string): Promise<ListenerStatus> {
    const a = this.active.get(id);
    if (!a) throw new ListenerConfigError(`no listener ${id}`);
    if (a.state === 'listening') {
      a.state = 'stopped';
      // The kernel's count goes with the socket: read it last thing before closing.
      if (a.udp) a.totals.kernelDrops = a.udp.kernelDrops() ?? a.totals.kernelDrops;
      // Closing waits for every connection's last frames, which are then all stored.
      await (a.udp ?? a.tcp)?.close();
      a.tallyDirty = true;
      for (let before = Number.POSITIVE_INFINITY; ;) {
        const waiting = a.queue.length;
        if ((waiting === 0 && !a.tallyDirty) || waiting >= before) break;
        before = waiting;
        this.flush();
      }
      a.stoppedAt = Date.now();
      const lost = a.queue.length;
      const problem = lost > 0 ? `${lost} received message(s) could not be stored: ${a.problem ?? 'the case refused them'}` : null;
      a.source.finish(problem, a.parser.assumptions(), { totals: { ...a.totals }, peers: a.peers.size });
      // The source says these are lost: no later flush may write them into it, and they no longer
      // count against the other listeners' flow control.
      a.queue.clear();
      a.tallyDirty = false;
      this.queued -= lost;
      if (this.paused && this.queued <= (this.opts.highWater ?? HIGH_WATER) / 4) this.setPaused(false);
    }
    if ([...this.active.values()].every((x) => x.state === 'stopped')) {
      this.releaseClaim?.();
      this.releaseClaim = null;
    }
    this.emitStatus(true);
    return listenerStatus(a);
  }

  /** Stops every listener and finishes the live detections (every open window judged). */
  async close(): Promise<LiveStatus> {
    if (!this.closed) {
      for (const id of this.active.keys()) await this.stop(id);
      this.closed = true;
      if (this.flushTimer) clearTimeout(this.flushTimer);
      await this.detector?.finish();
      clearInterval(this.statusTimer);
    }
    const status = this.status();
    this.opts.onStatus?.(status);
    return status;
  }

  status(): LiveStatus {
    return {
      listeners: [...this.active.values()].map((a) => listenerStatus(a)),
      detections: this.detector ? { enabled: true, ...this.detector.status(), ...detectionProblem(this.detector) } : { enabled: false },
      backpressure: this.paused,
      alerts: this.closed && !this.c.db.open ? 0 : (this.countAlerts.get() as number),
    };
  }

  /**
   * Resolves once `predicate` holds, checked now, after each stored batch and on each status tick.
   * For tests and the benchmark: a readiness condition instead of a sleep.
   */
  waitFor(predicate: (s: LiveStatus) => boolean, timeoutMs = 30_000): Promise<LiveStatus> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const s = this.status();
        if (!predicate(s)) return false;
        cleanup();
        resolve(s);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the live session; status: ${JSON.stringify(this.status().listeners.map((l) => l.totals))}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => {
        check();
      };
      if (!check()) this.waiters.add(waiter);
    });
  }

  /** Resolves once the live detections have matched every stored row. */
  async detectionsIdle(): Promise<void> {
    await this.detector?.idle();
  }

  private receive(a: LiveListener, peer: { address: string; port: number }, frame: Frame, receivedAt: number): void {
    if (a.udp && this.queued >= (this.opts.udpQueueLimit ?? UDP_QUEUE_LIMIT)) {
      a.totals.queueDrops++;
      a.tallyDirty = true;
      return;
    }
    enqueue(a, peer, frame, receivedAt);
    this.queued++;
    if (this.queued >= (this.opts.highWater ?? HIGH_WATER) && !this.paused) this.setPaused(true);
    this.scheduleFlush(a.queue.length >= MAX_BATCH || this.paused);
  }

  private scheduleFlush(now: boolean): void {
    if (now) {
      if (this.flushSoon) return;
      this.flushSoon = true;
      // After the I/O callbacks already due: one batch gathers what every socket has delivered.
      setImmediate(() => {
        this.flushSoon = false;
        this.flush();
      });
      return;
    }
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.opts.flushIntervalMs ?? 100);
  }

  /**
   * Writes what the listeners have received: one batch per listener, one transaction each. More
   * waiting is written on the next turn of the event loop, so that sockets are read in between (a
   * UDP socket not read for long overflows).
   */
  private flush(): void {
    let lastId = 0;
    let more = false;
    for (const a of this.active.values()) {
      if (a.queue.length > 0 || a.tallyDirty) {
        const count = Math.min(a.queue.length, MAX_BATCH);
        const batch = a.queue.front(count);
        const newConnections = a.newConnections;
        const newTlsFailures = a.newTlsFailures;
        a.newConnections = new Map();
        a.newTlsFailures = new Map();
        a.tallyDirty = false;
        let range: { firstId: number; lastId: number } | null;
        const leads = new LeadTally();
        try {
          range = a.source.store(batch, {
            newConnections, newTlsFailures, connections: a.totals.connections, tlsFailures: a.totals.tlsFailures,
            kernelDrops: a.totals.kernelDrops, queueDrops: a.totals.queueDrops,
          }, (q) => toMessage(a, q, leads));
        } catch (err) {
          // Left in the queue and tried again (parsed again: a program's state may see a line twice,
          // which only matters to a few logind sessions); TCP pauses meanwhile, UDP drops past the limit.
          for (const [peer, n] of newConnections) a.newConnections.set(peer, (a.newConnections.get(peer) ?? 0) + n);
          for (const [peer, n] of newTlsFailures) a.newTlsFailures.set(peer, (a.newTlsFailures.get(peer) ?? 0) + n);
          a.tallyDirty = true;
          a.problem = `cannot store messages: ${(err as Error).message}`;
          this.retryLater();
          continue;
        }
        a.queue.drop(count);
        a.problem = null;
        this.queued -= count;
        a.totals.stored += count;
        leads.addTo(a);
        for (const q of batch) (a.peers.get(q.peer) as PeerStatus).stored++;
        if (range) lastId = Math.max(lastId, range.lastId);
        if (a.queue.length > 0) more = true;
      }
    }
    if (more) this.scheduleFlush(true);
    if (this.paused && this.queued <= (this.opts.highWater ?? HIGH_WATER) / 4) this.setPaused(false);
    if (lastId > 0) this.detector?.notify(lastId);
    for (const w of [...this.waiters]) w();
    this.emitStatus(false);
  }

  private retryLater(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, 1000);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    for (const a of this.active.values()) {
      if (!a.tcp) continue;
      if (paused) a.tcp.pause();
      else a.tcp.resume();
    }
  }

  private tick(): void {
    this.detector?.poll();
    let dirty = false;
    for (const a of this.active.values()) {
      if (a.state !== 'listening' || !a.udp) continue;
      const drops = a.udp.kernelDrops();
      if (drops !== a.totals.kernelDrops) {
        a.totals.kernelDrops = drops;
        a.tallyDirty = true;
        dirty = true;
      }
    }
    if (dirty) this.scheduleFlush(false);
    for (const w of [...this.waiters]) w();
    this.emitStatus(false);
  }

  private emitStatus(force: boolean): void {
    if (!this.opts.onStatus) return;
    const now = Date.now();
    if (!force && now - this.lastStatus < (this.opts.statusIntervalMs ?? 250)) return;
    this.lastStatus = now;
    this.opts.onStatus(this.status());
  }
}

function detectionProblem(d: LiveDetections): { problem?: string } {
  return d instanceof DetectorThread && d.problem !== null ? { problem: d.problem } : {};
}
