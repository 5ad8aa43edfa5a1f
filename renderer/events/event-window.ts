/**
 * The grid's rows as a window onto the filter's ordered events, opened at either end. A window
 * opened at the start grows downwards with pages in the grid's order; one opened at the end (End,
 * Ctrl+End) starts with the first page of the opposite order, reversed, and grows upwards with
 * further pages of that order. Newest first is exactly oldest first reversed (the engine puts the
 * undated events first in the one and last in the other, by id either way), so a page "before" a
 * row is the opposite order's page after it, and nothing is read that is not shown.
 */

export type EventOrder = 'asc' | 'desc';
export type WindowEdge = 'start' | 'end';
/** Rows before the window's first row, or after its last. */
export type WindowSide = 'before' | 'after';

export interface WindowRow {
  id: number;
  ts: number | null;
}

export interface EventWindow<R extends WindowRow> {
  rows: R[];
  /** rows[0] is the filter's first event: there is nothing before it. */
  hasFirst: boolean;
  /** The last row is the filter's last event: there is nothing after it. */
  hasLast: boolean;
  /** Where the window was opened, and so the one side it grows on. */
  edge: WindowEdge;
}

export interface WindowPageRequest {
  order: EventOrder;
  limit: number;
  after?: { ts: number | null; id: number };
}

const opposite = (order: EventOrder): EventOrder => (order === 'asc' ? 'desc' : 'asc');

export function openWindow<R extends WindowRow>(edge: WindowEdge): EventWindow<R> {
  return { rows: [], hasFirst: edge === 'start', hasLast: edge === 'end', edge };
}

/** The side still to read: a window opened at the start reads on after its last row, one opened at the end before its first. */
export function openSide(w: EventWindow<WindowRow>): WindowSide | null {
  if (w.edge === 'start') return w.hasLast ? null : 'after';
  return w.hasFirst ? null : 'before';
}

/** The engine request that reads the page on `side` of the window, or null when that side is complete. */
export function pageRequest(w: EventWindow<WindowRow>, order: EventOrder, side: WindowSide, limit: number): WindowPageRequest | null {
  if (side === 'after' ? w.hasLast : w.hasFirst) return null;
  const edgeRow = side === 'after' ? w.rows.at(-1) : w.rows[0];
  return {
    order: side === 'after' ? order : opposite(order),
    limit,
    ...(edgeRow ? { after: { ts: edgeRow.ts, id: edgeRow.id } } : {}),
  };
}

/** The window with the page read on `side` added; a page shorter than asked means that side is complete. */
export function addPage<W extends EventWindow<WindowRow>>(w: W, side: WindowSide, page: readonly W['rows'][number][], limit: number): W {
  const short = page.length < limit;
  if (side === 'after') return { ...w, rows: w.rows.concat(page), hasLast: short };
  return { ...w, rows: page.slice().reverse().concat(w.rows), hasFirst: short };
}

/** Every event of the filter is in the window. */
export const isComplete = (w: EventWindow<WindowRow>): boolean => w.hasFirst && w.hasLast;

/** The side of the window where a live feed's new events arrive: below the last row oldest first, above the first newest first. */
export const newestSide = (order: EventOrder): WindowSide => (order === 'asc' ? 'after' : 'before');

/**
 * What new data (a live feed, an import) does to a window. A view at the edge the window was
 * opened at follows the data there: the window is read again from that edge (`reread`). Anywhere
 * else the rows stay as they are, so the view stays on them however far in it is, and the side
 * where new events arrive is open again: scrolling there reads them.
 */
export function afterNewData<W extends EventWindow<WindowRow>>(w: W, order: EventOrder, viewAtOpeningEdge: boolean): W | 'reread' {
  if (viewAtOpeningEdge) return 'reread';
  return reopen(w, order);
}

/** The window with the side new events arrive on open again (the same window when it already is). */
export function reopen<W extends EventWindow<WindowRow>>(w: W, order: EventOrder): W {
  if (newestSide(order) === 'after') return w.hasLast ? { ...w, hasLast: false } : w;
  return w.hasFirst ? { ...w, hasFirst: false } : w;
}

/**
 * The window read again from the edge it was opened at, for a view at that edge: as many rows as
 * it held (at least a page, at most `max`), page by page. Rows beyond `max` are far from the view.
 * A window opened at the end so holds the newest events of the filter at its bottom, one opened at
 * the start the first ones at its top, whichever order the grid shows.
 */
export async function reread<R extends WindowRow>(
  w: EventWindow<R>, order: EventOrder, limit: number, max: number,
  read: (request: WindowPageRequest) => Promise<readonly R[]>,
): Promise<EventWindow<R>> {
  const target = Math.min(Math.max(w.rows.length, limit), max);
  let next = openWindow<R>(w.edge);
  for (;;) {
    const side = openSide(next);
    const request = side && next.rows.length < target ? pageRequest(next, order, side, Math.min(limit, target - next.rows.length)) : null;
    if (!side || !request) return next;
    next = addPage(next, side, await read(request), request.limit);
  }
}

/** Where a window's rows stand against the case's data. */
export interface Freshness {
  /** The data version the rows were read at. */
  version: number;
  /** A re-read for newer data is running. */
  rereading: boolean;
  /** The data version whose re-read failed, and so is not tried again until Retry or newer data. */
  failedAt: number | null;
}

/**
 * Whether to act on data now at `dataVersion`. Re-reads run one at a time: data that changes while
 * one runs waits for it to land (the rows then stand at the version it read), and then one more
 * catches up with the newest version, however many changes came meanwhile. Dropping the running
 * re-read for each newer version instead would never land one on a steady feed over a slow filter.
 */
export function dataStep(w: Freshness, dataVersion: number): 'none' | 'wait' | 'update' {
  if (w.version === dataVersion || w.failedAt === dataVersion) return 'none';
  return w.rereading ? 'wait' : 'update';
}
