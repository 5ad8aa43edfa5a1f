import { useState } from 'react';
import { Bar as RBar, BarChart, CartesianGrid, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MouseHandlerDataParam } from 'recharts';
import type { AlertDto, HistogramDto } from '../../shared/ipc/contract.ts';
import type { TimeRange } from '../app/app-state.tsx';
import { formatCount } from '../format.ts';
import { alertMarks, toBars } from './chart-data.ts';
import { LEVEL_COLOR, seriesColor } from './levels.ts';
import { ChartTip } from './ChartTip.tsx';
import { axisLabel } from './time-axis.ts';
import type { StackBy } from './use-histogram.ts';

interface Props {
  histogram: HistogramDto;
  stackBy: StackBy;
  alerts: readonly AlertDto[];
  height: number;
  /** A drag across the bars (or a click on one) selects their time range. */
  onBrush(range: TimeRange): void;
}

/** Stacked bars of events over time, alerts marked, and a drag to select a range (Kibana-style). */
export function TimelineChart({ histogram, stackBy, alerts, height, onBrush }: Props) {
  const bars = toBars(histogram);
  const marks = alertMarks(alerts, bars, histogram.bucketMs);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);

  const at = (s: MouseHandlerDataParam): number | null => {
    const i = typeof s.activeTooltipIndex === 'number' ? s.activeTooltipIndex : Number(s.activeTooltipIndex);
    return Number.isInteger(i) ? (bars[i]?.start ?? null) : null;
  };
  const finish = () => {
    if (drag) {
      const from = Math.min(drag.from, drag.to);
      onBrush({ from, to: Math.max(drag.from, drag.to) + histogram.bucketMs });
    }
    setDrag(null);
  };

  return (
    <div className="timeline-chart" data-testid="timeline-chart" data-dragging={drag !== null}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={bars}
          barCategoryGap={1}
          margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          onMouseDown={(s) => {
            const t = at(s);
            if (t !== null) setDrag({ from: t, to: t });
          }}
          onMouseMove={(s) => {
            const t = at(s);
            if (drag && t !== null && t !== drag.to) setDrag({ ...drag, to: t });
          }}
          onMouseUp={finish}
          onMouseLeave={() => setDrag(null)}
        >
          <CartesianGrid vertical={false} strokeOpacity={0.35} />
          <XAxis dataKey="start" tickFormatter={(t: number) => axisLabel(t, histogram.bucketMs)} minTickGap={40} tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} width={48} tick={{ fontSize: 11 }} tickFormatter={(n: number) => formatCount(n)} />
          <Tooltip
            isAnimationActive={false}
            cursor={{ fillOpacity: 0.15 }}
            content={({ active, payload, label }) => <ChartTip active={active} payload={payload} label={label} bucketMs={histogram.bucketMs} />}
          />
          {histogram.series.map((name, i) => (
            <RBar key={`s${i}`} dataKey={`s${i}`} name={name} stackId="events" fill={seriesColor(name, i, stackBy)} isAnimationActive={false} />
          ))}
          {marks.map((m) => (
            <ReferenceLine key={`${m.at}|${m.level}`} x={m.at} stroke={LEVEL_COLOR[m.level]} strokeWidth={2} strokeDasharray="3 2" ifOverflow="extendDomain" />
          ))}
          {drag ? <ReferenceArea x1={Math.min(drag.from, drag.to)} x2={Math.max(drag.from, drag.to)} fill="#3b82f6" fillOpacity={0.25} /> : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
