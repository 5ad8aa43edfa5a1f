import type { CaseSummary, ParsedRequestOf, SyslogStatusDto } from '../../shared/ipc/contract.ts';
import { ListenerThread } from '../syslog/listener-thread.ts';
import { selfSignedDir } from '../syslog/tls-cert.ts';
import { ListenerConfigError, type ListenerConfig, type LiveStatus } from '../syslog/listener-types.ts';
import type { EngineClient } from './engine-client.ts';
import type { Handler, LiveChannel } from './handlers.ts';
import { SessionError, type Push } from './session.ts';

/** Least time between two pushes of counters, new events or alerts to the window. */
const PUSH_INTERVAL_MS = 1000;

const IDLE: SyslogStatusDto = { casePath: null, live: false, listeners: [], detections: { enabled: false, alertWrites: 0 }, backpressure: false };

export interface LiveControllerOptions {
  engine: Pick<EngineClient, 'call' | 'casePath'>;
  push: Push;
  log: (message: string) => void;
  /** The bundled listener and detector workers (out/main/*.js); by default the TypeScript sources. */
  workerUrl?: URL;
  detectorWorkerUrl?: URL;
  udpReaderWorkerUrl?: URL;
}

interface Running {
  casePath: string;
  thread: ListenerThread;
  /** A close was asked for: the thread's end is no surprise. */
  closing: boolean;
}

/**
 * Live syslog from the window, run in the main process's own listener thread (as `loupe listen`
 * runs it) on its own connection to the open case, not in the engine's thread: an engine that dies
 * and is restarted leaves the sockets, the queue and the live detections running, so nothing sent
 * meanwhile is lost. SQLite's WAL lets the engine read (and write, one writer at a time, each
 * waiting up to 5 s for the other's short transactions) while the listener appends.
 *
 * The engine's case stays the authority: listeners write into the case it has open, stop before it
 * opens another, and an import is refused while they run (it needs the file to itself).
 */
export class LiveController {
  private readonly options: LiveControllerOptions;
  private running: Running | null = null;
  private opening: Promise<Running> | null = null;
  private stopping: Promise<void> | null = null;
  private last: SyslogStatusDto = IDLE;
  private lastPush = 0;
  private storedPushed = -1;
  private alertsDirty = false;

  constructor(options: LiveControllerOptions) {
    this.options = options;
  }

  /** True while listeners run, or are being started, in some case. */
  busy(): boolean {
    return this.opening !== null || this.listening();
  }

  handlers(): { [C in LiveChannel]: Handler<C> } {
    return {
      'syslog:start-listener': (request) => this.start(request),
      'syslog:stop-listener': async ({ id }) => {
        const r = this.running;
        if (!r) return this.last;
        const listening = this.listenerIds();
        if (id !== undefined && !listening.includes(id)) throw new SessionError(`no listener ${id} is running`);
        if (id === undefined || listening.length === 1) {
          await this.stopAll();
          return this.last;
        }
        await r.thread.stop(id);
        return this.publish(true);
      },
      'syslog:get-status': () => (this.running ? this.publish(false, false) : this.last),
    };
  }

  /** Ends the listener thread as a crash would: for tests. */
  async terminateThread(): Promise<void> {
    await this.running?.thread.terminate();
  }

  /** Stops every listener (storing what they received), finishes the live detections, ends the thread. */
  async stopAll(): Promise<void> {
    await this.opening?.catch(() => {});
    this.stopping ??= this.stopRunning().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  private async stopRunning(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.closing = true;
    let final: LiveStatus | null = r.thread.last;
    try {
      final = await r.thread.close();
    } catch (err) {
      this.options.log(`the syslog listener thread did not close cleanly: ${(err as Error).message}`);
    }
    if (this.running === r) this.running = null;
    this.publish(true, true, final, false, r.casePath);
  }

  private async start(request: ParsedRequestOf<'syslog:start-listener'>): Promise<SyslogStatusDto> {
    const r = await this.thread();
    const started: string[] = [];
    try {
      for (const l of request.listeners) {
        const config: ListenerConfig = {
          transport: l.transport, host: l.host, port: l.port,
          ...(request.timezone !== undefined ? { timezone: request.timezone } : {}),
          ...(l.transport === 'tls'
            ? { tls: l.certPath !== undefined && l.keyPath !== undefined ? { certPath: l.certPath, keyPath: l.keyPath } : { selfSignedDir: selfSignedDir(r.casePath) } }
            : {}),
        };
        started.push((await r.thread.start(config)).id);
      }
    } catch (err) {
      // All or nothing: a request whose second listener cannot bind leaves none of its own running.
      for (const id of started) await r.thread.stop(id).catch(() => {});
      if (this.listenerIds().length === 0) await this.stopAll();
      throw err instanceof ListenerConfigError ? new SessionError(err.message) : err;
    }
    return this.publish(true);
  }

  /** The listener thread of the engine's open case, started when there is none. */
  private async thread(): Promise<Running> {
    const current = (await this.options.engine.call('case:get-current', undefined)) as CaseSummary | null;
    if (!current) {
      throw new SessionError(this.options.engine.casePath !== null
        ? 'an import is running; the case can be read again when it has finished'
        : 'no case is open');
    }
    if (this.running && this.running.casePath !== current.path) await this.stopAll();
    if (this.running) return this.running;
    this.opening ??= this.open(current.path).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async open(casePath: string): Promise<Running> {
    let running: Running | null = null;
    const thread = await ListenerThread.open(casePath, {
      statusIntervalMs: 250,
      onStatus: () => {
        if (running && this.running === running) this.publish(false);
      },
      onAlerts: () => {
        this.alertsDirty = true;
      },
      onExit: (code) => {
        if (!running || this.running !== running || running.closing) return;
        // Not a close asked for: the listener's own thread died. Say so, per listener; what it stored stays.
        this.running = null;
        this.options.log(`the syslog listener thread stopped unexpectedly (exit code ${code})`);
        const last = running.thread.last;
        const problem = `the listener's thread stopped unexpectedly (exit code ${code}); what it stored is kept, start it again to go on`;
        const ended = last && {
          ...last,
          listeners: last.listeners.map((l) => (l.state === 'listening' ? { ...l, state: 'stopped' as const, problem, stoppedAt: Date.now() } : l)),
        };
        this.publish(true, true, ended, false, casePath);
      },
      ...(this.options.workerUrl ? { workerUrl: this.options.workerUrl } : {}),
      ...(this.options.detectorWorkerUrl ? { detectorWorkerUrl: this.options.detectorWorkerUrl } : {}),
      ...(this.options.udpReaderWorkerUrl ? { udpReaderWorkerUrl: this.options.udpReaderWorkerUrl } : {}),
      // Electron's main thread must not block on copying and syncing the log: the writer does it.
      checkpointHere: false,
    });
    running = { casePath, thread, closing: false };
    this.running = running;
    this.storedPushed = -1;
    return running;
  }

  private listening(): boolean {
    return this.listenerIds().length > 0;
  }

  private listenerIds(): string[] {
    return (this.running?.thread.last?.listeners ?? []).filter((l) => l.state === 'listening').map((l) => l.id);
  }

  /**
   * The status as the contract has it; pushed (with the new event count and alerts, when they
   * changed) when `force` or when the last push is a second old.
   */
  private publish(
    force: boolean, push = true, status: LiveStatus | null = this.running?.thread.last ?? null, live = this.listening(),
    casePath = this.running?.casePath ?? null,
  ): SyslogStatusDto {
    const dto = status ? toDto(casePath, status, live) : { ...IDLE, casePath };
    this.last = dto;
    const now = Date.now();
    if (!push || (!force && now - this.lastPush < PUSH_INTERVAL_MS)) return dto;
    this.lastPush = now;
    this.options.push('syslog:status-changed', dto);
    const stored = dto.listeners.reduce((n, l) => n + l.totals.stored, 0);
    if (stored !== this.storedPushed) {
      this.storedPushed = stored;
      void this.pushSummary(casePath);
    }
    if (this.alertsDirty && status) {
      this.alertsDirty = false;
      this.options.push('alerts:list-changed', { total: status.alerts });
    }
    return dto;
  }

  /** The case's new event count, as the engine reads it (the main process holds no connection). */
  private async pushSummary(casePath: string | null): Promise<void> {
    try {
      const summary = (await this.options.engine.call('case:get-current', undefined)) as CaseSummary | null;
      if (summary && summary.path === casePath) this.options.push('case:summary-changed', summary);
    } catch {
      // The engine is busy restarting or closing: the next push carries the count.
    }
  }
}


function toDto(casePath: string | null, s: LiveStatus, live: boolean): SyslogStatusDto {
  return {
    casePath,
    live,
    listeners: s.listeners.map((l) => ({
      id: l.id, url: l.url, transport: l.transport, host: l.host, port: l.port, timezone: l.timezone, state: l.state, problem: l.problem,
      startedAt: l.startedAt, stoppedAt: l.stoppedAt,
      totals: {
        received: l.totals.received, stored: l.totals.stored, truncated: l.totals.truncated, malformed: l.totals.malformed,
        invalidUtf8: l.totals.invalidUtf8, bytes: l.totals.bytes, ahead: l.totals.ahead, maxLeadMs: l.totals.maxLeadMs, kernelDrops: l.totals.kernelDrops, queueDrops: l.totals.queueDrops,
        connections: l.totals.connections, openConnections: l.totals.openConnections, tlsFailures: l.totals.tlsFailures, queued: l.totals.queued,
      },
      tls: l.tls,
      peers: l.peers.map((p) => ({
        address: p.address, received: p.received, stored: p.stored, truncated: p.truncated, malformed: p.malformed,
        invalidUtf8: p.invalidUtf8, bytes: p.bytes, ahead: p.ahead, maxLeadMs: p.maxLeadMs, connections: p.connections, tlsFailures: p.tlsFailures, firstAt: p.firstAt, lastAt: p.lastAt,
      })),
      forwarding: l.forwarding,
    })),
    detections: { enabled: s.detections.enabled, alertWrites: s.detections.enabled ? s.detections.alertWrites : 0 },
    backpressure: s.backpressure,
  };
}
