/**
 * What every view shares: which view is shown, the filter (filter-bar text and brushed time range)
 * that every view applies, the open case, and a data version that changes when the case's content
 * changes (an import, a triage) so views fetch again.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { CaseSummary, ViewFilterDto } from '../../shared/ipc/contract.ts';

export type EntityType = 'ip' | 'user' | 'host';
export interface Entity { type: EntityType; value: string }

export type Route =
  | { view: 'start' }
  | { view: 'import' }
  | { view: 'live' }
  | { view: 'settings' }
  | { view: 'timeline' }
  | { view: 'events'; focusEventId?: number }
  | { view: 'alerts'; alertId?: number }
  | { view: 'dossier'; entity: Entity };

export type ViewName = Route['view'];

/** A brushed range: inclusive `from`, exclusive `to`, UTC ms. */
export interface TimeRange { from: number; to: number }

export interface ViewFilter {
  /** Filter-bar text in the shared/query grammar; '' matches everything. */
  query: string;
  range: TimeRange | null;
}

export interface AppState {
  route: Route;
  go(route: Route): void;
  filter: ViewFilter;
  setQuery(query: string): void;
  setRange(range: TimeRange | null): void;
  /** Shows the dossier of an IP, user or host. */
  pivot(entity: Entity): void;
  /** Shows the grid with this filter-bar text (and range, if given), e.g. an alert's events. */
  showEvents(query: string, range?: TimeRange | null): void;
  caseSummary: CaseSummary | null;
  setCaseSummary(summary: CaseSummary | null): void;
  /**
   * A case was opened or replaced: its summary, a cleared filter, fresh data, and the first view
   * worth seeing (the timeline, or the import view for an empty case).
   */
  caseOpened(summary: CaseSummary): void;
  /** Changes whenever the case's data changed; views list it in their effects' dependencies. */
  dataVersion: number;
  /** Changes only when the case's events did (an import, a live feed), not on an alert's triage: the event grid's rows and count follow it. */
  eventsVersion: number;
  /** Something in the case changed: its events (the default) or only its alerts. */
  dataChanged(what?: 'events' | 'alerts'): void;
}

const AppStateContext = createContext<AppState | null>(null);

export function AppStateProvider({ children }: { children: ReactNode }) {
  const [route, go] = useState<Route>({ view: 'start' });
  const [filter, setFilter] = useState<ViewFilter>({ query: '', range: null });
  const [caseSummary, setCaseSummary] = useState<CaseSummary | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const [eventsVersion, setEventsVersion] = useState(0);

  const setQuery = useCallback((query: string) => setFilter((f) => ({ ...f, query })), []);
  const setRange = useCallback((range: TimeRange | null) => setFilter((f) => ({ ...f, range })), []);
  const pivot = useCallback((entity: Entity) => go({ view: 'dossier', entity }), []);
  const showEvents = useCallback((query: string, range?: TimeRange | null) => {
    setFilter((f) => ({ query, range: range === undefined ? f.range : range }));
    go({ view: 'events' });
  }, []);
  const dataChanged = useCallback((what: 'events' | 'alerts' = 'events') => {
    setDataVersion((v) => v + 1);
    if (what === 'events') setEventsVersion((v) => v + 1);
  }, []);
  const caseOpened = useCallback((summary: CaseSummary) => {
    setCaseSummary(summary);
    setFilter({ query: '', range: null });
    setDataVersion((v) => v + 1);
    setEventsVersion((v) => v + 1);
    go(summary.eventCount > 0 ? { view: 'timeline' } : { view: 'import' });
  }, []);

  const value = useMemo<AppState>(() => ({
    route, go, filter, setQuery, setRange, pivot, showEvents, caseSummary, setCaseSummary, caseOpened, dataVersion, eventsVersion, dataChanged,
  }), [route, filter, setQuery, setRange, pivot, showEvents, caseSummary, caseOpened, dataVersion, eventsVersion, dataChanged]);
  return <AppStateContext.Provider value={value}>{children}</AppStateContext.Provider>;
}

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState outside <AppStateProvider>');
  return state;
}

/** The filter as the IPC contract takes it. */
export function filterDto(filter: ViewFilter): ViewFilterDto {
  return {
    ...(filter.query.trim() !== '' ? { query: filter.query } : {}),
    ...(filter.range ? { from: filter.range.from, to: filter.range.to } : {}),
  };
}
