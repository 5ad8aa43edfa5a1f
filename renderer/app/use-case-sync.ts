import { useEffect, useRef, useState } from 'react';
import { getCurrentCase, listAlerts, onAlertsChanged, onCaseChanged } from '../api.ts';
import { useAppState } from './app-state.tsx';

/**
 * Keeps the window in step with the main process: the case open at start (given on the command
 * line), a case pushed later (a second instance), and alerts changed by a detection run or a triage.
 * Says 'starting' until it knows whether a case is open.
 */
export function useCaseSync(): 'starting' | 'ready' {
  const { caseSummary, caseOpened, setCaseSummary, dataChanged } = useAppState();
  const [boot, setBoot] = useState<'starting' | 'ready'>('starting');
  const openPath = useRef<string | null>(null);
  useEffect(() => {
    openPath.current = caseSummary?.path ?? null;
  }, [caseSummary]);

  useEffect(() => {
    let current = true;
    getCurrentCase().then((summary) => {
      if (!current) return;
      if (summary) caseOpened(summary);
      setBoot('ready');
    }, () => current && setBoot('ready'));
    const offCase = onCaseChanged((summary) => {
      if (summary.path !== openPath.current) {
        caseOpened(summary);
        return;
      }
      setCaseSummary(summary);
      dataChanged();
    });
    const offAlerts = onAlertsChanged(() => dataChanged('alerts'));
    return () => {
      current = false;
      offCase();
      offAlerts();
    };
  }, [caseOpened, setCaseSummary, dataChanged]);
  return boot;
}

/** Alerts still to triage, for the badge on the Alerts tab; null when unknown. */
export function useOpenAlertCount(enabled: boolean): number | null {
  const { caseSummary, dataVersion } = useAppState();
  const [count, setCount] = useState<number | null>(null);
  const hasCase = caseSummary !== null;
  useEffect(() => {
    if (!enabled || !hasCase) return;
    let current = true;
    listAlerts({ status: 'open' }).then((alerts) => current && setCount(alerts.length), () => current && setCount(null));
    return () => {
      current = false;
    };
  }, [enabled, hasCase, dataVersion]);
  return hasCase ? count : null;
}
