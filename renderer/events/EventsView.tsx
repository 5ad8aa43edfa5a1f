import { useEffect, useMemo, useRef, useState } from 'react';
import { filterDto, useAppState } from '../app/app-state.tsx';
import { formatCount } from '../format.ts';
import { FilterBulkLookup } from '../intel/BulkLookup.tsx';
import { EventDetail } from './EventDetail.tsx';
import { EventsGrid } from './EventsGrid.tsx';
import { isComplete } from './event-window.ts';
import { useColumnLayout } from './grid-columns.tsx';
import { useEventPages, useEventTotal, type EventOrder } from './use-event-pages.ts';
import './events.css';

interface Place {
  key: string;
  scrollTop: number;
  /** The selected event, by id: rows read above it (after End) move it down, not off it. */
  selectedId: number | null;
  detailId: number | null;
}

// Where the analyst was in the last grid, so a pivot to a dossier and back lands on the same row.
let rememberedPlace: Place | null = null;
let rememberedOrder: EventOrder = 'asc';

/** The event grid over the whole case, following the shared filter, with its detail pane. */
export function EventsView() {
  const { filter, dataVersion, eventsVersion, route, caseSummary } = useAppState();
  const dto = useMemo(() => filterDto(filter), [filter]);
  const [order, setOrder] = useState<EventOrder>(rememberedOrder);
  const { pages, loadMore, loadEarlier, jump, retry, viewAtEdge } = useEventPages(dto, eventsVersion, order);
  const counted = useEventTotal(dto, eventsVersion);
  // Until (or unless) the engine counts: every row is loaded, or the filter is empty and the
  // case's own line count is the answer.
  const total = counted
    ?? (isComplete(pages) ? { count: pages.rows.length, exact: true } : null)
    ?? (Object.keys(dto).length === 0 && caseSummary ? { count: caseSummary.eventCount, exact: true } : null);
  const layout = useColumnLayout();

  const initial = rememberedPlace?.key === pages.key ? rememberedPlace : null;
  const [place, setPlace] = useState<Place>(initial ?? { key: pages.key, scrollTop: 0, selectedId: null, detailId: null });
  const scrollTop = useRef(place.scrollTop);

  // A new filter: nothing is selected, the detail pane stays on the event it shows.
  if (place.key !== pages.key) setPlace({ key: pages.key, scrollTop: 0, selectedId: null, detailId: place.detailId });

  const focusEventId = route.view === 'events' ? route.focusEventId : undefined;
  useEffect(() => {
    if (focusEventId !== undefined) setPlace((p) => ({ ...p, detailId: focusEventId }));
  }, [focusEventId]);

  useEffect(() => {
    rememberedPlace = { ...place, scrollTop: scrollTop.current };
  });

  const selected = useMemo(() => {
    if (place.selectedId === null) return null;
    const i = pages.rows.findIndex((e) => e.id === place.selectedId);
    return i < 0 ? null : i;
  }, [pages.rows, place.selectedId]);
  const select = (i: number) => {
    const id = pages.rows[i]?.id;
    if (id === undefined) return;
    // An open detail pane follows the selection.
    setPlace((p) => ({ ...p, selectedId: id, detailId: p.detailId !== null ? id : null }));
  };
  const open = (i: number) => {
    const id = pages.rows[i]?.id;
    if (id !== undefined) setPlace((p) => ({ ...p, selectedId: id, detailId: id }));
  };
  const close = () => setPlace((p) => ({ ...p, detailId: null }));
  const detailRow = place.detailId === null ? undefined : pages.rows.find((e) => e.id === place.detailId);

  const toolbar = (
    <span className="events-count" data-testid="events-count">
      <strong data-testid="events-total">{total ? `${total.exact ? '' : '≥ '}${formatCount(total.count)}` : '…'}</strong> events
      <span className="muted"> · {formatCount(pages.rows.length)} loaded</span>
      <FilterBulkLookup filter={dto} eventsVersion={eventsVersion} />
    </span>
  );

  return (
    <div className={place.detailId !== null ? 'events-view with-detail' : 'events-view'} data-testid="events-view">
      <EventsGrid
        pages={pages}
        loadMore={loadMore}
        loadEarlier={loadEarlier}
        jump={jump}
        retry={retry}
        viewAtEdge={viewAtEdge}
        total={total}
        selected={selected}
        onSelect={select}
        onOpen={open}
        onClose={close}
        layout={layout}
        initialScrollTop={place.scrollTop}
        onScrollTopChange={(top) => {
          // Scrolling re-renders the grid only, so the remembered place is kept up to date here.
          scrollTop.current = top;
          if (rememberedPlace?.key === place.key) rememberedPlace.scrollTop = top;
        }}
        toolbar={toolbar}
        order={order}
        onOrderChange={(next) => {
          rememberedOrder = next;
          setOrder(next);
        }}
        dataVersion={dataVersion}
      />
      {place.detailId !== null ? <EventDetail id={place.detailId} row={detailRow} onClose={close} /> : null}
    </div>
  );
}
