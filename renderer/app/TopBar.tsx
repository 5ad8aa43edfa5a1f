import { LogText } from '../events/LogText.tsx';
import { baseName, formatCount } from '../format.ts';
import { useImport } from '../import/import-state.tsx';
import { overallFraction } from '../import/progress.ts';
import { useAppState, type Entity } from './app-state.tsx';
import { COMMAND_KEY_LABEL } from './keys.ts';
import { NAV_VIEWS } from './navigation.ts';

/** The case, its size, and the views; the dossier tab appears once the analyst has pivoted. */
export function TopBar({ openAlerts, lastEntity }: { openAlerts: number | null; lastEntity: Entity | null }) {
  const { route, go, pivot, caseSummary } = useAppState();
  const imp = useImport();
  const run = imp.state.run;
  return (
    <header className="app-bar" data-testid="top-bar">
      <span className="brand" aria-hidden="true">Loupe</span>
      <div className="case-info">
        {caseSummary
          ? <>
            <span className="case-name" data-testid="case-name" title={caseSummary.path}><LogText text={baseName(caseSummary.path).replace(/\.loupe$/, '')} /></span>
            <span className="muted">
              <span data-testid="event-count">{formatCount(caseSummary.eventCount)}</span> events · {formatCount(caseSummary.sources.length)} sources
            </span>
          </>
          : <span className="muted">No case open</span>}
      </div>
      <nav className="views" aria-label="Views">
        {NAV_VIEWS.map((v) => (
          <button
            key={v.view}
            type="button"
            data-testid={`nav-${v.view}`}
            aria-current={route.view === v.view ? 'page' : undefined}
            disabled={!caseSummary}
            title={`${v.label} (${COMMAND_KEY_LABEL}${v.digit})`}
            onClick={() => go({ view: v.view })}
          >
            {v.label}
            {v.view === 'alerts' && openAlerts !== null && openAlerts > 0 && (
              <span className="badge" data-testid="open-alerts" title="open alerts">{formatCount(openAlerts)}</span>
            )}
          </button>
        ))}
        {lastEntity && caseSummary && (
          <button
            type="button"
            data-testid="nav-dossier"
            aria-current={route.view === 'dossier' ? 'page' : undefined}
            title={`Dossier of ${lastEntity.type} ${lastEntity.value}`}
            onClick={() => pivot(lastEntity)}
          >
            <span className="muted">{lastEntity.type}</span> <span className="ellipsis entity"><LogText text={lastEntity.value} /></span>
          </button>
        )}
      </nav>
      {run.status === 'running' && (
        <button type="button" className="import-indicator" data-testid="import-indicator" onClick={() => go({ view: 'import' })}>
          Importing… {Math.round(overallFraction(run.overall) * 100)} %
        </button>
      )}
      <button
        type="button"
        className="settings-button"
        data-testid="nav-settings"
        aria-current={route.view === 'settings' ? 'page' : undefined}
        title={`Settings: IP intelligence providers, API keys, GeoIP files, blocklists (${COMMAND_KEY_LABEL},)`}
        onClick={() => go({ view: 'settings' })}
      >
        Settings
      </button>
      <button
        type="button"
        className="cases-button"
        data-testid="nav-start"
        aria-current={route.view === 'start' ? 'page' : undefined}
        title={`Cases: new, open, recent, sample (${COMMAND_KEY_LABEL}O)`}
        onClick={() => go({ view: 'start' })}
      >
        Cases
      </button>
    </header>
  );
}
