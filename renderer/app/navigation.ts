import type { Route } from './app-state.tsx';

/** The views in the top bar, with the digit that goes to each (Ctrl+digit, ⌘digit on macOS). */
export const NAV_VIEWS = [
  { view: 'timeline', label: 'Timeline', digit: '1' },
  { view: 'events', label: 'Events', digit: '2' },
  { view: 'alerts', label: 'Alerts', digit: '3' },
  { view: 'import', label: 'Import', digit: '4' },
  { view: 'live', label: 'Live', digit: '5' },
] as const satisfies readonly { view: Route['view']; label: string; digit: string }[];

export type NavView = (typeof NAV_VIEWS)[number]['view'];

/** Views that read the case, so cannot be shown while an import has it to itself. */
export function readsCase(view: Route['view']): boolean {
  return view === 'timeline' || view === 'events' || view === 'alerts' || view === 'dossier';
}

/** Views the filter bar filters. */
export function isFiltered(view: Route['view']): boolean {
  return view === 'timeline' || view === 'events' || view === 'alerts';
}
