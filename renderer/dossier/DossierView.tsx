import { useEffect, useState } from 'react';
import type { DossierDto } from '../../shared/ipc/contract.ts';
import { useAppState, type Entity } from '../app/app-state.tsx';
import { getDossier } from '../api.ts';
import { AlertList } from '../events/AlertList.tsx';
import { LogText } from '../events/LogText.tsx';
import { entityClause } from '../filter/query-text.ts';
import { formatCount, formatTime } from '../format.ts';
import { DossierTimeline } from './DossierTimeline.tsx';
import { EnrichmentSlot } from './EnrichmentSlot.tsx';
import { TopList } from './TopList.tsx';
import './dossier.css';

const NOUN = { ip: 'IP address', user: 'User', host: 'Host' } as const;

type Answer = { key: string; dossier: DossierDto | null; error: string | null };

/**
 * Everything the case says about one IP, user or host: when and where it was seen, what it did,
 * who and what it touched, its alerts, and pivots on to the users, hosts and IPs around it.
 */
export function DossierView({ entity }: { entity: Entity }) {
  const { filter, dataVersion, showEvents, go } = useAppState();
  const range = filter.range;
  const key = JSON.stringify([entity, range, dataVersion]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    let live = true;
    getDossier({ type: entity.type, value: entity.value, ...(range ? { from: range.from, to: range.to } : {}) }).then(
      (dossier) => live && setAnswer({ key, dossier, error: null }),
      (error: unknown) => live && setAnswer({ key, dossier: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
    // `key` stands for entity, range and data version.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const current = answer?.key === key ? answer : null;
  const d = current?.dossier ?? null;
  const state = current === null ? 'loading' : current.error !== null ? 'error' : 'ready';
  return (
    <article className="dossier" data-testid="dossier" data-state={state} data-entity-type={entity.type} data-entity-value={entity.value}>
      <header className="dossier-head">
        <button type="button" className="link" data-testid="dossier-back" onClick={() => go({ view: 'events' })}>← Events</button>
        <h2>
          <span className="muted">{NOUN[entity.type]} </span>
          <span data-testid="dossier-value"><LogText text={entity.value} /></span>
        </h2>
        <button type="button" data-testid="dossier-show-events" onClick={() => showEvents(entityClause(entity.type, entity.value))}>
          Show these events
        </button>
      </header>

      {current?.error ? <p className="error" role="alert" data-testid="dossier-error">{current.error}</p> : null}
      {state === 'loading' ? <p role="status" className="muted">Loading…</p> : null}

      {d ? (
        <>
          <p className="dossier-summary" data-testid="dossier-summary">
            <strong data-testid="dossier-total">{formatCount(d.total)}</strong> events
            {range ? ' in the selected range' : ''} · first seen <span data-testid="dossier-first">{formatTime(d.firstSeen)}</span>
            {' '}· last seen <span data-testid="dossier-last">{formatTime(d.lastSeen)}</span>
          </p>
          {d.sample ? (
            <p className="muted dossier-sample" data-testid="dossier-sample">
              Users, IPs, hosts, URLs and user agents are counted in an even sample of {formatCount(d.sample.events)} of
              its {formatCount(d.sample.of)} events; every other figure is exact.
            </p>
          ) : null}

          <div className="dossier-grid">
            <section className="dossier-wide" data-testid="dossier-alerts-section">
              <h4>Alerts ({formatCount(d.alerts.length)})</h4>
              <AlertList alerts={d.alerts} testId="dossier-alerts" />
            </section>

            <section className="dossier-wide">
              <h4>Activity</h4>
              <DossierTimeline timeline={d.timeline} />
            </section>

            <section className="dossier-wide" data-testid="dossier-sources">
              <h4>Seen in</h4>
              <table className="field-table">
                <thead><tr><th>source</th><th className="num">events</th><th>first seen</th><th>last seen</th></tr></thead>
                <tbody>
                  {d.perSource.map((s) => (
                    <tr key={s.sourceId} data-source={s.name}>
                      <td><LogText text={s.name} /></td>
                      <td className="num" data-col="count">{formatCount(s.count)}</td>
                      <td data-col="first">{formatTime(s.first)}</td>
                      <td data-col="last">{formatTime(s.last)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>

            <EnrichmentSlot entity={entity} />

            <TopList title="Datasets" items={d.byDataset} testId="dossier-datasets" />
            <TopList title="Actions" items={d.byAction} testId="dossier-actions" />
            <TopList title="Outcomes" items={d.byOutcome} testId="dossier-outcomes" />
            <TopList title="HTTP status" items={d.byStatus} testId="dossier-statuses" />
            <TopList title={entity.type === 'ip' ? 'Users tried' : 'Users'} items={d.users} pivot="user" testId="dossier-users" />
            <TopList title="Hosts" items={d.hosts} pivot="host" testId="dossier-hosts" />
            <TopList title={entity.type === 'ip' ? 'Other IPs' : 'IPs'} items={d.ips} pivot="ip" testId="dossier-ips" />
            <TopList title="URLs" items={d.urls} testId="dossier-urls" />
            <TopList title="User agents" items={d.userAgents} testId="dossier-user-agents" />
          </div>
        </>
      ) : null}
    </article>
  );
}
