import type { EntityType } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { PivotValue } from '../events/PivotValue.tsx';
import { formatCount } from '../format.ts';

export interface TopItem {
  value: string;
  count: number;
}

/** A top-N list with a bar for each count; entity values are pivots. */
export function TopList({ title, items, pivot, testId }: { title: string; items: readonly TopItem[]; pivot?: EntityType; testId: string }) {
  const max = items.reduce((m, i) => Math.max(m, i.count), 0);
  return (
    <section className="top-list" data-testid={testId}>
      <h4>{title}</h4>
      {items.length === 0 ? <p className="empty">—</p> : (
        <table>
          <tbody>
            {items.map((item, i) => (
              <tr key={i} data-value={item.value} data-count={item.count}>
                <td className="top-value">{pivot ? <PivotValue type={pivot} value={item.value} /> : <LogText text={item.value} />}</td>
                <td className="top-count num">{formatCount(item.count)}</td>
                <td className="top-list-bar"><span style={{ width: `${max > 0 ? (item.count / max) * 100 : 0}%` }} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
