import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DossierDto } from '../../shared/ipc/contract.ts';
import { ChartTip } from '../timeline/ChartTip.tsx';
import { axisLabel } from '../timeline/time-axis.ts';

/** The entity's own activity over time. */
export function DossierTimeline({ timeline }: { timeline: DossierDto['timeline'] }) {
  if (timeline.buckets.length === 0) return <p className="empty">No timed events.</p>;
  return (
    <div className="dossier-timeline" data-testid="dossier-timeline" data-buckets={timeline.buckets.length}>
      <ResponsiveContainer width="100%" height={120}>
        <BarChart data={timeline.buckets} barCategoryGap={1} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis dataKey="start" tickFormatter={(t: number) => axisLabel(t, timeline.bucketMs)} minTickGap={40} tick={{ fontSize: 10 }} />
          <YAxis allowDecimals={false} width={40} tick={{ fontSize: 10 }} />
          <Tooltip
            isAnimationActive={false}
            content={({ active, payload, label }) => <ChartTip active={active} payload={payload} label={label} bucketMs={timeline.bucketMs} />}
          />
          <Bar dataKey="count" name="events" fill="#2563eb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
