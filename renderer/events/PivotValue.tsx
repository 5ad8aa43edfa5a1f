import type { MouseEvent } from 'react';
import { useAppState, type EntityType } from '../app/app-state.tsx';
import { andClause, fieldClause } from '../filter/query-text.ts';
import { LogText } from './LogText.tsx';

const NOUN: Record<EntityType, string> = { ip: 'IP', user: 'user', host: 'host' };

/** An IP, user or host from a log: a click opens its dossier. The value is only ever text. */
export function PivotValue({ type, value }: { type: EntityType; value: string }) {
  const { pivot } = useAppState();
  const open = (e: MouseEvent) => {
    e.stopPropagation();
    pivot({ type, value });
  };
  return (
    <button type="button" className="entity-link" data-pivot={type} title={`Open the dossier of this ${NOUN[type]}`} onClick={open}>
      <LogText text={value} />
    </button>
  );
}

/** "Filter to this value": narrows the shared query to `field:value`. */
export function FilterToValue({ field, value }: { field: string; value: string }) {
  const { filter, setQuery } = useAppState();
  const clause = fieldClause(field, value);
  const narrow = (e: MouseEvent) => {
    e.stopPropagation();
    setQuery(andClause(filter.query, clause));
  };
  return (
    <button type="button" className="filter-to" data-testid="filter-to-value" title={`Filter to ${clause}`} aria-label={`Filter to ${clause}`} onClick={narrow}>
      ⊕
    </button>
  );
}
