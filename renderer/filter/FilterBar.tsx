import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useAppState } from '../app/app-state.tsx';
import { checkQuery, type QueryProblem } from './query-check.ts';
import './filter.css';

/**
 * The filter bar every view follows: query text applied on Enter, its parse error shown in place
 * as the analyst types. (The brushed range's chip sits beside it: app/RangeChip.tsx.)
 */
export function FilterBar() {
  const { filter, setQuery } = useAppState();
  const [draft, setDraft] = useState(filter.query);
  const input = useRef<HTMLInputElement>(null);
  const mirror = useRef<HTMLDivElement>(null);

  // A pivot, "show these events" or another view may set the query; the bar shows what applies.
  useEffect(() => setDraft(filter.query), [filter.query]);

  const problem = useMemo(() => checkQuery(draft), [draft]);
  const state = problem ? 'invalid' : draft.trim() === filter.query.trim() ? 'applied' : 'edited';

  const syncScroll = () => {
    if (mirror.current && input.current) mirror.current.scrollLeft = input.current.scrollLeft;
  };
  useEffect(syncScroll, [draft, problem]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (!problem) setQuery(draft.trim());
    } else if (e.key === 'Escape' && draft !== filter.query) {
      e.preventDefault();
      setDraft(filter.query);
    }
  };
  const clear = () => {
    setDraft('');
    setQuery('');
    input.current?.focus();
  };

  return (
    <div className="filter-bar" data-testid="filter-bar" data-state={state}>
      <div className="filter-field">
        <div className="filter-mirror" aria-hidden="true" ref={mirror}>
          <MirrorText text={draft} problem={problem} />
        </div>
        <input
          ref={input}
          type="text"
          className="filter-input"
          data-testid="filter-input"
          aria-label="Filter events"
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'filter-error' : undefined}
          placeholder='Filter: words, "phrases", field:value, status>=400, ip:10.0.0.0/8, and/or/not — Enter applies'
          spellCheck={false}
          autoComplete="off"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onScroll={syncScroll}
          onSelect={syncScroll}
        />
      </div>
      {draft !== '' || filter.query !== '' ? (
        <button type="button" className="filter-clear" data-testid="filter-clear" aria-label="Clear the filter" title="Clear the filter" onClick={clear}>×</button>
      ) : null}
      {problem ? (
        <span id="filter-error" className="filter-error" role="alert" data-testid="filter-error">{problem.message}</span>
      ) : state === 'edited' ? (
        <span className="filter-hint muted">Enter applies</span>
      ) : null}
    </div>
  );
}

/** The input's text, transparent, laid exactly under it so the error's span can be underlined. */
function MirrorText({ text, problem }: { text: string; problem: QueryProblem | null }) {
  if (!problem) return <>{text}</>;
  const start = Math.min(problem.start, text.length);
  const end = Math.max(start, Math.min(problem.end, text.length));
  return (
    <>
      {text.slice(0, start)}
      {/* At the end of the text (an unfinished query) there is nothing to underline but the gap after it. */}
      <span className="filter-error-span" data-testid="filter-error-span">{end > start ? text.slice(start, end) : '\u00a0'}</span>
      {text.slice(end)}
    </>
  );
}
