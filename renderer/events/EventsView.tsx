import { useEffect, useMemo, useRef, useState } from 'react';
import { filterDto, useAppState } from '../app/app-state.tsx';
import { formatCount } from '../format.ts';
import { BulkLookup } from '../intel/BulkLookup.tsx';
import { EventDetail } from './EventDetail.tsx';
import { EventsGrid } from './EventsGrid.tsx';
import { useColumnLayout } from './grid-columns.tsx';
import { useEventPages, useEventTotal, type EventOrder } from './use-event-pages.ts';
import './events.css';

interface Place {
  key: string;
  scrollTop: number;
  selected: number | null;
  detailId: number | null;
}

// Where the analyst was in the last grid, so a pivot to a dossier and back lands on the same row.
let rememberedPlace: Place | null = null;
let rememberedOrder: EventOrder = 'asc';

/** The event grid over the whole case, following the shared filter, with its detail pane. */
export function EventsView() {
  const { filter, dataVersion, route, caseSummary } = useAppState();
  const dto = useMemo(() => filterDto(filter), [filter]);
  const [order, setOrder] = useState<EventOrder>(rememberedOrder);
  const { pages, loadMore, retry } = useEventPages(dto, dataVersion, order);
  const counted = useEventTotal(dto, dataVersion);
  // Until (or unless) the engine counts: every row is loaded, or the filter is empty and the
  // case's own line count is the answer.
  const total = counted
    ?? (pages.done ? { count: pages.rows.length, exact: true } : null)
    ?? (Object.keys(dto).length === 0 && caseSummary ? { count: caseSummary.eventCount, exact: true } : null);
  const layout = useColumnLayout();

  const initial = rememberedPlace?.key === pages.key ? rememberedPlace : null;
  const [place, setPlace] = useState<Place>(initial ?? { key: pages.key, scrollTop: 0, selected: null, detailId: null });
  const scrollTop = useRef(place.scrollTop);

  // A new filter: nothing is selected, the detail pane stays on the event it shows.
  if (place.key !== pages.key) setPlace({ key: pages.key, scrollTop: 0, selected: null, detailId: place.detailId });

  const focusEventId = route.view === 'events' ? route.focusEventId : undefined;
  useEffect(() => {
    if (focusEventId !== undefined) setPlace((p) => ({ ...p, detailId: focusEventId }));
  }, [focusEventId]);

  useEffect(() => {
    rememberedPlace = { ...place, scrollTop: scrollTop.current };
  });

  const rowAt = (i: number | null) => (i === null ? undefined : pages.rows[i]);
  const select = (i: number) => setPlace((p) => ({
    ...p, selected: i,
    // An open detail pane follows the selection.
    detailId: p.detailId !== null ? (rowAt(i)?.id ?? p.detailId) : null,
  }));
  const open = (i: number) => setPlace((p) => ({ ...p, selected: i, detailId: rowAt(i)?.id ?? null }));
  const close = () => setPlace((p) => ({ ...p, detailId: null }));
  const detailRow = place.detailId === null ? undefined : pages.rows.find((e) => e.id === place.detailId);

  const toolbar = (
    <span className="events-count" data-testid="events-count">
      <strong data-testid="events-total">{total ? `${total.exact ? '' : '≥ '}${formatCount(total.count)}` : '…'}</strong> events
      <span className="muted"> · {formatCount(pages.rows.length)} loaded</span>
      <BulkLookup rows={pages.rows} />
    </span>
  );

  return (
    <div className={place.detailId !== null ? 'events-view with-detail' : 'events-view'} data-testid="events-view">
      <EventsGrid
        pages={pages}
        loadMore={loadMore}
        retry={retry}
        selected={place.selected}
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
