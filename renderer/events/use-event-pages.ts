/**
 * The grid's rows: a window onto the filter's events (event-window.ts), read page by page with
 * `events:query-page`'s keyset cursor (ts, id) as the analyst scrolls, from the start or, after
 * End, from the end upwards. The whole filter (query text, range) and the order are the key: when
 * it changes, the rows start again from the first page. New data (a live feed pushes a summary
 * every second) re-reads the window from the edge it was opened at when the view is there, so an
 * analyst watching the tail after End stays there, the old rows on screen until the new ones are
 * in; a view further in keeps its rows, and the side new events arrive on reads them on scrolling.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { RequestOf, StoredEventDto, ViewFilterDto } from '../../shared/ipc/contract.ts';
import { countEvents, queryEventsPage } from '../api.ts';
import { addPage, afterNewData, dataStep, openSide, openWindow, pageRequest, reopen, reread, type EventWindow, type WindowEdge, type WindowSide } from './event-window.ts';

export const PAGE_SIZE = 500;
/** Rows a re-read after new data keeps at most: only a view at the window's edge re-reads, so rows beyond are far from it. */
export const REREAD_MAX = 4 * PAGE_SIZE;

/** Oldest first or newest first. */
export type EventOrder = NonNullable<RequestOf<'events:query-page'>['order']>;

export interface EventPages extends EventWindow<StoredEventDto> {
  key: string;
  filter: ViewFilterDto;
  order: EventOrder;
  /** The case's data version the rows were read at. */
  version: number;
  /** Tells one window from the next, even under the same key. */
  serial: number;
  /** The window was opened by Home or End: the grid selects its edge row once it arrives. */
  jumped: boolean;
  /** The window is an earlier one read again for new data: the grid keeps an analyst at its edge there. */
  reread: boolean;
  fetching: boolean;
  /** New data is being read; the rows shown are the previous version's until it is in. */
  rereading: boolean;
  /** The data version whose re-read failed: not tried again until Retry or newer data. */
  failedAt: number | null;
  error: string | null;
}

export interface EventTotal {
  count: number;
  exact: boolean;
}

// The last grid's rows outlive the view, so coming back from a dossier finds the same place.
let remembered: EventPages | null = null;
let serials = 0;

const blank = (key: string, filter: ViewFilterDto, order: EventOrder, version: number, edge: WindowEdge = 'start', jumped = false): EventPages =>
  ({ ...openWindow<StoredEventDto>(edge), key, filter, order, version, serial: 0, jumped, reread: false, fetching: false, rereading: false, failedAt: null, error: null });
const start = (key: string, filter: ViewFilterDto, order: EventOrder, version: number, edge: WindowEdge = 'start', jumped = false): EventPages =>
  ({ ...blank(key, filter, order, version, edge, jumped), serial: ++serials });

const edgeRow = (p: EventPages, side: WindowSide): StoredEventDto | undefined => (side === 'after' ? p.rows.at(-1) : p.rows[0]);

export function useEventPages(
  filter: ViewFilterDto, dataVersion: number, order: EventOrder,
): {
  pages: EventPages; loadMore(): void; loadEarlier(): void; jump(edge: WindowEdge): void; retry(): void;
  /** Set by the grid: whether its view is at the given edge of its rows (where the window was opened). */
  viewAtEdge: RefObject<(edge: WindowEdge) => boolean>;
} {
  const key = JSON.stringify([filter, order]);
  const [pages, setPages] = useState<EventPages>(() =>
    (remembered?.key === key ? { ...remembered, fetching: false, rereading: false } : start(key, filter, order, dataVersion)));
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

  // New data: a view at the window's opening edge re-reads it from there, any other keeps its rows
  // and reopens the side new events arrive on (event-window.ts). One re-read at a time: the effect
  // below starts the next once this one has landed (dataStep). Rows read meanwhile (the analyst
  // left the edge) win over the re-read. A re-read of a jump whose first page was not in yet still
  // lands the grid on its edge.
  const viewAtEdge = useRef<(edge: WindowEdge) => boolean>(() => true);
  const updating = useRef<string | null>(null);
  const update = useCallback((p: EventPages, version: number) => {
    const ask = `${p.serial}@${version}`;
    if (updating.current === ask) return;
    updating.current = ask;
    const reopened = (s: EventPages): EventPages => ({ ...reopen(s, s.order), version, rereading: false, failedAt: null });
    if (afterNewData(p, p.order, viewAtEdge.current(p.edge)) !== 'reread') {
      asked.current = null;
      setPages((s) => (s.serial === p.serial ? reopened(s) : s));
      return;
    }
    setPages((s) => (s.serial === p.serial ? { ...s, rereading: true, error: null, failedAt: null } : s));
    reread(p, p.order, PAGE_SIZE, REREAD_MAX, (request) => queryEventsPage({ filter: p.filter, ...request })).then(
      (w) => {
        asked.current = null;
        setPages((s) => (s.serial !== p.serial ? s : s.rows !== p.rows ? reopened(s)
          : { ...s, ...w, version, serial: ++serials, jumped: s.jumped && s.rows.length === 0, reread: true, fetching: false, rereading: false }));
      },
      (error: unknown) => setPages((s) => (s.serial !== p.serial ? s
        : { ...s, rereading: false, failedAt: version, error: message(error) })),
    );
  }, []);

  useEffect(() => {
    if (pages.key !== key) {
      const next = start(key, filter, order, dataVersion);
      setPages(next);
      fill(next);
    } else if (dataStep(pages, dataVersion) === 'update') {
      // Even an empty, complete window: the first events of a live feed into a new case.
      update(pages, dataVersion);
    } else if (pages.version === dataVersion && pages.rows.length === 0) {
      fill(pages);
    }
    // `filter` and `order` are part of `key`; the version and re-read state start the next re-read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, dataVersion, pages.version, pages.rereading]);

  useEffect(() => {
    remembered = pages;
  }, [pages]);

  // A running re-read does not hold reading on: rows read meanwhile are kept over it.
  const usable = pages.key === key && !pages.fetching && !pages.error;
  const loadMore = useCallback(() => {
    if (usable) fetchSide(pages, 'after');
  }, [usable, pages, fetchSide]);

  const loadEarlier = useCallback(() => {
    if (usable) fetchSide(pages, 'before');
  }, [usable, pages, fetchSide]);

  const jump = useCallback((edge: WindowEdge) => {
    if (pages.key !== key) return;
    const next = start(key, pages.filter, pages.order, dataVersion, edge, true);
    setPages(next);
    fill(next);
  }, [key, dataVersion, pages, fill]);

  const retry = useCallback(() => {
    if (pages.key !== key) return;
    asked.current = null;
    if (pages.version !== dataVersion) {
      updating.current = null;
      update(pages, dataVersion);
    } else fill(pages);
  }, [key, dataVersion, pages, fill, update]);

  // Between a filter change and the effect that starts over, the old rows are not shown.
  return { pages: pages.key === key ? pages : blank(key, filter, order, dataVersion), loadMore, loadEarlier, jump, retry, viewAtEdge };
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
