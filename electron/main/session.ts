import type { CaseSummary, PushEvent, PushPayloadOf } from '../../shared/ipc/contract.ts';
import { openCase, type CaseDb, type OpenCaseOptions } from '../engine/case-db.ts';
import { listSources } from '../engine/sources.ts';

export type Push = <E extends PushEvent>(event: E, payload: PushPayloadOf<E>) => void;

/**
 * What one window works on: at most one open case and at most one running import. Plain Node, so
 * the unit tests and the e2e fixture drive exactly what Electron's main process drives.
 */
export interface Session {
  current: CaseDb | null;
  /**
   * The running import. The engine's bulk load needs the case file to itself (it leaves WAL mode),
   * so the session closes its own connection while the import worker writes and reopens it after.
   */
  importing: { abort: AbortController; casePath: string } | null;
  readonly push: Push;
  /** Where the import worker's code is when it is not next to run-import.ts (a bundled main). */
  readonly importWorkerUrl: URL | undefined;
}

/** An error whose message is meant for the analyst as it stands. */
export class SessionError extends Error {}

export function createSession(options: { push?: Push; importWorkerUrl?: URL } = {}): Session {
  return {
    current: null,
    importing: null,
    push: options.push ?? (() => {}),
    importWorkerUrl: options.importWorkerUrl,
  };
}

/** Opens `path` as the session's case, closing the one open before (live listeners are stopped first: live-controller.ts). */
export function openInSession(session: Session, path: string, options: OpenCaseOptions = {}): CaseSummary {
  if (session.importing) throw new SessionError('an import is running; cancel it or wait for it before opening another case');
  const next = openCase(path, options);
  session.current?.close();
  session.current = next;
  return summarize(next);
}

/** Runs `work` (an import in a worker) with the session's own connection to the case closed. */
export async function withCaseReleased<T>(session: Session, work: (casePath: string, signal: AbortSignal) => Promise<T>): Promise<T> {
  const c = requireCase(session);
  const job = { abort: new AbortController(), casePath: c.path };
  session.importing = job;
  c.close();
  session.current = null;
  try {
    return await work(job.casePath, job.abort.signal);
  } finally {
    if (session.importing === job) {
      session.importing = null;
      session.current = openCase(job.casePath);
    }
  }
}

export function requireCase(session: Session): CaseDb {
  if (session.importing) throw new SessionError('an import is running; the case can be read again when it has finished');
  if (!session.current) throw new SessionError('no case is open');
  return session.current;
}

export function summarize(c: CaseDb): CaseSummary {
  const caseId = c.db.prepare("SELECT value FROM case_meta WHERE key = 'case_id'").pluck().get() as string | undefined;
  const sources = listSources(c.db);
  return {
    path: c.path,
    caseId: caseId ?? '',
    // Lines in = rows out, per source, so this is the row count without a full scan of `events`.
    eventCount: sources.reduce((n, s) => n + s.lines.total, 0),
    sources,
  };
}

export function closeSession(session: Session): void {
  session.importing?.abort.abort();
  session.importing = null;
  session.current?.close();
  session.current = null;
}
