import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseSummary, StoredEventDto } from '../../shared/ipc/contract.ts';
import { getCurrentCase, onCaseChanged, openCase, queryEventsPage } from '../api.ts';

/** Rows shown until the virtualised grid arrives. */
export const FIRST_PAGE_SIZE = 200;

export type CaseState =
  | { status: 'empty' }
  | { status: 'loading'; path: string }
  | { status: 'ready'; summary: CaseSummary; events: StoredEventDto[] }
  | { status: 'error'; message: string };

/** The open case and its first page of events; a newer request always wins over an older one. */
export function useCase(): { state: CaseState; open: (path: string) => void } {
  const [state, setState] = useState<CaseState>({ status: 'empty' });
  const generation = useRef(0);

  const load = useCallback(async (path: string, summaryOf: () => Promise<CaseSummary | null>) => {
    const mine = ++generation.current;
    setState({ status: 'loading', path });
    try {
      const summary = await summaryOf();
      const events = summary ? await queryEventsPage({ filter: {}, limit: FIRST_PAGE_SIZE }) : [];
      if (mine !== generation.current) return;
      setState(summary ? { status: 'ready', summary, events } : { status: 'empty' });
    } catch (err) {
      if (mine === generation.current) setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  useEffect(() => {
    void load('', getCurrentCase);
    return onCaseChanged((summary) => void load(summary.path, () => Promise.resolve(summary)));
  }, [load]);

  const open = useCallback((path: string) => void load(path, () => openCase(path)), [load]);
  return { state, open };
}
