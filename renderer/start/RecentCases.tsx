import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { LogText } from '../events/LogText.tsx';
import { formatTime } from '../format.ts';

export type RecentCase = ResponseOf<'case:list-recent'>[number];
export type RecentState = { status: 'loading' } | { status: 'ready'; cases: RecentCase[] } | { status: 'error'; message: string };

/** Cases opened before, newest first; one that is gone is shown as such and cannot be opened. */
export function RecentCases({ recent, busy, onOpen }: { recent: RecentState; busy: boolean; onOpen(path: string): void }) {
  return (
    <section className="recent-cases" aria-labelledby="recent-heading" data-testid="recent-cases" data-state={recent.status}>
      <h3 id="recent-heading">Recent cases</h3>
      {recent.status === 'loading' && <p role="status" className="muted">Loading…</p>}
      {recent.status === 'error' && <p className="error"><LogText text={recent.message} /></p>}
      {recent.status === 'ready' && recent.cases.length === 0 && <p className="empty">Cases you open will be listed here.</p>}
      {recent.status === 'ready' && recent.cases.length > 0 && (
        <ul>
          {recent.cases.map((c) => (
            <li key={c.path} data-testid="recent-case" data-exists={c.exists}>
              <button
                type="button"
                className="recent-open"
                disabled={busy || !c.exists}
                title={c.exists ? `Open ${c.path}` : 'This file is no longer there'}
                onClick={() => onOpen(c.path)}
              >
                <span className="recent-name"><LogText text={c.name} /></span>
                <code className="recent-path"><LogText text={c.path} /></code>
              </button>
              <span className="recent-meta">
                {c.exists ? <span className="muted">opened {formatTime(c.openedAt)}</span> : <span className="missing" data-testid="recent-missing">missing</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
