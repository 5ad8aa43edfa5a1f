/**
 * The grid's rows: the case read page by page with `events:query-page`'s keyset cursor (ts, id)
 * as the analyst scrolls. The whole filter (query text, range) and the data version are the key:
 * when it changes, the rows start again from the first page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestOf, StoredEventDto, ViewFilterDto } from '../../shared/ipc/contract.ts';
import { countEvents, queryEventsPage } from '../api.ts';

export const PAGE_SIZE = 500;

/** Oldest first or newest first. */
export type EventOrder = NonNullable<RequestOf<'events:query-page'>['order']>;

export interface EventPages {
  key: string;
  filter: ViewFilterDto;
  order: EventOrder;
  rows: StoredEventDto[];
  /** True once a page came back short: there is nothing after the last row. */
  done: boolean;
  fetching: boolean;
  error: string | null;
}

export interface EventTotal {
  count: number;
  exact: boolean;
}

// The last grid's rows outlive the view, so coming back from a dossier finds the same place.
let remembered: EventPages | null = null;

const start = (key: string, filter: ViewFilterDto, order: EventOrder): EventPages =>
  ({ key, filter, order, rows: [], done: false, fetching: false, error: null });

export function useEventPages(
  filter: ViewFilterDto, dataVersion: number, order: EventOrder,
): { pages: EventPages; loadMore(): void; retry(): void } {
  const key = JSON.stringify([filter, order, dataVersion]);
  const [pages, setPages] = useState<EventPages>(() =>
    (remembered?.key === key ? { ...remembered, fetching: false } : start(key, filter, order)));
  // The cursor last asked for, so that re-renders and Strict Mode's double effects ask once.
  const asked = useRef<string | null>(null);

  const fetchAfter = useCallback((p: EventPages) => {
    const last = p.rows.at(-1);
    const ask = `${p.key}#${last?.id ?? 0}`;
    if (p.done || asked.current === ask) return;
    asked.current = ask;
    setPages((s) => (s.key === p.key ? { ...s, fetching: true, error: null } : s));
    queryEventsPage({ filter: p.filter, order: p.order, limit: PAGE_SIZE, ...(last ? { after: { ts: last.ts, id: last.id } } : {}) }).then(
      (rows) => setPages((s) => (s.key !== p.key || s.rows.at(-1) !== last ? s : {
        ...s, rows: s.rows.concat(rows), done: rows.length < PAGE_SIZE, fetching: false,
      })),
      (error: unknown) => setPages((s) => (s.key !== p.key ? s : { ...s, fetching: false, error: message(error) })),
    );
  }, []);

  useEffect(() => {
    if (pages.key !== key) {
      const next = start(key, filter, order);
      setPages(next);
      fetchAfter(next);
    } else if (pages.rows.length === 0) {
      fetchAfter(pages);
    }
    // `filter` and `order` are part of `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    remembered = pages;
  }, [pages]);

  const loadMore = useCallback(() => {
    if (pages.key === key && !pages.fetching && !pages.error) fetchAfter(pages);
  }, [key, pages, fetchAfter]);

  const retry = useCallback(() => {
    if (pages.key !== key) return;
    asked.current = null;
    fetchAfter(pages);
  }, [key, pages, fetchAfter]);

  // Between a filter change and the effect that starts over, the old rows are not shown.
  return { pages: pages.key === key ? pages : start(key, filter, order), loadMore, retry };
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
