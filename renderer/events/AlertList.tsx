import type { AlertDto } from '../../shared/ipc/contract.ts';
import { useAppState } from '../app/app-state.tsx';
import { formatCount, formatTime } from '../format.ts';
import { LogText } from './LogText.tsx';

/** Alerts in brief (level, rule, entity, events, first time); a click opens the alert. */
export function AlertList({ alerts, testId }: { alerts: readonly AlertDto[]; testId: string }) {
  const { go } = useAppState();
  if (alerts.length === 0) return <p className="empty" data-testid={testId}>No alerts.</p>;
  return (
    <ul className="event-alerts" data-testid={testId}>
      {alerts.map((a) => (
        <li key={a.id} data-alert-id={a.id} data-level={a.rule.level}>
          <span className={`level-badge level-${a.rule.level}`}>{a.rule.level}</span>
          <button type="button" className="link" onClick={() => go({ view: 'alerts', alertId: a.id })} title={`Open alert ${a.id}`}>
            <LogText text={a.rule.title} />
          </button>
          {a.entity.type !== 'none' ? <span className="muted"> · {a.entity.type} <LogText text={a.entity.value} /></span> : null}
          <span className="muted"> · {formatCount(a.count)} events · {formatTime(a.first)}</span>
        </li>
      ))}
    </ul>
  );
}
