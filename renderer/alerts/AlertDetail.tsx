import { useEffect, useState } from 'react';
import type { AlertDto, ResponseOf } from '../../shared/ipc/contract.ts';
import { errorMessage, getAlertDetail } from '../api.ts';
import { useAppState, type EntityType } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { formatCount, formatTime } from '../format.ts';
import { attackTag } from './group.ts';
import { LevelBadge } from './LevelBadge.tsx';
import { TriageControls, type AlertStatus, type TriageState } from './TriageControls.tsx';
import { WhyItFired } from './WhyItFired.tsx';

type Detail = ResponseOf<'alerts:get-detail'>;
type DetailState = { id: number } & ({ status: 'loading' } | { status: 'ready'; detail: Detail } | { status: 'error'; message: string });

const EVENTS_SHOWN = 50;
const MINUTE = 60_000;

/** The brushed range that shows an alert with some context on either side. */
export function alertWindow(alert: AlertDto): { from: number; to: number } | null {
  if (alert.first === null || alert.last === null) return null;
  const pad = Math.max(MINUTE, Math.round((alert.last - alert.first) * 0.1));
  return { from: alert.first - pad, to: alert.last + pad + 1 };
}

interface Props {
  alert: AlertDto;
  triage: TriageState;
  onStatus(status: AlertStatus): void;
  onNote(note: string | null): void;
}

export function AlertDetail({ alert, triage, onStatus, onNote }: Props) {
  const { dataVersion, showEvents, setRange, go, pivot } = useAppState();
  const [fetched, setDetail] = useState<DetailState>({ id: alert.id, status: 'loading' });
  // Data that changed under the same alert (a triage) is fetched again without blanking the pane.
  const detail: DetailState = fetched.id === alert.id ? fetched : { id: alert.id, status: 'loading' };

  useEffect(() => {
    let current = true;
    const id = alert.id;
    getAlertDetail(id).then(
      (d) => current && setDetail({ id, status: 'ready', detail: d }),
      (err: unknown) => current && setDetail({ id, status: 'error', message: errorMessage(err) }),
    );
    return () => {
      current = false;
    };
  }, [alert.id, dataVersion]);

  const span = alertWindow(alert);
  const entity = alert.entity.type === 'none' ? null : { type: alert.entity.type satisfies EntityType, value: alert.entity.value };

  return (
    <article className="alert-detail" data-testid="alert-detail" data-alert-id={alert.id} data-state={detail.status}>
      <header>
        <h3 data-testid="alert-title"><LevelBadge level={alert.rule.level} /> <LogText text={alert.rule.title} /></h3>
        <dl className="facts">
          <div><dt>Entity</dt><dd data-testid="alert-entity">
            {entity
              ? <button type="button" className="entity-pivot" data-testid="alert-pivot" title={`Everything about this ${entity.type}`} onClick={() => pivot(entity)}>
                <span className="muted">{entity.type}</span> <LogText text={entity.value} />
              </button>
              : <span className="muted">none</span>}
          </dd></div>
          <div><dt>Events</dt><dd data-testid="alert-count">{formatCount(alert.count)}</dd></div>
          <div><dt>First</dt><dd>{formatTime(alert.first)}</dd></div>
          <div><dt>Last</dt><dd>{formatTime(alert.last)}</dd></div>
          <div><dt>Rule</dt><dd>
            <code><LogText text={alert.rule.id} /></code>
            {alert.rule.version !== null && <span className="muted"> · <LogText text={alert.rule.version} /></span>}
            <span className="muted"> · {alert.rule.kind}</span>
            {alert.rule.author !== null && <span className="muted"> · by <LogText text={alert.rule.author} /></span>}
          </dd></div>
          {alert.rule.tags.length > 0 && (
            <div><dt>ATT&amp;CK</dt><dd className="tags" data-testid="alert-tags">
              {alert.rule.tags.map((t) => {
                const tag = attackTag(t);
                return <span key={t} className={`tag tag-${tag.kind}`} title={t}><LogText text={tag.text} /></span>;
              })}
            </dd></div>
          )}
        </dl>
        <div className="button-row">
          <button type="button" className="primary" data-testid="alert-show-events" onClick={() => showEvents(`alert:${alert.id}`, null)}>
            Events in the grid
          </button>
          <button
            type="button"
            data-testid="alert-show-timeline"
            disabled={span === null}
            onClick={() => {
              setRange(span);
              go({ view: 'timeline' });
            }}
          >
            On the timeline
          </button>
        </div>
      </header>

      <TriageControls alert={alert} state={triage} onStatus={onStatus} onNote={onNote} />

      <section aria-labelledby="why-heading">
        <h4 id="why-heading">Why it fired</h4>
        {detail.status === 'loading' && <p role="status" className="muted">Loading…</p>}
        {detail.status === 'error' && <p role="alert" className="error" data-testid="alert-detail-error"><LogText text={detail.message} /></p>}
        {detail.status === 'ready' && <WhyItFired why={detail.detail.alert.why} />}
      </section>

      {detail.status === 'ready' && (
        <section aria-labelledby="alert-events-heading">
          <h4 id="alert-events-heading">
            Contributing events{' '}
            <span className="muted">
              {detail.detail.events.length < alert.count ? `(first ${formatCount(Math.min(EVENTS_SHOWN, detail.detail.events.length))} of ${formatCount(alert.count)})` : ''}
            </span>
          </h4>
          <table className="grid alert-events" data-testid="alert-events">
            <tbody>
              {detail.detail.events.slice(0, EVENTS_SHOWN).map((e) => (
                <tr key={e.id} data-testid="alert-event">
                  <td className="nowrap">{formatTime(e.ts)}</td>
                  <td className="nowrap muted">{e.dataset}</td>
                  <td className="raw"><code><LogText text={e.raw} /></code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </article>
  );
}
