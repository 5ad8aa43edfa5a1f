import { formatTime } from '../format.ts';
import { useAppState } from './app-state.tsx';

/** The brushed time range every view applies, until the analyst clears it. */
export function RangeChip() {
  const { filter, setRange } = useAppState();
  if (!filter.range) return null;
  const { from, to } = filter.range;
  return (
    <span className="range-chip" data-testid="range-chip" data-from={from} data-to={to}>
      <span className="muted">Time</span> {formatTime(from)} → {formatTime(to)}
      <button type="button" className="link" data-testid="clear-range" aria-label="Clear the time range" title="Clear the time range" onClick={() => setRange(null)}>×</button>
    </span>
  );
}
