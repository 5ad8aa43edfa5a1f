import { useEffect, useState } from 'react';
import type { AlertDto } from '../../shared/ipc/contract.ts';
import { listAlerts } from '../api.ts';
import { groupAlerts } from '../alerts/group.ts';
import { LevelBadge } from '../alerts/LevelBadge.tsx';
import { useAppState } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { formatCount } from '../format.ts';
import type { ImportResultDto } from './import-state.tsx';
import { SkippedList } from './ImportPreview.tsx';
import { SourcesTable } from './SourcesTable.tsx';

/** After an import: what came in per source, what was not, and the alerts the rules raised. */
export function ImportSummary({ result }: { result: ImportResultDto }) {
  const lines = result.sources.reduce((n, s) => n + s.lines.total, 0);
  return (
    <section className="import-summary" data-testid="import-summary" data-cancelled={result.cancelled}>
      <h3>
        {result.cancelled ? 'Import cancelled' : 'Import finished'}
        <span className="muted">
          {' '}· {formatCount(result.sources.length)} file{result.sources.length === 1 ? '' : 's'}, {formatCount(lines)} lines in {result.seconds.toFixed(1)} s
        </span>
      </h3>
      {result.cancelled && (
        <p className="notice">What was read before you cancelled is in the case; files cut short are marked incomplete and can be imported again.</p>
      )}
      {result.sources.length > 0 && <SourcesTable sources={result.sources} testId="summary-sources" />}
      <SkippedList skipped={result.skipped} />
      {!result.cancelled && result.sources.length > 0 && <AlertsFound detections={result.detections} />}
    </section>
  );
}

const TOP_RULES = 8;

/** The alerts in the case after the import's detection run, by rule. */
function AlertsFound({ detections }: { detections: ImportResultDto['detections'] }) {
  const { go, dataVersion } = useAppState();
  const [alerts, setAlerts] = useState<AlertDto[] | null>(null);
  useEffect(() => {
    let current = true;
    listAlerts().then((list) => current && setAlerts(list), () => current && setAlerts(null));
    return () => {
      current = false;
    };
  }, [dataVersion]);
  const groups = alerts ? groupAlerts(alerts, 'rule').slice(0, TOP_RULES) : [];
  const total = detections?.alerts ?? alerts?.length;
  if (total === undefined) return null;
  return (
    <div className="alerts-found" data-testid="alerts-found" data-total={total}>
      <h4>
        <span data-testid="alerts-found-count">{formatCount(total)}</span> alert{total === 1 ? '' : 's'} in the case
        {detections && <span className="muted"> ({formatCount(detections.added)} new from this import)</span>}
      </h4>
      {groups.length > 0 && (
        <ul className="rule-counts">
          {groups.map((g) => (
            <li key={g.key}>
              <LevelBadge level={g.level} /> <LogText text={g.label} />{' '}
              <span className="muted">× {formatCount(g.alerts.length)}</span>
            </li>
          ))}
        </ul>
      )}
      {total > 0 && (
        <button type="button" className="primary" data-testid="review-alerts" onClick={() => go({ view: 'alerts' })}>
          Review the alerts
        </button>
      )}
    </div>
  );
}
