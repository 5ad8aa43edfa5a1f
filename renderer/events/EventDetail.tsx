import { useEffect, useState } from 'react';
import { EventFlag } from '../../shared/event.ts';
import type { ResponseOf, StoredEventDto } from '../../shared/ipc/contract.ts';
import { getEventDetail } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { formatCount, formatTime } from '../format.ts';
import { AlertList } from './AlertList.tsx';
import { EVENT_FIELDS, fieldText } from './event-fields.ts';
import { LogText } from './LogText.tsx';
import { FilterToValue, PivotValue } from './PivotValue.tsx';
import { message } from './use-event-pages.ts';

type Detail = ResponseOf<'events:get-detail'>;

const FLAGS: { bit: number; label: string; title: string }[] = [
  { bit: EventFlag.truncated, label: 'truncated', title: 'The line was longer than the size cap and was cut' },
  { bit: EventFlag.invalidUtf8, label: 'invalid UTF-8', title: 'The line was not valid UTF-8; its exact bytes are kept' },
  { bit: EventFlag.yearInferred, label: 'year inferred', title: 'The timestamp had no year; it was inferred from the file' },
  { bit: EventFlag.zoneAssumed, label: 'zone assumed', title: "The timestamp had no offset; the source's time zone was applied" },
];

/**
 * Everything about one event: every field under its ECS name, the raw line, where it came from
 * (file, line, byte offset, the file's SHA-256), its flags and the alerts it belongs to. The row
 * the grid already holds is shown at once; the rest arrives with `events:get-detail`.
 */
export function EventDetail({ id, row, onClose }: { id: number; row: StoredEventDto | undefined; onClose(): void }) {
  const [answer, setAnswer] = useState<{ id: number; detail: Detail | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    getEventDetail(id).then(
      (detail) => live && setAnswer({ id, detail, error: null }),
      (error: unknown) => live && setAnswer({ id, detail: null, error: message(error) }),
    );
    return () => {
      live = false;
    };
  }, [id]);

  const current = answer?.id === id ? answer : null;
  const event = current?.detail?.event ?? row;
  const state = current === null ? 'loading' : current.error !== null ? 'error' : 'ready';
  return (
    <aside
      className="event-detail"
      data-testid="event-detail"
      data-state={state}
      data-event-id={id}
      aria-label={`Event ${id}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="event-detail-head">
        <h3>Event #{id}</h3>
        <button type="button" className="close" data-testid="event-detail-close" aria-label="Close the detail (Escape)" title="Close (Escape)" onClick={onClose}>×</button>
      </header>
      {current?.error ? <p className="error" role="alert" data-testid="event-detail-error">{current.error}</p> : null}
      {event ? <EventBody event={event} detail={current?.detail ?? null} /> : <p role="status">Loading…</p>}
    </aside>
  );
}

function EventBody({ event, detail }: { event: StoredEventDto; detail: Detail | null }) {
  const { caseSummary } = useAppState();
  const flags = FLAGS.filter((f) => (event.flags & f.bit) !== 0);
  const source = detail?.source ?? caseSummary?.sources.find((s) => s.id === event.sourceId) ?? null;
  return (
    <>
      <section>
        <h4>Raw line</h4>
        <pre className="raw-line" data-testid="event-raw"><code><LogText text={event.raw} /></code></pre>
        {detail?.rawBytesHex ? (
          <details>
            <summary>Exact bytes (hex)</summary>
            <pre className="raw-line hex" data-testid="event-raw-hex"><code>{detail.rawBytesHex}</code></pre>
          </details>
        ) : null}
        {flags.length > 0 ? (
          <p className="flags" data-testid="event-flags">
            {flags.map((f) => <span key={f.bit} className="flag" title={f.title} data-flag={f.label}>{f.label}</span>)}
          </p>
        ) : null}
      </section>

      <section>
        <h4>Fields</h4>
        <table className="field-table" data-testid="event-fields">
          <tbody>
            {EVENT_FIELDS.map((f) => {
              const text = fieldText(event, f.key);
              if (text === '') return null;
              return (
                <tr key={f.key} data-field={f.ecs}>
                  <th scope="row" title={f.label}>{f.ecs}</th>
                  <td>
                    {f.key === 'ts' ? formatTime(event.ts) : f.pivot ? <PivotValue type={f.pivot} value={text} /> : <LogText text={text} />}
                    {f.queryField ? <FilterToValue field={f.queryField} value={text} /> : null}
                  </td>
                </tr>
              );
            })}
            {Object.entries(event.extra ?? {}).map(([k, v]) => (
              <tr key={`extra.${k}`} data-field={`extra.${k}`}>
                <th scope="row"><LogText text={`extra.${k}`} /></th>
                <td><LogText text={typeof v === 'string' ? v : JSON.stringify(v)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h4>Source</h4>
        <table className="field-table" data-testid="event-source">
          <tbody>
            <tr data-field="file"><th scope="row">file</th><td title={source?.path}>{source ? <LogText text={source.name} /> : `#${event.sourceId}`}</td></tr>
            <tr data-field="line"><th scope="row">line</th><td>{formatCount(event.lineNo)}</td></tr>
            <tr data-field="offset"><th scope="row">byte offset</th><td>{formatCount(event.offset)}</td></tr>
            {source ? (
              <>
                <tr data-field="sha256"><th scope="row">SHA-256</th><td><code className="hash">{source.sha256 ?? '—'}</code></td></tr>
                <tr data-field="format"><th scope="row">format</th><td>{source.format} · {source.timezone}</td></tr>
              </>
            ) : null}
          </tbody>
        </table>
      </section>

      <section>
        <h4>Alerts</h4>
        {detail ? <AlertList alerts={detail.alerts} testId="event-alerts" /> : <p className="muted">—</p>}
      </section>
    </>
  );
}
