import { LogText } from '../events/LogText.tsx';
import { formatCount } from '../format.ts';
import type { LookupState } from './use-lookup.ts';
import './intel.css';

const counted = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/** A lookup's progress while it runs (with Cancel), then what it did and each failure, as text. */
export function LookupStatus({ state, onCancel, testId }: { state: LookupState; onCancel(): void; testId: string }) {
  const { running, progress, outcome, error } = state;
  if (!running && !outcome && !error) return null;
  return (
    <div className="lookup-status" data-testid={testId} data-state={running ? 'running' : error ? 'error' : 'done'}>
      {running && progress ? (
        <>
          <progress max={Math.max(progress.total, 1)} value={progress.done} />
          <span data-testid={`${testId}-progress`}> {formatCount(progress.done)} of {formatCount(progress.total)} · {formatCount(progress.sent)} requests sent </span>
          <button type="button" data-testid={`${testId}-cancel`} onClick={onCancel}>Cancel</button>
        </>
      ) : null}
      {error ? <p className="error" role="alert"><LogText text={error} /></p> : null}
      {outcome ? (
        <p data-testid={`${testId}-summary`}>
          {outcome.cancelled ? 'Cancelled: ' : ''}
          {counted(outcome.results.length, 'answer')} ({formatCount(outcome.results.filter((r) => r.cached).length)} from the case),{' '}
          {counted(outcome.sent, 'request')} sent, {formatCount(outcome.errors.length)} failed.
        </p>
      ) : null}
      {outcome && outcome.errors.length > 0 ? (
        <ul className="lookup-errors" data-testid={`${testId}-errors`}>
          {outcome.errors.slice(0, 20).map((e, i) => (
            <li key={i} data-error={e.error}><LogText text={e.message} /></li>
          ))}
          {outcome.errors.length > 20 ? <li className="muted">and {formatCount(outcome.errors.length - 20)} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
