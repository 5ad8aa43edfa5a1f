import { basename, dirname, extname, join } from 'node:path';
import type { ParsedRequestOf, SyslogStatusDto } from '../../shared/ipc/contract.ts';
import { countAlerts } from '../engine/alerts.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { ListenerConfigError, type ListenerConfig, type LiveStatus } from '../syslog/listener-types.ts';
import { LiveSession } from '../syslog/live-session.ts';
import type { Handler } from './handlers.ts';
import { requireCase, SessionError, summarize, type Session } from './session.ts';

type SyslogChannel = 'syslog:start-listener' | 'syslog:stop-listener' | 'syslog:get-status';

/** Least time between two pushes of counters, new events or alerts to the window. */
const PUSH_INTERVAL_MS = 1000;

/**
 * Live syslog from the window: a LiveSession writing into the open case through the session's own
 * connection (the engine's thread is its only writer, and the views read between batches). While
 * live, the window is told about counters, new events and alerts at most about once a second.
 */
export function createSyslogHandlers(session: Session): { [C in SyslogChannel]: Handler<C> } {
  let last: SyslogStatusDto = { casePath: null, live: false, listeners: [], detections: { enabled: false, alertWrites: 0 }, backpressure: false };

  const start = async (request: ParsedRequestOf<'syslog:start-listener'>): Promise<SyslogStatusDto> => {
    const c = requireCase(session);
    const live = session.live instanceof LiveHandleImpl ? session.live : new LiveHandleImpl(session, c, (s) => (last = s));
    session.live = live;
    const started: string[] = [];
    try {
      for (const l of request.listeners) {
        const config: ListenerConfig = {
          transport: l.transport, host: l.host, port: l.port,
          ...(request.timezone !== undefined ? { timezone: request.timezone } : {}),
          ...(l.transport === 'tls'
            ? { tls: l.certPath !== undefined && l.keyPath !== undefined ? { certPath: l.certPath, keyPath: l.keyPath } : { selfSignedDir: selfSignedDir(c.path) } }
            : {}),
        };
        started.push((await live.ls.start(config)).id);
      }
    } catch (err) {
      // All or nothing: a request whose second listener cannot bind leaves none of its own running.
      for (const id of started) await live.ls.stop(id).catch(() => {});
      if (!live.listening()) await live.close();
      throw err instanceof ListenerConfigError ? new SessionError(err.message) : err;
    }
    return live.publish(true);
  };

  return {
    'syslog:start-listener': start,

    'syslog:stop-listener': async ({ id }) => {
      const live = session.live;
      if (!(live instanceof LiveHandleImpl)) return last;
      const listening = live.ls.status().listeners.filter((l) => l.state === 'listening');
      if (id !== undefined && !listening.some((l) => l.id === id)) throw new SessionError(`no listener ${id} is running`);
      if (id === undefined || listening.length === 1) {
        await live.close();
        return last;
      }
      await live.ls.stop(id);
      return live.publish(true);
    },

    'syslog:get-status': () => (session.live instanceof LiveHandleImpl ? session.live.publish(false, false) : last),
  };
}

/** Where a self-signed TLS pair is kept: beside the case, as the CLI does (`CASE-tls/`). */
function selfSignedDir(casePath: string): string {
  return join(dirname(casePath), `${basename(casePath, extname(casePath))}-tls`);
}

class LiveHandleImpl {
  readonly casePath: string;
  readonly ls: LiveSession;
  private lastPush = 0;
  private storedPushed = -1;
  private alertsDirty = false;
  private readonly session: Session;
  private readonly c: CaseDb;
  private readonly remember: (s: SyslogStatusDto) => void;

  constructor(session: Session, c: CaseDb, remember: (s: SyslogStatusDto) => void) {
    this.session = session;
    this.c = c;
    this.remember = remember;
    this.casePath = c.path;
    this.ls = new LiveSession(c, {
      statusIntervalMs: 250,
      onStatus: () => this.publish(false),
      onAlerts: () => {
        this.alertsDirty = true;
      },
    });
  }

  listening(): boolean {
    return this.ls.status().listeners.some((l) => l.state === 'listening');
  }

  /** Stops every listener, finishes the live detections, and tells the window the last counts. */
  async close(): Promise<void> {
    const final = await this.ls.close();
    if (this.session.live === this) this.session.live = null;
    this.publish(true, true, final, false);
  }

  /**
   * The status as the contract has it; pushed (with the new event count and alerts, when they
   * changed) when `force` or when the last push is a second old.
   */
  publish(force: boolean, push = true, status: LiveStatus = this.ls.status(), live = this.listening()): SyslogStatusDto {
    const dto = toDto(this.casePath, status, live);
    this.remember(dto);
    const now = Date.now();
    if (!push || (!force && now - this.lastPush < PUSH_INTERVAL_MS)) return dto;
    this.lastPush = now;
    this.session.push('syslog:status-changed', dto);
    // The case may have been closed under a final status (the engine shutting down).
    if (this.session.current !== this.c) return dto;
    const stored = dto.listeners.reduce((n, l) => n + l.totals.stored, 0);
    if (stored !== this.storedPushed) {
      this.storedPushed = stored;
      this.session.push('case:summary-changed', summarize(this.c));
    }
    if (this.alertsDirty) {
      this.alertsDirty = false;
      this.session.push('alerts:list-changed', { total: countAlerts(this.c.db) });
    }
    return dto;
  }
}

function toDto(casePath: string, s: LiveStatus, live: boolean): SyslogStatusDto {
  return {
    casePath,
    live,
    listeners: s.listeners.map((l) => ({
      id: l.id, url: l.url, transport: l.transport, host: l.host, port: l.port, state: l.state, problem: l.problem,
      startedAt: l.startedAt, stoppedAt: l.stoppedAt,
      totals: {
        received: l.totals.received, stored: l.totals.stored, truncated: l.totals.truncated, malformed: l.totals.malformed,
        invalidUtf8: l.totals.invalidUtf8, bytes: l.totals.bytes, kernelDrops: l.totals.kernelDrops, queueDrops: l.totals.queueDrops,
        connections: l.totals.connections, openConnections: l.totals.openConnections, tlsFailures: l.totals.tlsFailures, queued: l.totals.queued,
      },
      tls: l.tls,
      peers: l.peers.map((p) => ({
        address: p.address, received: p.received, stored: p.stored, truncated: p.truncated, malformed: p.malformed,
        invalidUtf8: p.invalidUtf8, bytes: p.bytes, connections: p.connections, tlsFailures: p.tlsFailures, firstAt: p.firstAt, lastAt: p.lastAt,
      })),
      forwarding: l.forwarding,
    })),
    detections: { enabled: s.detections.enabled, alertWrites: s.detections.enabled ? s.detections.alertWrites : 0 },
    backpressure: s.backpressure,
  };
}
