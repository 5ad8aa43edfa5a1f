import type { TooltipPayload } from 'recharts';
import { formatCount, formatTime } from '../format.ts';
import { durationLabel } from './time-axis.ts';

/** A bar's tooltip: its time span and the stacks it holds, empty ones left out. */
interface Props {
  active: boolean;
  payload: TooltipPayload;
  label: string | number | undefined;
  bucketMs: number;
}

export function ChartTip({ active, payload, label, bucketMs }: Props) {
  if (!active || payload.length === 0 || label === undefined) return null;
  const shown = payload.filter((p) => Number(p.value) > 0);
  const total = shown.reduce((n, p) => n + Number(p.value), 0);
  return (
    <div className="chart-tip">
      <div className="chart-tip-time">{formatTime(Number(label))} · {durationLabel(bucketMs)}</div>
      {shown.slice().reverse().map((p) => (
        <div key={String(p.dataKey)} className="chart-tip-row">
          <span className="swatch" style={{ background: p.color }} />
          <span className="chart-tip-name">{String(p.name)}</span>
          <span className="chart-tip-count">{formatCount(Number(p.value))}</span>
        </div>
      ))}
      <div className="chart-tip-row chart-tip-total"><span /><span>total</span><span className="chart-tip-count">{formatCount(total)}</span></div>
    </div>
  );
}
