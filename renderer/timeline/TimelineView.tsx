import { useMemo, useState } from 'react';
import { filterDto, useAppState } from '../app/app-state.tsx';
import { formatCount, formatTime } from '../format.ts';
import { LEVEL_COLOR, LEVELS, seriesColor } from './levels.ts';
import { TimelineChart } from './TimelineChart.tsx';
import { durationLabel } from './time-axis.ts';
import { useAlertMarks, useHistogram, type StackBy } from './use-histogram.ts';
import './timeline.css';

let rememberedStackBy: StackBy = 'dataset';

/** Events over time, stacked by dataset or level, alerts marked; brushing sets the shared time range. */
export function TimelineView() {
  const { filter, setRange, dataVersion, go } = useAppState();
  const dto = useMemo(() => filterDto(filter), [filter]);
  const [stackBy, setStackByState] = useState<StackBy>(rememberedStackBy);
  const setStackBy = (s: StackBy) => {
    rememberedStackBy = s;
    setStackByState(s);
  };
  const histogram = useHistogram(dto, stackBy, 120, dataVersion);
  const alerts = useAlertMarks(filter.range, dataVersion);
  const alertList = alerts.state === 'ready' ? alerts.value : [];

  const h = histogram.state === 'ready' ? histogram.value : null;
  const state = histogram.state === 'ready' ? (h && h.total > 0 ? 'ready' : 'empty') : histogram.state;
  return (
    <section
      className="timeline-view"
      data-testid="timeline"
      data-state={state}
      data-bucket-ms={h?.bucketMs ?? ''}
      data-total={h?.total ?? ''}
      aria-busy={histogram.state === 'loading'}
    >
      <div className="timeline-controls">
        <fieldset className="stack-by">
          <legend>Stack by</legend>
          {(['dataset', 'level'] as const).map((s) => (
            <label key={s}>
              <input type="radio" name="stack-by" value={s} data-testid={`stack-by-${s}`} checked={stackBy === s} onChange={() => setStackBy(s)} />
              {s}
            </label>
          ))}
        </fieldset>
        {h ? (
          <span className="timeline-summary" data-testid="timeline-summary">
            <strong>{formatCount(h.total)}</strong> events
            {h.from !== null && h.to !== null ? <> from {formatTime(h.from)} to {formatTime(h.to)}</> : null}
            {' '}· bars of {durationLabel(h.bucketMs)}
            {h.untimed > 0 ? <> · {formatCount(h.untimed)} without a time</> : null}
          </span>
        ) : null}
        {filter.range ? (
          <button type="button" data-testid="timeline-zoom-out" onClick={() => setRange(null)}>Clear the range</button>
        ) : (
          <span className="muted">Drag across the bars to select a time range.</span>
        )}
      </div>

      {histogram.state === 'error' ? <p className="error" role="alert" data-testid="timeline-error">{histogram.error}</p> : null}
      {histogram.state === 'loading' ? <p role="status" className="muted">Loading…</p> : null}
      {h && h.total === 0 ? <p className="empty">No events with a time match.</p> : null}
      {h && h.total > 0 ? (
        <TimelineChart histogram={h} stackBy={stackBy} alerts={alertList} height={340} onBrush={setRange} />
      ) : null}

      {h && h.series.length > 0 ? (
        <ul className="timeline-legend" data-testid="timeline-legend">
          {h.series.map((name, i) => (
            <li key={`${i}`}><span className="swatch" style={{ background: seriesColor(name, i, stackBy) }} />{name}</li>
          ))}
        </ul>
      ) : null}

      <div className="timeline-alerts" data-testid="timeline-alerts" data-count={alertList.length}>
        <strong>Alerts{filter.range ? ' in this range' : ''}:</strong>{' '}
        {alerts.state === 'error' ? <span className="muted">{alerts.error}</span> : alertList.length === 0 ? <span className="muted">none</span> : LEVELS.slice().reverse().map((level) => {
          const n = alertList.filter((a) => a.rule.level === level).length;
          return n === 0 ? null : (
            <button key={level} type="button" className="link level-count" data-level={level} onClick={() => go({ view: 'alerts' })}>
              <span className="swatch" style={{ background: LEVEL_COLOR[level] }} />{n} {level}
            </button>
          );
        })}
      </div>
    </section>
  );
}
