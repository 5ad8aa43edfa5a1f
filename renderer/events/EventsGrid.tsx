import { useCallback, useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import { FETCHED_INTEL_COLUMNS } from '../intel/intel-columns.tsx';
import { IpSummariesProvider } from '../intel/ip-summaries.tsx';
import { ColumnPicker } from './ColumnPicker.tsx';
import { cellClass, GRID_COLUMNS, gridFeatures, type ColumnLayout } from './grid-columns.tsx';
import { isComplete, type WindowEdge } from './event-window.ts';
import type { EventOrder, EventPages, EventTotal } from './use-event-pages.ts';

/** Dense rows, like Timeline Explorer's; the height is fixed so the virtualizer needs no measuring. */
export const ROW_HEIGHT = 22;
/** Start fetching the next page while this many loaded rows are still below (or, after End, above) the view. */
const PREFETCH_ROWS = 200;

interface Props {
  pages: EventPages;
  loadMore(): void;
  /** Reads the page above the first row (a window opened at the end). */
  loadEarlier(): void;
  /** Opens the window at the filter's first or last event (Home, End). */
  jump(edge: WindowEdge): void;
  retry(): void;
  /** Filled in by the grid: whether the view is at the top ('start') or the bottom ('end') of the rows. */
  viewAtEdge: RefObject<(edge: WindowEdge) => boolean>;
  /** The filter's event count, if known: places a window opened at the end for assistive tech. */
  total: EventTotal | null;
  selected: number | null;
  onSelect(index: number): void;
  /** Enter or a double click on a row. */
  onOpen(index: number): void;
  /** Escape. */
  onClose(): void;
  layout: ColumnLayout;
  /** Where to start when the view comes back to rows it showed before. */
  initialScrollTop: number;
  onScrollTopChange(scrollTop: number): void;
  toolbar: ReactNode;
  order: EventOrder;
  onOrderChange(order: EventOrder): void;
  /** Changes with the case's data: the intel columns fetch again. */
  dataVersion: number;
}

/**
 * The event grid: TanStack Table in manual mode (the engine filters and orders; the table only lays
 * out columns) over TanStack Virtual, which renders the rows in view out of every row loaded so far.
 * After End the loaded rows are the filter's last ones and grow upwards as the analyst goes up.
 */
export function EventsGrid(props: Props) {
  const { pages, loadMore, loadEarlier, jump, selected, onSelect, onOpen, onClose, layout } = props;
  const table = useTable({
    features: gridFeatures,
    columns: GRID_COLUMNS,
    data: pages.rows,
    getRowId: (e: StoredEventDto) => String(e.id),
    columnResizeMode: 'onChange',
    state: { columnVisibility: layout.visibility, columnSizing: layout.sizing },
    onColumnVisibilityChange: (u) => layout.setVisibility(typeof u === 'function' ? u(layout.visibility) : u),
    onColumnSizingChange: (u) => layout.setSizing(typeof u === 'function' ? u(layout.sizing) : u),
  });
  const rows = table.getRowModel().rows;
  const columns = table.getVisibleLeafColumns();
  const width = table.getTotalSize();

  const body = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLDivElement>(null);
  // Stable while the rows are, so the virtualizer keeps its measurements between scroll frames.
  const keyOf = useCallback((i: number) => pages.rows[i]?.id ?? -1 - i, [pages.rows]);
  // New data re-reads the window (a new serial, `reread`) when the view is at the edge it was opened
  // at: an analyst at its bottom (after End, oldest first) sees the new events arrive below and
  // stays at the tail; one at its very top with the filter's first event there (newest first) sees
  // them arrive above. Elsewhere the rows stay (use-event-pages.ts), and as when rows are read above
  // the view, the row at the top of the view stays where it is.
  const rendered = useRef(pages.serial);
  const atTop = useRef(props.initialScrollTop <= 1);
  const freshReread = pages.reread && rendered.current !== pages.serial;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => body.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    initialOffset: props.initialScrollTop,
    getItemKey: keyOf,
    anchorTo: freshReread && atTop.current && pages.hasFirst ? 'start' : 'end',
    followOnAppend: freshReread && pages.hasLast ? 'auto' : false,
  });
  useEffect(() => {
    rendered.current = pages.serial;
  }, [pages.serial]);
  const { viewAtEdge } = props;
  useEffect(() => {
    viewAtEdge.current = (edge) => {
      const el = body.current;
      if (!el) return true;
      return edge === 'start' ? el.scrollTop <= 1 : el.scrollHeight - el.clientHeight - el.scrollTop <= ROW_HEIGHT;
    };
  }, [viewAtEdge]);
  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items.at(-1)?.index ?? -1;

  // A new filter starts at the top.
  const shownKey = useRef(pages.key);
  useEffect(() => {
    if (shownKey.current !== pages.key && body.current) body.current.scrollTop = 0;
    shownKey.current = pages.key;
  }, [pages.key]);

  const pageRows = () => Math.max(1, Math.floor((body.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
  const moveTo = (index: number) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    onSelect(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
    if (i >= rows.length - pageRows() - 1) loadMore();
    if (i <= pageRows()) loadEarlier();
  };
  // Home and End on a window that does not hold that edge open a new one there; once its first
  // page is in, the edge row is selected.
  const toEdge = (edge: WindowEdge) => {
    if (edge === 'start' ? pages.hasFirst : pages.hasLast) moveTo(edge === 'start' ? 0 : rows.length - 1);
    else jump(edge);
  };
  const landed = useRef(pages.serial);
  const landing = pages.jumped && landed.current !== pages.serial;
  useEffect(() => {
    if (landed.current === pages.serial || (pages.jumped && rows.length === 0)) return;
    landed.current = pages.serial;
    if (!pages.jumped) return;
    const i = pages.edge === 'start' ? 0 : rows.length - 1;
    onSelect(i);
    virtualizer.scrollToIndex(i, { align: pages.edge });
  });

  // Infinite scroll: ask for the next page before the analyst reaches the end of what is loaded,
  // or, in a window opened at the end, its top. Not before a jump has scrolled to its edge: the
  // rows in view until then are the old scroll position's.
  useEffect(() => {
    if (!pages.hasLast && !landing && rows.length > 0 && lastShown >= rows.length - PREFETCH_ROWS) loadMore();
  }, [lastShown, rows.length, pages.hasLast, landing, loadMore]);
  useEffect(() => {
    const top = Math.floor((body.current?.scrollTop ?? 0) / ROW_HEIGHT);
    if (!pages.hasFirst && !landing && rows.length > 0 && top < PREFETCH_ROWS) loadEarlier();
  }, [firstShown, rows.length, pages.hasFirst, landing, loadEarlier]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys pressed on a link or button inside a row are theirs.
    if (e.target !== e.currentTarget) return;
    const at = selected ?? -1;
    switch (e.key) {
      case 'ArrowDown': moveTo(at + 1); break;
      case 'ArrowUp': moveTo(Math.max(at - 1, 0)); break;
      case 'PageDown': moveTo(at + pageRows()); break;
      case 'PageUp': moveTo(Math.max(at - pageRows(), 0)); break;
      // With or without Ctrl: the filter's first or last event, however many lie between.
      case 'Home': toEdge('start'); break;
      case 'End': toEdge('end'); break;
      case 'Enter': if (selected !== null) onOpen(selected); break;
      case 'Escape': onClose(); break;
      default: return;
    }
    e.preventDefault();
  };

  const complete = isComplete(pages);
  const state = pages.error && rows.length === 0 ? 'error' : rows.length === 0 && !complete ? 'loading' : 'ready';
  // Row positions among all the filter's events (1 is the header): known from the top, or from the
  // bottom when the count is exact.
  const above = pages.hasFirst ? 0 : props.total?.exact ? props.total.count - rows.length : null;
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const selectedId = selected === null ? undefined : rows[selected]?.original.id;
  const intelShown = columns.some((c) => FETCHED_INTEL_COLUMNS.has(c.id));
  return (
    <IpSummariesProvider rows={pages.rows} wanted={intelShown} dataVersion={props.dataVersion}>
    <div className="events-grid-wrap">
      <div className="events-toolbar">
        {props.toolbar}
        <ColumnPicker columns={table.getAllLeafColumns()} />
      </div>
      <div className="events-table" role="grid" aria-label="Events" aria-rowcount={complete ? rows.length + 1 : props.total?.exact ? props.total.count + 1 : -1} aria-colcount={columns.length}>
        <div className="events-header" ref={header} role="rowgroup">
          <div className="events-header-row" role="row" aria-rowindex={1} style={{ width }}>
            {headers.map((h) => (
              <div
                key={h.id}
                role="columnheader"
                className={cellClass(h.column.columnDef.meta)}
                data-col={h.column.id}
                style={{ width: h.getSize() }}
                aria-sort={h.column.id === 'time' ? (props.order === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {h.column.id === 'time' ? (
                  <button
                    type="button"
                    className="sort-toggle"
                    data-testid="sort-time"
                    title={props.order === 'asc' ? 'Oldest first; click for newest first' : 'Newest first; click for oldest first'}
                    onClick={() => props.onOrderChange(props.order === 'asc' ? 'desc' : 'asc')}
                  >
                    Time (UTC) <span aria-hidden="true">{props.order === 'asc' ? '↑' : '↓'}</span>
                    <span className="visually-hidden">{props.order === 'asc' ? ', oldest first' : ', newest first'}</span>
                  </button>
                ) : typeof h.column.columnDef.header === 'string' ? h.column.columnDef.header : h.column.id}
                {h.column.getCanResize() ? (
                  <span
                    className={h.column.getIsResizing() ? 'col-resizer resizing' : 'col-resizer'}
                    aria-hidden="true"
                    title="Drag to resize; double-click to reset"
                    onMouseDown={h.getResizeHandler()}
                    onTouchStart={h.getResizeHandler()}
                    onDoubleClick={() => h.column.resetSize()}
                  />
                ) : null}
              </div>
            ))}
          </div>
        </div>
        <div
          ref={body}
          className="events-grid"
          role="rowgroup"
          aria-activedescendant={selectedId === undefined ? undefined : `event-row-${selectedId}`}
          tabIndex={0}
          data-testid="events-grid"
          data-state={state}
          data-loaded={rows.length}
          data-done={pages.hasLast}
          data-has-first={pages.hasFirst}
          data-fetching={pages.fetching || pages.rereading}
          data-selected={selected ?? ''}
          onKeyDown={onKeyDown}
          onScroll={(e) => {
            const el = e.currentTarget;
            atTop.current = el.scrollTop <= 1;
            if (header.current) header.current.scrollLeft = el.scrollLeft;
            props.onScrollTopChange(e.currentTarget.scrollTop);
          }}
        >
          <div className="events-rows" style={{ height: virtualizer.getTotalSize(), width }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              const isSelected = item.index === selected;
              return (
                <div
                  key={row.id}
                  role="row"
                  className={isSelected ? 'event-row selected' : 'event-row'}
                  id={`event-row-${row.original.id}`}
                  aria-rowindex={above === null ? undefined : above + item.index + 2}
                  aria-selected={isSelected}
                  data-testid="event-row"
                  data-event-id={row.original.id}
                  data-index={item.index}
                  style={{ transform: `translateY(${item.start}px)`, width }}
                  onClick={() => onSelect(item.index)}
                  onDoubleClick={() => onOpen(item.index)}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div key={cell.id} role="gridcell" className={cellClass(cell.column.columnDef.meta)} data-col={cell.column.id} style={{ width: cell.column.getSize() }}>
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
          {rows.length === 0 && complete ? <p className="empty events-empty" data-testid="events-empty">No events match.</p> : null}
        </div>
      </div>
      <div className="events-status" data-testid="events-status">
        {pages.error ? (
          <span className="error" role="alert" data-testid="events-error">
            {pages.error} <button type="button" onClick={props.retry}>Retry</button>
          </span>
        ) : pages.fetching ? 'Loading…' : !pages.hasLast ? 'Scroll for more.' : rows.length === 0 ? ''
          : pages.hasFirst ? 'End of the events.' : 'End of the events; more load as you go up.'}
      </div>
    </div>
    </IpSummariesProvider>
  );
}
