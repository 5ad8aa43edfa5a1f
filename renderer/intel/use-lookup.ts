/**
 * A reputation lookup from the window: one at a time (the engine refuses a second), with the
 * engine's progress pushes and a cancel. What the providers answered comes back as data; it is
 * only ever shown as text.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import { cancelLookup, errorMessage, lookupReputation, onLookupProgress } from '../api.ts';

export type LookupOutcome = ResponseOf<'intel:lookup'>;

export interface LookupState {
  running: boolean;
  progress: { done: number; total: number; sent: number } | null;
  outcome: LookupOutcome | null;
  error: string | null;
}

export function useLookup(onDone?: () => void) {
  const [state, setState] = useState<LookupState>({ running: false, progress: null, outcome: null, error: null });
  const running = useRef(false);
  useEffect(() => onLookupProgress((progress) => setState((s) => (s.running ? { ...s, progress } : s))), []);
  // Gone from the window (the view left, or its panel removed) with a lookup running: nothing would
  // show its progress or offer to cancel it, so it stops; what was answered is kept in the case.
  useEffect(() => () => {
    if (running.current) cancelLookup().catch(() => {});
  }, []);
  const start = useCallback((ips: string[], providers: ProviderId[], refresh = false) => {
    running.current = true;
    setState({ running: true, progress: { done: 0, total: ips.length * providers.length, sent: 0 }, outcome: null, error: null });
    lookupReputation({ ips, providers, ...(refresh ? { refresh: true } : {}) }).then(
      (outcome) => {
        running.current = false;
        setState((s) => ({ ...s, running: false, outcome }));
        onDone?.();
      },
      (err: unknown) => {
        running.current = false;
        setState((s) => ({ ...s, running: false, error: errorMessage(err) }));
      },
    );
  }, [onDone]);
  const cancel = useCallback(() => {
    cancelLookup().catch(() => {});
  }, []);
  return { state, start, cancel };
}
