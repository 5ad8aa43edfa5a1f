import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AlertDto } from '../../shared/ipc/contract.ts';
import { errorMessage, listAlerts, setAlertStatus } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { isTyping } from '../app/keys.ts';
import { LogText } from '../events/LogText.tsx';
import { formatCount } from '../format.ts';
import { AlertsBulkLookup } from '../intel/BulkLookup.tsx';
import { AlertDetail } from './AlertDetail.tsx';
import { AlertList } from './AlertList.tsx';
import { groupAlerts, type GroupBy } from './group.ts';
import { STATUSES, type AlertStatus, type TriageState } from './TriageControls.tsx';

type ListState = { status: 'loading' } | { status: 'ready'; alerts: AlertDto[] } | { status: 'error'; message: string };
type StatusFilter = 'all' | AlertStatus;

const GROUPINGS: readonly { by: GroupBy; label: string }[] = [
  { by: 'rule', label: 'Rule' },
  { by: 'level', label: 'Level' },
  { by: 'entity', label: 'Entity' },
];
const GROUP_BY_KEY = 'loupe.alerts.groupBy';

function rememberedGroupBy(): GroupBy {
  const stored = localStorage.getItem(GROUP_BY_KEY);
  return GROUPINGS.find((g) => g.by === stored)?.by ?? 'rule';
}

/** The alert shown last, so that coming back to the view (from the grid, say) shows it again. */
let lastSelected: number | undefined;

/** The alerts of the case: grouped, triaged, explained, and a way to their events. */
export function AlertsView({ alertId }: { alertId: number | undefined }) {
  const { filter, dataVersion, go } = useAppState();
  const [list, setList] = useState<ListState>({ status: 'loading' });
  const [by, setBy] = useState<GroupBy>(rememberedGroupBy);
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [triage, setTriage] = useState<{ id: number; state: TriageState } | null>(null);
  const from = filter.range?.from;
  const to = filter.range?.to;

  useEffect(() => {
    let current = true;
    listAlerts({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }).then(
      (alerts) => current && setList({ status: 'ready', alerts }),
      (err: unknown) => current && setList({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      current = false;
    };
  }, [from, to, dataVersion]);

  const alerts = useMemo(() => (list.status === 'ready' ? list.alerts : []), [list]);
  const groups = useMemo(
    () => groupAlerts(statusFilter === 'all' ? alerts : alerts.filter((a) => a.status === statusFilter), by),
    [alerts, statusFilter, by],
  );
  const ordered = useMemo(() => groups.flatMap((g) => g.alerts), [groups]);
  const wanted = alertId ?? lastSelected;
  const selected = alerts.find((a) => a.id === wanted) ?? ordered[0] ?? null;
  const selectedId = selected?.id;
  useEffect(() => {
    if (selectedId !== undefined) lastSelected = selectedId;
  }, [selectedId]);
  const select = useCallback((id: number) => go({ view: 'alerts', alertId: id }), [go]);

  const replace = (alert: AlertDto): void =>
    setList((l) => (l.status === 'ready' ? { ...l, alerts: l.alerts.map((a) => (a.id === alert.id ? alert : a)) } : l));

  /** Shows the change at once and puts it back if the case refused it. */
  const save = useCallback((alert: AlertDto, status: AlertStatus, note?: string | null) => {
    replace({ ...alert, status, ...(note !== undefined ? { note } : {}) });
    setTriage({ id: alert.id, state: { status: 'saving' } });
    setAlertStatus({ id: alert.id, status, ...(note !== undefined ? { note } : {}) }).then((updated) => {
      replace(updated);
      setTriage({ id: alert.id, state: { status: 'saved' } });
    }, (err: unknown) => {
      replace(alert);
      setTriage({ id: alert.id, state: { status: 'error', message: errorMessage(err) } });
    });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e) || !selected) return;
      const at = ordered.findIndex((a) => a.id === selected.id);
      const move = (delta: number): void => {
        const next = ordered[Math.max(0, Math.min(ordered.length - 1, at + delta))];
        if (next) select(next.id);
      };
      const triageKey = STATUSES.find((s) => s.key === e.key.toLowerCase());
      if (e.key === 'ArrowDown' || e.key === 'j') move(1);
      else if (e.key === 'ArrowUp' || e.key === 'k') move(-1);
      else if (triageKey && selected.status !== triageKey.status) save(selected, triageKey.status);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ordered, selected, select, save]);

  const countOf = (s: StatusFilter): number => (s === 'all' ? alerts.length : alerts.filter((a) => a.status === s).length);

  return (
    <div className="alerts-view" data-testid="alerts-view" data-state={list.status}>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Group by">
          <span className="muted">Group by</span>
          {GROUPINGS.map((g) => (
            <button
              key={g.by}
              type="button"
              data-testid={`group-by-${g.by}`}
              aria-pressed={by === g.by}
              onClick={() => {
                setBy(g.by);
                localStorage.setItem(GROUP_BY_KEY, g.by);
              }}
            >
              {g.label}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Status">
          {(['all', ...STATUSES.map((s) => s.status)] as const).map((s) => (
            <button key={s} type="button" data-testid={`show-${s}`} aria-pressed={statusFilter === s} onClick={() => setStatusFilter(s)}>
              {s === 'all' ? 'All' : STATUSES.find((x) => x.status === s)?.label} <span className="count">{formatCount(countOf(s))}</span>
            </button>
          ))}
        </div>
        {alerts.length > 0 && <AlertsBulkLookup alerts={ordered} />}
        {filter.query.trim() !== '' && <span className="muted hint">The time range applies to alerts; the filter text applies to events.</span>}
      </div>

      {list.status === 'loading' && <p role="status" className="muted">Loading the alerts…</p>}
      {list.status === 'error' && <p role="alert" className="error" data-testid="alerts-error"><LogText text={list.message} /></p>}
      {list.status === 'ready' && alerts.length === 0 && (
        <p className="empty" data-testid="no-alerts">
          {filter.range ? 'No alerts in the selected time range.' : 'No alerts in this case. Import evidence and the detection rules run on it.'}
        </p>
      )}
      {list.status === 'ready' && alerts.length > 0 && (
        <div className="split">
          <AlertList groups={groups} by={by} selectedId={selected?.id ?? null} onSelect={select} />
          {selected && (
            <AlertDetail
              key={selected.id}
              alert={selected}
              triage={triage?.id === selected.id ? triage.state : { status: 'idle' }}
              onStatus={(status) => save(selected, status)}
              onNote={(note) => save(selected, selected.status, note)}
            />
          )}
        </div>
      )}
    </div>
  );
}
