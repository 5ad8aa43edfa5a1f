import { useEffect, useState } from 'react';
import { AlertsView } from './alerts/AlertsView.tsx';
import { onCommandRequested } from './api.ts';
import { useAppState, type Entity, type Route } from './app/app-state.tsx';
import { useCommands } from './app/commands.ts';
import { isFiltered, readsCase } from './app/navigation.ts';
import { RangeChip } from './app/RangeChip.tsx';
import { TopBar } from './app/TopBar.tsx';
import { useCaseSync, useOpenAlertCount } from './app/use-case-sync.ts';
import { useNoStrayDrops, useShortcuts } from './app/use-shortcuts.ts';
import { DossierView } from './dossier/DossierView.tsx';
import { EventsView } from './events/EventsView.tsx';
import { LogText } from './events/LogText.tsx';
import { FilterBar } from './filter/FilterBar.tsx';
import { useImport } from './import/import-state.tsx';
import { ImportView } from './import/ImportView.tsx';
import { StartView } from './start/StartView.tsx';
import { SettingsView } from './intel/SettingsView.tsx';
import { LiveView } from './syslog/LiveView.tsx';
import { TimelineView } from './timeline/TimelineView.tsx';

/** The window: top bar, the shared filter bar where it applies, and the current view. */
export function App() {
  const { route, go, caseSummary } = useAppState();
  const { running } = useImport();
  const boot = useCaseSync();
  const openAlerts = useOpenAlertCount(!running);
  const [problem, setProblem] = useState<string | null>(null);
  const run = useCommands(setProblem);
  useShortcuts(run);
  useEffect(() => onCommandRequested(run), [run]);
  useNoStrayDrops();

  // The dossier tab stays once the analyst has pivoted, and leaves with the case.
  const [lastEntity, setLastEntity] = useState<Entity | null>(null);
  useEffect(() => {
    if (route.view === 'dossier') setLastEntity(route.entity);
  }, [route]);
  useEffect(() => setLastEntity(null), [caseSummary?.path]);

  const view: Route = caseSummary || route.view === 'settings' ? route : { view: 'start' };
  const blocked = running && readsCase(view.view);

  return (
    <div className="shell" data-testid="app" data-state={boot} data-case={caseSummary ? 'open' : 'none'}>
      <TopBar openAlerts={openAlerts} lastEntity={lastEntity} />
      {problem !== null && (
        <p role="alert" className="error banner" data-testid="app-problem">
          <LogText text={problem} />
          <button type="button" className="link" aria-label="Dismiss" onClick={() => setProblem(null)}>×</button>
        </p>
      )}
      {caseSummary && isFiltered(view.view) && !blocked && (
        <div className="filter-row" data-testid="filter-row">
          <FilterBar />
          <RangeChip />
        </div>
      )}
      <main className="view" data-testid="view" data-view={view.view}>
        {boot === 'starting'
          ? <p role="status" className="muted">Starting…</p>
          : blocked
            ? <ImportBusy onShow={() => go({ view: 'import' })} />
            : <CurrentView route={view} />}
      </main>
    </div>
  );
}

function CurrentView({ route }: { route: Route }) {
  switch (route.view) {
    case 'start': return <StartView />;
    case 'import': return <ImportView />;
    case 'live': return <LiveView />;
    case 'settings': return <SettingsView />;
    case 'timeline': return <TimelineView />;
    case 'events': return <EventsView />;
    case 'alerts': return <AlertsView alertId={route.alertId} />;
    case 'dossier': return <DossierView entity={route.entity} />;
    default: return route satisfies never;
  }
}

function ImportBusy({ onShow }: { onShow(): void }) {
  return (
    <p className="empty" data-testid="import-busy">
      An import has the case to itself; this view is back when it has finished.{' '}
      <button type="button" className="link" onClick={onShow}>Show the import</button>
    </p>
  );
}
