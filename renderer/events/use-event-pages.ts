/**
 * The grid's rows: a window onto the filter's events (event-window.ts), read page by page with
 * `events:query-page`'s keyset cursor (ts, id) as the analyst scrolls, from the start or, after
 * End, from the end upwards. The whole filter (query text, range), the order and the data version
 * are the key: when it changes, the rows start again from the first page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestOf, StoredEventDto, ViewFilterDto } from '../../shared/ipc/contract.ts';
import { countEvents, queryEventsPage } from '../api.ts';
import { addPage, openSide, openWindow, pageRequest, type EventWindow, type WindowEdge, type WindowSide } from './event-window.ts';

export const PAGE_SIZE = 500;

/** Oldest first or newest first. */
export type EventOrder = NonNullable<RequestOf<'events:query-page'>['order']>;

export interface EventPages extends EventWindow<StoredEventDto> {
  key: string;
  filter: ViewFilterDto;
  order: EventOrder;
  /** Tells one window from the next, even under the same key. */
  serial: number;
  /** The window was opened by Home or End: the grid selects its edge row once it arrives. */
  jumped: boolean;
  fetching: boolean;
  error: string | null;
}

export interface EventTotal {
  count: number;
  exact: boolean;
}

// The last grid's rows outlive the view, so coming back from a dossier finds the same place.
let remembered: EventPages | null = null;
let serials = 0;

const blank = (key: string, filter: ViewFilterDto, order: EventOrder, edge: WindowEdge = 'start', jumped = false): EventPages =>
  ({ ...openWindow<StoredEventDto>(edge), key, filter, order, serial: 0, jumped, fetching: false, error: null });
const start = (key: string, filter: ViewFilterDto, order: EventOrder, edge: WindowEdge = 'start', jumped = false): EventPages =>
  ({ ...blank(key, filter, order, edge, jumped), serial: ++serials });

const edgeRow = (p: EventPages, side: WindowSide): StoredEventDto | undefined => (side === 'after' ? p.rows.at(-1) : p.rows[0]);

export function useEventPages(
  filter: ViewFilterDto, dataVersion: number, order: EventOrder,
): { pages: EventPages; loadMore(): void; loadEarlier(): void; jump(edge: WindowEdge): void; retry(): void } {
  const key = JSON.stringify([filter, order, dataVersion]);
  const [pages, setPages] = useState<EventPages>(() =>
    (remembered?.key === key ? { ...remembered, fetching: false } : start(key, filter, order)));
  // The cursor last asked for, so that re-renders and Strict Mode's double effects ask once.
  const asked = useRef<string | null>(null);

  const fetchSide = useCallback((p: EventPages, side: WindowSide) => {
    const request = pageRequest(p, p.order, side, PAGE_SIZE);
    const edge = edgeRow(p, side);
    const ask = `${p.serial}#${side}#${edge?.id ?? 0}`;
    if (!request || asked.current === ask) return;
    asked.current = ask;
    const current = (s: EventPages): boolean => s.serial === p.serial && edgeRow(s, side) === edge;
    setPages((s) => (s.serial === p.serial ? { ...s, fetching: true, error: null } : s));
    queryEventsPage({ filter: p.filter, ...request }).then(
      (rows) => setPages((s) => (!current(s) ? s : { ...addPage(s, side, rows, PAGE_SIZE), fetching: false })),
      (error: unknown) => setPages((s) => (s.serial !== p.serial ? s : { ...s, fetching: false, error: message(error) })),
    );
  }, []);

  const fill = useCallback((p: EventPages) => {
    const side = openSide(p);
    if (side) fetchSide(p, side);
  }, [fetchSide]);

  useEffect(() => {
    if (pages.key !== key) {
      const next = start(key, filter, order);
      setPages(next);
      fill(next);
    } else if (pages.rows.length === 0) {
      fill(pages);
    }
    // `filter` and `order` are part of `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    remembered = pages;
  }, [pages]);

  const usable = pages.key === key && !pages.fetching && !pages.error;
  const loadMore = useCallback(() => {
    if (usable) fetchSide(pages, 'after');
  }, [usable, pages, fetchSide]);

  const loadEarlier = useCallback(() => {
    if (usable) fetchSide(pages, 'before');
  }, [usable, pages, fetchSide]);

  const jump = useCallback((edge: WindowEdge) => {
    if (pages.key !== key) return;
    const next = start(key, pages.filter, pages.order, edge, true);
    setPages(next);
    fill(next);
  }, [key, pages, fill]);

  const retry = useCallback(() => {
    if (pages.key !== key) return;
    asked.current = null;
    fill(pages);
  }, [key, pages, fill]);

  // Between a filter change and the effect that starts over, the old rows are not shown.
  return { pages: pages.key === key ? pages : blank(key, filter, order), loadMore, loadEarlier, jump, retry };
}

/** How many events the filter matches (a lower bound when the engine stopped counting). */
export function useEventTotal(filter: ViewFilterDto, dataVersion: number): EventTotal | null {
  const key = JSON.stringify([filter, dataVersion]);
  const [total, setTotal] = useState<{ key: string; value: EventTotal | null }>({ key: '', value: null });
  useEffect(() => {
    let live = true;
    countEvents({ filter }).then(
      (value) => live && setTotal({ key, value }),
      () => live && setTotal({ key, value: null }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return total.key === key ? total.value : null;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
